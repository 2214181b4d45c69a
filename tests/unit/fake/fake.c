/*
 * the fake architecture and board: each function of core's contract, on
 * the host. it does what the contract promises and no more, and keeps what
 * it was asked in fake_cpus[], the vcpus' arch and vgic parts, fake_maps[]
 * and fake_console[], for the tests to check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "boot.h"
#include "console.h"
#include "fake.h"
#include "irq.h"
#include "lib.h"
#include "platform_if.h"
#include "sched.h"
#include "traplog.h"
#include "uart.h"
#include "vm.h"

u32 fake_cpu_id;
u64 fake_now;
struct fake_cpu fake_cpus[PLAT_MAX_CPUS];
jmp_buf *fake_jmp;
enum fake_exit fake_exit;
struct vcpu *fake_entered;
void (*fake_sleep_hook)(void);
struct fake_map fake_maps[64];
u32 fake_nr_maps;
char fake_console[1 << 16];
u32 fake_console_len;
const char *fake_keys = "";
unsigned int fake_gicd[0x1000 / 4], fake_gich[0x200 / 4];
uintptr_t fake_ram_base;
static void *ram;
static void *ram_at; /* fake_ram_at's, mapped */
static size_t ram_at_size;

static void leave(enum fake_exit how) __attribute__((noreturn));
static void leave(enum fake_exit how)
{
	if (!fake_jmp) {
		fprintf(stderr, "fake: exit %d outside FAKE_RUN\n%s\n", how, fake_console);
		abort();
	}
	fake_exit = how;
	longjmp(*fake_jmp, 1);
}

void fake_reset(void)
{
	u32 i;

	memset(fake_cpus, 0, sizeof(fake_cpus));
	for (i = 0; i < PLAT_MAX_CPUS; i++)
		fake_cpus[i].hyp_timer = fake_cpus[i].check_timer = ~0ull;
	memset(percpu, 0, sizeof(percpu));
	memset(vms, 0, sizeof(vms));
	nr_vms = 0;
	nr_cpus = PLAT_MAX_CPUS;
	fake_cpu_id = 0;
	fake_now = 1000;
	fake_entered = NULL;
	fake_sleep_hook = NULL;
	fake_nr_maps = 0;
	fake_console_len = 0;
	fake_console[0] = 0;
	fake_keys = "";
	free(ram);
	ram = NULL;
	if (ram_at)
		munmap(ram_at, ram_at_size);
	ram_at = NULL;
}

paddr_t fake_ram(u32 mib)
{
	free(ram);
	ram = aligned_alloc(2 * MiB, (size_t)mib * MiB);
	if (!ram)
		abort();
	fake_ram_base = (uintptr_t)ram;
	return pa_of(ram);
}

