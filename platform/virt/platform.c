/* qemu virt: power off through qemu's psci firmware, secure boot set-up. */
#include "arch/arch.h"
#include "arch/sysregs.h"
#include "mmio.h"
#include "console.h"
#include "platform.h"

#define PSCI_SYSTEM_OFF		0x84000008u
#define PSCI_CPU_ON		0x84000003u
#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IGROUPR(n)		(0x080 + 4 * (n))
#define GICC_CTLR		0x000
#define GICC_PMR		0x004


/*
 * entered in secure svc (secure=on): before leaving the secure world, give
 * every interrupt to group 1 (non-secure) and the vfp to the non-secure side.
 */
void platform_secure_init(const void *dtb)
{
	u32 lines = 32 * ((mmio_read32(PLAT_GICD_BASE + GICD_TYPER) & 0x1f) + 1), i;

	(void)dtb;
	for (i = 0; i < lines / 32; i++)
		mmio_write32(PLAT_GICD_BASE + GICD_IGROUPR(i), ~0u);
	mmio_write32(PLAT_GICD_BASE + GICD_CTLR, 3);
	mmio_write32(PLAT_GICC_BASE + GICC_CTLR, 3);
	mmio_write32(PLAT_GICC_BASE + GICC_PMR, 0xff);
	sysreg_write32(NSACR, sysreg_read32(NSACR) | NSACR_CP10 | NSACR_CP11 | NSACR_NS_SMP);
	isb();
}

static u32 psci_smc(u32 fid, u32 a1, u32 a2, u32 a3)
{
	register u32 r0 asm("r0") = fid, r1 asm("r1") = a1, r2 asm("r2") = a2, r3 asm("r3") = a3;

	asm volatile("smc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
	return r0;
}

/* qemu's psci firmware starts the cpu at entry, in hyp mode, mmu off */
void platform_cpu_on(u32 cpu, u32 entry)
{
	u32 err = psci_smc(PSCI_CPU_ON, cpu, entry, 0);

	if (err)
		console_printf("hyp: cpu %u did not start: psci error %d\n", cpu, (int)err);
}

void platform_power_off(void)
{
	psci_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	/* booted secure (secure=on): no psci firmware answers */
	console_printf("hyp: no psci firmware to power off: semihosting exit, or halt\n");
	semihost_exit(true);
}

void platform_halt_error(void)
{
	semihost_exit(false);
}
