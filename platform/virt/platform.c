/* qemu virt: secondary cpus and power-off through qemu's psci firmware. */
#include "arch/arch.h"
#include "console.h"
#include "hypercall.h" /* PSCI function ids: the same for qemu's firmware as for guests */
#include "platform_if.h"

static u32 psci_smc(u32 fid, u32 a1, u32 a2, u32 a3)
{
	register u32 r0 asm("r0") = fid, r1 asm("r1") = a1, r2 asm("r2") = a2, r3 asm("r3") = a3;

	asm volatile("smc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
	return r0;
}

/* qemu's psci firmware starts the cpu at entry, in hyp mode, mmu off */
void platform_cpu_on(u32 cpu, paddr_t entry)
{
	u32 err = psci_smc(PSCI_CPU_ON, cpu, (u32)pa_addr(entry), 0);

	if (err)
		log_err("cpu %u did not start: psci error %d\n", cpu, (int)err);
}

void platform_power_off(void)
{
	psci_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	/* booted secure (secure=on): no psci firmware answers */
	log_info("no psci firmware to power off: semihosting exit, or halt\n");
	semihost_exit(true);
}

void platform_halt_error(void)
{
	semihost_exit(false);
}
