/*
 * the fake architecture (tests/unit/fake): every function core's contract
 * blocks declare ("--- implemented by arch ---" in hyp/core/include, and
 * platform_if.h), done on the host with a few arrays a test can read and
 * set. core's .c files compile against it unchanged (docs/seam.md).
 *
 * one thread plays every cpu: fake_cpu_id says which. what never returns
 * on the board returns to the test here, through FAKE_RUN: entering a
 * guest from the idle loop, a cpu going to sleep with nothing pending,
 * power-off, an error stop (a panic ends in one).
 */
#ifndef FAKE_H
#define FAKE_H

#include <setjmp.h>
#include "types.h"
#include "addr.h"
#include "percpu.h"
#include "vm.h"

/* a physical cpu, as the fake's gic and timers see it */
struct fake_cpu {
	u64 irqs;		/* pending physical interrupts by id; arch_gic_ack takes the lowest */
	u64 enabled;		/* arch_gic_enable_irq */
	u32 kicks;		/* SGI_KICKs sent to it */
	u32 eois, deactivations;
	u64 hyp_timer;		/* CNTHP's deadline; ~0: off */
	bool hyp_timer_stuck;	/* ignores arch_hyp_timer_set (a broken timer) */
	u64 check_timer;	/* arch_check_timer_set; ~0: off */
	bool started;		/* platform_cpu_on */
	u32 wfis;		/* times it slept and an interrupt woke it */
};

extern struct fake_cpu fake_cpus[PLAT_MAX_CPUS];

/* how a FAKE_RUN ended: its statement returned, or one of these happened */
enum fake_exit { FAKE_RETURNED, FAKE_ENTERED, FAKE_SLEPT, FAKE_POWER_OFF, FAKE_HALTED };

extern jmp_buf *fake_jmp;
extern enum fake_exit fake_exit;
extern struct vcpu *fake_entered;	/* arch_vcpu_enter's vcpu (FAKE_ENTERED) */
/* called when a cpu would sleep in arch_wfi(): it may make an interrupt pending */
extern void (*fake_sleep_hook)(void);

/* run stmt; the value is how it ended. FAKE_RUNs nest. */
#define FAKE_RUN(stmt) ({						\
	jmp_buf fake_here_, *volatile fake_outer_ = fake_jmp;		\
	volatile enum fake_exit fake_e_ = FAKE_RETURNED;		\
	fake_jmp = &fake_here_;						\
	if (!setjmp(fake_here_)) {					\
		stmt;							\
	} else {							\
		fake_e_ = fake_exit;					\
	}								\
	fake_jmp = fake_outer_;						\
	fake_e_;							\
})

/* stage-2 mappings asked for (arch_stage2_map), in order */
struct fake_map {
	const struct vm *vm;
	ipaddr_t ipa;
	paddr_t pa;
	u64 size;
	enum s2_kind kind;
};
extern struct fake_map fake_maps[64];
extern u32 fake_nr_maps;

/* everything core printed (uart_putc), nul-terminated; the keyboard (uart_getc) */
extern char fake_console[1 << 16];
extern u32 fake_console_len;
bool fake_console_has(const char *s);
extern const char *fake_keys;

/* a fresh board: cpus, timers, console and maps; no VMs, the test is cpu 0 */
void fake_reset(void);
/* mib of host memory, 2 MiB aligned, for vms_create's pool (freed by fake_reset) */
paddr_t fake_ram(u32 mib);
/* the same at the board's own addresses: host memory mapped at pa (an identity VM's) */
paddr_t fake_ram_at(u64 pa, u32 mib);
/* a physical interrupt pending on cpu */
void fake_raise(u32 cpu, u32 irq);
/* a virtual interrupt for vcpu, as the vgic makes one pending: it wakes or kicks */
void fake_vgic_inject(struct vcpu *vcpu, u32 irq);

#endif
