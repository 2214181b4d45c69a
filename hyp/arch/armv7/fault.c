/*
 * the hypervisor's own exceptions (vectors.S): decode the syndrome and the
 * fault addresses, print the registers and a stack scan, stop the board.
 */
#include "atomic.h"
#include "arch/arch.h"
#include "arch/hsr.h"
#include "arch/sysregs.h"
#include "console.h"
#include "percpu.h"
#include "platform_if.h"
#include "traplog.h"
#include "vm.h"

extern char __image_start[], __text_end[];

/*
 * a backtrace without frame pointers (-O2 keeps none): the words on this
 * cpu's stack that point into the hypervisor's text are return addresses,
 * or were. hyp.sym or gdb's "info symbol" names them.
 */
static void stack_scan(u32 sp)
{
	u32 top = (u32)(uintptr_t)hyp_stacks + (arch_cpu_id() + 1) * HYP_STACK_SIZE, n = 0, a;
	u32 bottom = top - HYP_STACK_SIZE + HYP_GUARD_SIZE; /* not the guard page */

	panic_printf("call trace (stack scan from %08x):", sp);
	for (a = sp < bottom ? bottom : sp; a < top && n < 12; a += 4) {
		u32 w = *(const u32 *)(uintptr_t)a;

		if (w >= (uintptr_t)__image_start && w < (uintptr_t)__text_end && (w & 3) == 0) {
			panic_printf(" %08x", w);
			n++;
		}
	}
	panic_printf("\n");
}

static const char *const fault_names[] = {
	"reset", "undefined instruction", "hvc/svc", "prefetch abort", "data abort",
};

/* the hypervisor's own exception (vectors.S): dump everything and stop */
void hyp_fault(u32 kind, struct hyp_frame *f)
{
	char hsr[160];
	static u32 faulting;
	struct vcpu *v = this_cpu()->current;
	u32 i, guard;

	/* the semihosting exit itself without -semihosting, or a fault while reporting one */
	if (hyp_halting || xchg(&faulting, 1))
		for (;;)
			arch_wfi();
	hsr_decode(sysreg_read32(HSR), hsr, sizeof(hsr));
	panic_printf("\n*** HYPERVISOR PANIC on cpu %u: %s in hyp mode\n", arch_cpu_id(),
		     fault_names[kind]);
	panic_printf("%s\n", hsr);
	panic_printf("HDFAR %08x  HIFAR %08x  HPFAR %08x\n", sysreg_read32(HDFAR),
		     sysreg_read32(HIFAR), sysreg_read32(HPFAR));
	guard = sysreg_read32(HDFAR) - (u32)(uintptr_t)hyp_stacks;
	if (kind == 4 && guard < PLAT_MAX_CPUS * HYP_STACK_SIZE &&
	    guard % HYP_STACK_SIZE < HYP_GUARD_SIZE)
		panic_printf("stack overflow: into cpu %u's guard page\n", guard / HYP_STACK_SIZE);
	for (i = 0; i < 13; i++)
		panic_printf("r%-2u %08x%s", i, f->r[i], i % 4 == 3 ? "\n" : "  ");
	panic_printf("\nsp  %08x  lr  %08x  pc  %08x  spsr %08x\n", f->sp, f->lr, f->elr, f->spsr);
	if (v)
		panic_printf("running vm %u (%s), vcpu %u, guest pc %08x\n", v->vm->id, v->vm->name,
			     v->id, v->arch.regs.pc);
	stack_scan(f->sp);
	panic_printf("trap log left at %p for gdb\n", (void *)&traplog);
	platform_halt_error();
}
