/* the guest stubs' little runtime: console, calls, exception hooks. */
#ifndef STUB_H
#define STUB_H

#include "types.h"
#include "guest_board.h"
#include "hypercall.h"	/* the hvc function ids: this hypervisor's, PSCI's */

/* the guest board's devices (guest_board.h) at the 32-bit addresses the stubs use */
#define UART_DR		((u32)GUEST_UART_IPA)
#define TESTDEV		((u32)GUEST_TESTDEV_IPA)
#define TRAPLOG		((u32)TRAPLOG_IPA)	/* where "traplog = own/all" maps the log */
#define GICD		((u32)GUEST_GICD_IPA)
#define GICC		((u32)GUEST_GICC_IPA)
#define IRQ_VTIMER	27

/* the guest's GICv2: registers the stubs use */
#define GICD_CTLR	0x000
#define GICD_ISENABLER0	0x100
#define GICC_CTLR	0x000
#define GICC_PMR	0x004
#define GICC_IAR	0x00c
#define GICC_EOIR	0x010
#define GICC_HPPIR	0x018

struct hvc_ret {
	u32 r0, r1, r2, r3;
};

/* what the stub's exception vectors saw; the handler may move pc */
struct exc_frame {
	u32 r[13];
	u32 pc;		/* where the exception returns to */
	u32 spsr;
};

enum exc_kind { EXC_UNDEF = 1, EXC_SVC, EXC_PABT, EXC_DABT, EXC_IRQ, EXC_FIQ };

/* a stub's handler; without one, an exception ends the stub with a report */
extern void (*volatile exc_hook)(enum exc_kind kind, struct exc_frame *f);

/* a hook that counts data aborts in stub_aborts and skips the access */
extern volatile u32 stub_aborts;
void skip_data_aborts(enum exc_kind kind, struct exc_frame *f);

/* starts vcpu `cpu` (its MPIDR) in fn, on the STUB_STACK_SIZE bytes of stacks
 * below stack_top, through the library's secondary_main (for a stub that has
 * none of its own); it turns itself off when fn returns. returns PSCI's answer */
extern void (*volatile stub_secondary_fn)(void);
int stub_cpu_on(u32 cpu, void (*fn)(void), void *stack_top);

/* distributor and cpu interface on, private interrupt irq (< 32) enabled */
void stub_gic_on(u32 irq);

/* a number from the command line ("key=N" in the device tree's bootargs) */
u32 stub_bootarg(const char *key, u32 dflt);
/* xorshift32: seeded, so a run replays */
u32 stub_rand(u32 *state);

/* the virtual count (CNTVCT), and the counter's frequency */
u64 stub_cntvct(void);
u32 stub_cntfrq(void);
/* CNTV_CVAL, and CNTV_CTL (1 = on, interrupt unmasked; 0 = off) */
void stub_vtimer_set(u64 cval, u32 ctl);

/*
 * more vcpus: PSCI CPU_ON at stub_secondary_entry with the context id the
 * top of STUB_STACK_SIZE bytes of stack (every mode's, as the boot vcpu's)
 * starts one in secondary_main(), on the stub's vectors
 */
#define STUB_STACK_SIZE	0x4000
extern char stub_secondary_entry[];
void secondary_main(void);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void puts_raw(const char *s);
struct hvc_ret hvc_call(u32 r0, u32 r1, u32 r2, u32 r3);
struct hvc_ret smc_call(u32 r0, u32 r1, u32 r2, u32 r3);
void power_off(void) __attribute__((noreturn));
int main(void);

#define mrc(op1, crn, crm, op2) ({ u32 _v; asm volatile( \
	"mrc p15, " #op1 ", %0, c" #crn ", c" #crm ", " #op2 : "=r"(_v)); _v; })
#define mcr(op1, crn, crm, op2, v) asm volatile( \
	"mcr p15, " #op1 ", %0, c" #crn ", c" #crm ", " #op2 :: "r"(v) : "memory")

#endif
