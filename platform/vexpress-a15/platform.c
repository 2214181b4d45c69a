/* qemu vexpress-a15: secondary cpus and power-off through the motherboard's system registers. */
#include "arch/arch.h"
#include "arch/cpu.h"
#include "console.h"
#include "irq.h"
#include "mmio.h"
#include "platform_if.h"
#include "sched.h"

/* the system registers (ARM DUI 0447, V2M-P1 motherboard, 4.3) */
#define SYS_FLAGSSET	    (PLAT_SYSREGS_BASE + 0x30)
#define SYS_FLAGSCLR	    (PLAT_SYSREGS_BASE + 0x34)
#define SYS_CFGDATA	    (PLAT_SYSREGS_BASE + 0xa0)
#define SYS_CFGCTRL	    (PLAT_SYSREGS_BASE + 0xa4)
#define SYS_CFGSTAT	    (PLAT_SYSREGS_BASE + 0xa8)
#define SYS_CFG_START	    (1u << 31)
#define SYS_CFG_WRITE	    (1u << 30)
#define SYS_CFG_FUNCTION(f) ((u32)(f) << 20) /* site, position, device 0: the motherboard */
#define SYS_CFG_SHUTDOWN    8		     /* 9 is reboot */
#define SYS_CFGSTAT_ERROR   (1u << 1)

/*
 * qemu's boot loader parks the secondary cpus in a wfi loop (in secure svc,
 * or in hyp with secure=off) that jumps to SYS_FLAGS once an interrupt wakes
 * it and SYS_FLAGS is not zero.
 */
void platform_cpu_on(u32 cpu, paddr_t entry)
{
	mmio_write32(SYS_FLAGSCLR, ~0u);
	mmio_write32(SYS_FLAGSSET, (u32)pa_addr(entry));
	arch_gic_send_sgi(cpu, SGI_KICK);
}

/* no psci firmware here: the motherboard's configuration controller */
void platform_power_off(void)
{
	mmio_write32(SYS_CFGDATA, 0);
	mmio_write32(SYS_CFGCTRL,
		     SYS_CFG_START | SYS_CFG_WRITE | SYS_CFG_FUNCTION(SYS_CFG_SHUTDOWN));
	if (mmio_read32(SYS_CFGSTAT) & SYS_CFGSTAT_ERROR) {
		log_err("the system controller refused to power off: semihosting exit, or halt\n");
		semihost_exit(true);
	}
	arch_irq_disable();
	for (;;)
		arch_wfi();
}

void platform_halt_error(void)
{
	semihost_exit(false);
}
