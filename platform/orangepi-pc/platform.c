/* qemu orangepi-pc: secondary cpus by the H3's CPUCFG, power-off by qemu's psci. */
#include "arch/arch.h"
#include "console.h"
#include "hypercall.h" /* PSCI function ids */
#include "mmio.h"
#include "platform_if.h"

/* the H3's cpu configuration block (H3 user manual 4.4; qemu's hw/misc/allwinner-cpucfg.c) */
#define CPUCFG_RST_CTRL(n)  (PLAT_CPUCFG_BASE + 0x40 + 0x40 * (n))
#define CPUCFG_ENTRY_ADDR   (PLAT_CPUCFG_BASE + 0x1a4)
#define RST_CTRL_CORE_RESET (3u << 0) /* core and power-on reset released */

/*
 * the cpu starts at entry in secure svc, mmu off (qemu: as from reset, at
 * el3), and takes boot.S's secure path into hyp. on the H3 itself its power
 * clamp (R_PRCM) must be opened first: qemu has none.
 */
void platform_cpu_on(u32 cpu, paddr_t entry)
{
	mmio_write32(CPUCFG_ENTRY_ADDR, (u32)pa_addr(entry));
	mmio_write32(CPUCFG_RST_CTRL(cpu), 0);
	mmio_write32(CPUCFG_RST_CTRL(cpu), RST_CTRL_CORE_RESET);
}

/* qemu answers psci by smc for an image it enters in hyp; entered secure, nobody does */
void platform_power_off(void)
{
	register u32 r0 asm("r0") = PSCI_SYSTEM_OFF;

	asm volatile("smc #0" : "+r"(r0) : : "memory");
	log_info("no psci firmware to power off: semihosting exit, or halt\n");
	semihost_exit(true);
}

void platform_halt_error(void)
{
	semihost_exit(false);
}
