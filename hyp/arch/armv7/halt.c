/*
 * stopping the board for good: qemu's semihosting exit, else a wfi loop;
 * and the stop when boot.S finds no way into hyp mode.
 */
#include "arch/arch.h"
#include "arch/cpu.h"
#include "arch/hsr.h"
#include "arch/sysregs.h"
#include "console.h"
#include "platform_if.h"

/* semihosting SYS_EXIT (ARM DUI 0471, 8.29): qemu exits 0 or 1 with -semihosting */
#define SEMIHOST_SYS_EXIT	     0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define ADP_STOPPED_RUNTIME_ERROR    0x20023

volatile bool hyp_halting;

void semihost_exit(bool ok)
{
	register u32 r0 asm("r0") = SEMIHOST_SYS_EXIT;
	register u32 r1 asm("r1") = ok ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUNTIME_ERROR;

	arch_irq_disable();
	hyp_halting = true;
	/* without -semihosting the svc lands in hyp_fault, which halts quietly */
	asm volatile("svc #0x123456" : : "r"(r0), "r"(r1) : "memory");
	for (;;)
		arch_wfi();
}

bool arch_halting(void)
{
	return hyp_halting;
}

/* boot.S could not reach hyp mode: say why, and stop */
void boot_no_hyp(const void *boot, u32 mode, bool secure)
{
	(void)boot;
	console_init();
	console_write("\n", 1);
	log_err("entered in mode %#x (%s); cannot reach hyp mode: ", mode,
		mode != PSR_MODE_SVC ? "not svc or hyp"
		: secure	     ? "secure svc"
				     : "non-secure svc");
	if (!(sysreg_read32(ID_PFR1) & (0xfu << 12)))
		console_printf("this cpu has no virtualization extensions\n");
	else
		console_printf("only hyp mode or secure svc can enter hyp "
			       "(qemu: -M %s,virtualization=on)\n",
			       PLAT_NAME);
	log_err("stopped\n");
	platform_halt_error();
}