paddr_t fake_ram_at(u64 pa, u32 mib)
{
	ram_at_size = (size_t)mib * MiB;
	ram_at = mmap((void *)(uintptr_t)pa, ram_at_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (ram_at != (void *)(uintptr_t)pa) {
		fprintf(stderr, "fake: no host memory at %#llx\n", (unsigned long long)pa);
		abort();
	}
	fake_ram_base = (uintptr_t)pa;
	return pa_init(pa);
}

bool fake_console_has(const char *s)
{
	return strstr(fake_console, s) != NULL;
}

void fake_raise(u32 cpu, u32 irq)
{
	fake_cpus[cpu].irqs |= 1ull << irq;
}

/* what vgic.c does when it makes an interrupt pending: notify() */
void fake_vgic_inject(struct vcpu *vcpu, u32 irq)
{
	vcpu->vgic.pending |= 1ull << irq;
	if (vcpu->state == VCPU_WFI)
		sched_wake(vcpu);
	else if (vcpu->pcpu != arch_cpu_id())
		arch_gic_send_sgi(vcpu->pcpu, SGI_KICK);
}

/* arch/cpu.h's arch_wfi(): an interrupt pending wakes the cpu at once; else it sleeps for good */
void fake_wfi(void)
{
	struct fake_cpu *c = &fake_cpus[arch_cpu_id()];

	if (!c->irqs && fake_sleep_hook)
		fake_sleep_hook();
	if (!c->irqs)
		leave(FAKE_SLEPT);
	c->wfis++;
}

/* ---- boot.h ------------------------------------------------------------ */
void arch_mmu_init(paddr_t ram_base, u64 ram_size) { (void)ram_base, (void)ram_size; }
void arch_mmu_enable(void) { }
void arch_stage2_cpu_init(void) { }
void arch_secondary_entry(void) { abort(); }

/* main.c's link-time symbols: the image, which the tests never boot */
char __image_start[1], __image_end[1];

/* ---- console.h and traplog.h ------------------------------------------- */
bool arch_halting(void) { return false; }

const char *arch_hsr_ec_name(u32 ec)
{
	return ec < TRAPLOG_NR_EC ? "fake-class" : "?";
}

/* uart.h: the board's uart, here a buffer and a string of keys */
void uart_init(u32 base) { (void)base; }

void uart_putc(char c)
{
	if (c == '\r')
		return;
	if (fake_console_len < sizeof(fake_console) - 1) {
		fake_console[fake_console_len++] = c;
		fake_console[fake_console_len] = 0;
	}
}

int uart_getc(void)
{
	return *fake_keys ? (u8)*fake_keys++ : -1;
}

/* ---- platform_if.h ----------------------------------------------------- */
void platform_cpu_on(u32 cpu, paddr_t entry)
{
	(void)entry;
	fake_cpus[cpu].started = true;
}

void platform_power_off(void) { leave(FAKE_POWER_OFF); }
void platform_halt_error(void) { leave(FAKE_HALTED); }

/* ---- sched.h: the world switch ----------------------------------------- */
void arch_vcpu_load(struct vcpu *vcpu)
{
	vcpu->arch.loaded = true;
	vcpu->arch.loads++;
}

void arch_vcpu_save(struct vcpu *vcpu)
{
	vcpu->arch.loaded = false;
	vcpu->arch.saves++;
}

void arch_vcpu_drop(struct vcpu *vcpu)
{
	vcpu->arch.drops++;
}

void arch_vcpu_moved(struct vcpu *vcpu, u32 to)
{
	(void)vcpu;
	(void)to;
}

void arch_vcpu_enter(struct vcpu *vcpu)
{
	fake_entered = vcpu;
	leave(FAKE_ENTERED);
}

bool arch_vgic_has_pending(struct vcpu *vcpu)
{
	return vcpu->vgic.pending != 0;
}

void arch_vgic_kick_taken(struct vcpu *vcpu)
{
	(void)vcpu;
}

/* ---- sched.h: time ----------------------------------------------------- */
u64 arch_timer_deadline(struct vcpu *vcpu)
{
	return vcpu->arch.timer;
}

/* a timer due: its interrupt, as the armv7 soft timer sends a virtual timer's */
void arch_timer_check(struct vcpu *vcpu)
{
	if (arch_counter() < vcpu->arch.timer)
		return;
	vcpu->arch.timer = ~0ull;
	vcpu->arch.timer_fired++;
	fake_vgic_inject(vcpu, IRQ_VTIMER);
}

void arch_hyp_timer_set(u64 deadline)
{
	if (!fake_cpus[arch_cpu_id()].hyp_timer_stuck)
		fake_cpus[arch_cpu_id()].hyp_timer = deadline;
}

u64 arch_hyp_timer_deadline(void)
{
	return fake_cpus[arch_cpu_id()].hyp_timer;
}

void arch_check_timer_set(u64 deadline)
{
	fake_cpus[arch_cpu_id()].check_timer = deadline;
}

void arch_check_timer_start(u64 deadline)
{
	arch_gic_enable_irq(IRQ_CHECK_TIMER);
	arch_check_timer_set(deadline);
}

void arch_trap_cycles_start(void) { }
void arch_sleep(void) { arch_wfi(); }

/* ---- vm.h: a vcpu ------------------------------------------------------ */
/* a reset state, not loaded (its next run loads it); the counts go on */
void arch_vcpu_init(struct vcpu *vcpu, ipaddr_t entry, u32 r0, u32 r1, u32 r2)
{
	struct vcpu_arch *a = &vcpu->arch;

	memset(a->r, 0, sizeof(a->r));
	a->r[0] = r0;
	a->r[1] = r1;
	a->r[2] = r2;
	a->r[15] = (u32)ipa_addr(entry);
	a->mpidr = 1u << 31 | vcpu->id;
	a->loaded = false;
	a->timer = ~0ull;
	a->inits++;
}

void arch_vfp_forget(struct vcpu *vcpu)
{
	vcpu->arch.vfp_forgets++;
}

/* ---- vm.h: stage 2 ----------------------------------------------------- */
void arch_stage2_init(struct vm *vm) { (void)vm; }

int arch_stage2_map(struct vm *vm, ipaddr_t ipa, paddr_t pa, u64 size, enum s2_kind kind)
{
	if (fake_nr_maps == ARRAY_SIZE(fake_maps))
		return -1;
	fake_maps[fake_nr_maps++] = (struct fake_map){ vm, ipa, pa, size, kind };
	return 0;
}

/* the VM's maps in [ipa, ipa + size) go, the others keep their order */
void arch_stage2_unmap(struct vm *vm, ipaddr_t ipa, u64 size)
{
	u32 i, n = 0;

	for (i = 0; i < fake_nr_maps; i++)
		if (fake_maps[i].vm != vm || ipa_addr(fake_maps[i].ipa) - ipa_addr(ipa) >= size)
			fake_maps[n++] = fake_maps[i];
	fake_nr_maps = n;
}

void arch_dcache_clean(paddr_t pa, u64 size) { (void)pa, (void)size; }

/* ---- vm.h: the VM's vgic ----------------------------------------------- */
void arch_vgic_vm_init(struct vm *vm)
{
	u32 inits = vm->vgic.inits;

	vm->vgic = (struct vgic_dist){ .inits = inits + 1 };
}

void arch_vgic_vcpu_reset(struct vcpu *vcpu)
{
	vcpu->vgic.pending = 0;
	vcpu->vgic.resets++;
}

void arch_vgic_attach(struct vm *vm) { (void)vm; }
void arch_vgic_link(struct vm *vm, u32 virq, u32 pirq) { (void)vm, (void)virq, (void)pirq; }
void arch_vgic_mask(struct vm *vm) { (void)vm; }

void arch_vgic_set_level(struct vm *vm, u32 irq, bool level)
{
	if (level)
		vm->vgic.lines |= 1ull << irq;
	else
		vm->vgic.lines &= ~(1ull << irq);
}

/* ---- irq.h: the gic ---------------------------------------------------- */
u32 arch_gic_nr_cpus(void) { return PLAT_MAX_CPUS; }
void arch_gic_init(void) { }
void arch_gic_cpu_init(void) { }

void arch_gic_enable_irq(u32 irq)
{
	fake_cpus[arch_cpu_id()].enabled |= 1ull << irq;
}

bool arch_gic_ack(u32 *id, u32 *ack)
{
	struct fake_cpu *c = &fake_cpus[arch_cpu_id()];

	if (!c->irqs)
		return false;
	*id = *ack = (u32)__builtin_ctzll(c->irqs);
	c->irqs &= c->irqs - 1;
	return true;
}

void arch_gic_eoi(u32 ack) { (void)ack; fake_cpus[arch_cpu_id()].eois++; }
void arch_gic_deactivate(u32 ack) { (void)ack; fake_cpus[arch_cpu_id()].deactivations++; }

void arch_gic_send_sgi(u32 cpu, u32 sgi)
{
	if (sgi == SGI_KICK)
		fake_cpus[cpu].kicks++;
	fake_raise(cpu, sgi);
}

bool arch_gic_pending(u32 irq)
{
	return fake_cpus[arch_cpu_id()].irqs >> irq & 1;
}

/* ---- irq.h: the vgic's share ------------------------------------------- */
void arch_vgic_hw_init(void) { }

void arch_vgic_maintenance(struct vcpu *vcpu)
{
	if (vcpu)
		vcpu->vgic.maintenances++;
}

void arch_vgic_inject_forwarded(struct vcpu *vcpu, u32 irq)
{
	fake_vgic_inject(vcpu, irq);
}

bool arch_vgic_linked_irq(u32 irq) { (void)irq; return false; }
