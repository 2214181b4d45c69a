/* stopping the board for good: qemu's semihosting exit, else a wfi loop. */
#include "arch/arch.h"
#include "arch/sysregs.h"

/* semihosting SYS_EXIT (ARM DUI 0471, 8.29): qemu exits 0 or 1 with -semihosting */
#define SEMIHOST_SYS_EXIT		0x18
#define ADP_STOPPED_APPLICATION_EXIT	0x20026
#define ADP_STOPPED_RUNTIME_ERROR	0x20023

volatile bool hyp_halting;

void semihost_exit(bool ok)
{
	register u32 r0 asm("r0") = SEMIHOST_SYS_EXIT;
	register u32 r1 asm("r1") = ok ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUNTIME_ERROR;

	irq_disable();
	hyp_halting = true;
	/* without -semihosting the svc lands in hyp_fault, which halts quietly */
	asm volatile("svc #0x123456" : : "r"(r0), "r"(r1) : "memory");
	for (;;)
		wfi();
}
