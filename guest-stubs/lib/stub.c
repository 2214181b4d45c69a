/* the guest stubs' runtime: printing through the emulated pl011, hvc/smc. */
#include <stdarg.h>
#include "fdt.h"
#include "fmt.h"
#include "lib.h"
#include "stub.h"

void (*volatile exc_hook)(enum exc_kind kind, struct exc_frame *f);

static const char *const exc_names[] = {
	"", "undefined instruction", "svc", "prefetch abort", "data abort", "irq", "fiq",
};

void puts_raw(const char *s)
{
	while (*s)
		*(volatile u32 *)UART_DR = (u8)*s++;
}

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	puts_raw(buf);
	return n;
}

/* SMCCC: id and arguments in r0-r3, results back in r0-r3 */
struct hvc_ret hvc_call(u32 a0, u32 a1, u32 a2, u32 a3)
{
	register u32 r0 asm("r0") = a0, r1 asm("r1") = a1;
	register u32 r2 asm("r2") = a2, r3 asm("r3") = a3;

	asm volatile("hvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) :: "memory");
	return (struct hvc_ret){ r0, r1, r2, r3 };
}

struct hvc_ret smc_call(u32 a0, u32 a1, u32 a2, u32 a3)
{
	register u32 r0 asm("r0") = a0, r1 asm("r1") = a1;
	register u32 r2 asm("r2") = a2, r3 asm("r3") = a3;

	asm volatile(".arch_extension sec\n\tsmc #0"
		     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) :: "memory");
	return (struct hvc_ret){ r0, r1, r2, r3 };
}

void power_off(void)
{
	hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	printf("FAIL: still running after SYSTEM_OFF\n");
	for (;;)
		asm volatile("wfi");
}

extern u32 boot_r2;

u32 stub_bootarg(const char *key, u32 dflt)
{
	const void *dtb = (const void *)boot_r2;
	struct fdt_board b;
	const char *p;
	u32 n = 0;

	if (fdt_check(dtb, 0x100000) || fdt_board_info(dtb, &b) || !(p = strstr(b.bootargs, key)))
		return dflt;
	for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	return n;
}

u32 stub_rand(u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

void (*volatile stub_secondary_fn)(void);

/* a stub that starts its vcpus with stub_cpu_on: run fn, then CPU_OFF */
__attribute__((weak)) void secondary_main(void)
{
	stub_secondary_fn();
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

int stub_cpu_on(u32 cpu, void (*fn)(void), void *stack_top)
{
	stub_secondary_fn = fn;
	return (int)hvc_call(PSCI_CPU_ON, cpu, (u32)stub_secondary_entry, (u32)stack_top).r0;
}

void stub_gic_on(u32 irq)
{
	*(volatile u32 *)(GICD + GICD_ISENABLER0 + irq / 32 * 4) = 1u << irq % 32;
	*(volatile u32 *)(GICD + GICD_CTLR) = 1;
	*(volatile u32 *)(GICC + GICC_PMR) = 0xff;
	*(volatile u32 *)(GICC + GICC_CTLR) = 1;
}

u64 stub_cntvct(void)
{
	u64 v;

	asm volatile("isb\n\tmrrc p15, 1, %Q0, %R0, c14" : "=r"(v));
	return v;
}

u32 stub_cntfrq(void)
{
	return mrc(0, 14, 0, 0);
}

void stub_vtimer_set(u64 cval, u32 ctl)
{
	mcr(0, 14, 3, 1, 0u);							/* CNTV_CTL */
	asm volatile("mcrr p15, 3, %Q0, %R0, c14" :: "r"(cval));		/* CNTV_CVAL */
	mcr(0, 14, 3, 1, ctl);
	asm volatile("isb");
}

volatile u32 stub_aborts;

void skip_data_aborts(enum exc_kind kind, struct exc_frame *f)
{
	if (kind != EXC_DABT) {
		printf("FAIL: exception %u at %08x\n", kind, f->pc);
		power_off();
	}
	stub_aborts++;
	f->pc += 4;		/* arm state: the access is 4 bytes */
}

void exc_dispatch(enum exc_kind kind, struct exc_frame *f);
void exc_dispatch(enum exc_kind kind, struct exc_frame *f)
{
	if (exc_hook) {
		exc_hook(kind, f);
		return;
	}
	printf("FAIL: unexpected %s at pc %08x\n", exc_names[kind], f->pc);
	power_off();
}
