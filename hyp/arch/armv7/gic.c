/* the physical GICv2 (IHI 0048B): the hypervisor's own interrupts. */
#include "arch/arch.h"
#include "arch/cpu.h"
#include "arch/sysregs.h"
#include "irq.h"
#include "mmio.h"
#include "platform.h"

#define GICD_CTLR	    0x000
#define GICD_TYPER	    0x004
#define GICD_TYPER_SEC_EXTN (1u << 10) /* the security extensions (4.3.2) */
#define GICD_IGROUPR(n)	    (0x080 + 4 * (n))
#define GICD_ISENABLER(n)   (0x100 + 4 * (n))
#define GICD_ICENABLER(n)   (0x180 + 4 * (n))
#define GICD_ISPENDR(n)	    (0x200 + 4 * (n))
#define GICD_ICACTIVER(n)   (0x380 + 4 * (n))
#define GICD_IPRIORITYR(n)  (0x400 + (n))
#define GICD_ITARGETSR(n)   (0x800 + (n))
#define GICD_SGIR	    0xf00
#define GICC_CTLR	    0x000
#define GICC_PMR	    0x004
#define GICC_IAR	    0x00c
#define GICC_EOIR	    0x010
#define GICC_DIR	    0x1000
#define GICC_CTLR_EOIMODENS (1u << 9)
#define GICC_CTLR_GRP1	    (1u << 1)	  /* no Security Extensions: EnableGrp1 */
#define GICC_CTLR_ACKCTL    (1u << 2)	  /* and IAR acknowledges group 1 too */
#define GICC_IAR_ID(iar)    ((iar)&0x3ff) /* 12:10 the cpu that sent an SGI */
#define GIC_SPURIOUS	    1023

#define GICD PLAT_GICD_BASE
#define GICC PLAT_GICC_BASE

/* GICD_TYPER (IHI 0048B 4.3.2): ITLinesNumber 4:0, CPUNumber 7:5 */
static u32 gic_lines(void)
{
	return 32 * ((mmio_read32(GICD + GICD_TYPER) & 0x1f) + 1);
}

u32 arch_gic_nr_cpus(void)
{
	return ((mmio_read32(GICD + GICD_TYPER) >> 5) & 7) + 1;
}

/*
 * in secure state, before leaving it for good: every interrupt to group 1,
 * the non-secure one. the distributor's shared registers once, by the boot
 * cpu; the banked ones (IGROUPR0, the cpu interface) by each cpu (4.3.10).
 * a gic without the security extensions (qemu's on orangepi-pc) has one
 * view for all: group 0 is then the hypervisor's, and stays.
 */
void gic_secure_init(bool boot_cpu)
{
	u32 i;

	if (!(mmio_read32(GICD + GICD_TYPER) & GICD_TYPER_SEC_EXTN))
		return;
	for (i = 0; i < (boot_cpu ? gic_lines() / 32 : 1); i++)
		mmio_write32(GICD + GICD_IGROUPR(i), ~0u);
	if (boot_cpu)
		mmio_write32(GICD + GICD_CTLR, 3); /* EnableGrp0 | EnableGrp1 */
	mmio_write32(GICC + GICC_CTLR, 3);
	mmio_write32(GICC + GICC_PMR, 0xff);
}

void arch_gic_init(void)
{
	u32 lines = gic_lines(), i;

	mmio_write32(GICD + GICD_CTLR, 0);
	for (i = 32; i < lines; i += 32)
		mmio_write32(GICD + GICD_ICENABLER(i / 32), ~0u);
	mmio_write32(GICD + GICD_CTLR, 3); /* group 1: passed-through SPIs (gic_spi_link) */
	arch_gic_cpu_init();
}

void arch_gic_cpu_init(void)
{
	mmio_write32(GICC + GICC_PMR, 0xf0);
	/*
	 * EOI drops priority, DIR deactivates: forwarded interrupts wait for
	 * the guest. group 1 signals as an IRQ too (a non-secure write, as on
	 * vexpress-a15, changes only bits 0 and 9: every interrupt is group 1)
	 */
	mmio_write32(GICC + GICC_CTLR, 1 | GICC_CTLR_GRP1 | GICC_CTLR_ACKCTL | GICC_CTLR_EOIMODENS);
}

/*
 * qemu 7.2 ends the physical interrupt of a list register with the HW bit
 * only if it is group 1 (hw/intc/gic_internal.h, gic_clear_active): on
 * virt, without Security Extensions, the boot leaves every one in group 0.
 * (non-secure on vexpress-a15, IGROUPR is RAZ/WI: all are group 1 there)
 */
static u32 nr_linked; /* SPIs linked to VMs (set at VM creation, read after) */

void gic_spi_link(u32 irq)
{
	u32 bit = 1u << (irq % 32);

	nr_linked++;
	gic_spi_route(irq, 0, false);
	mmio_write32(GICD + GICD_IGROUPR(irq / 32),
		     mmio_read32(GICD + GICD_IGROUPR(irq / 32)) | bit);
	mmio_write8(GICD + GICD_IPRIORITYR(irq), 0xa0);
}

/*
 * qemu 7.2's gic signals an interrupt again only when a line changes or a
 * register of it is written: a level still high when a guest's EOI ended
 * it through an LR's HW bit waits unsignalled for the next such event (the
 * PL181's data interrupt, raised in its own handler: a 128 KiB read took 8 s
 * of the guest's idle wfis, 0.2 s bare). before this cpu sleeps, a write
 * that changes nothing (IHI 0048B 4.3.5: zeros in ISENABLER) makes it look.
 */
void gic_resample(void)
{
	if (nr_linked)
		mmio_write32(GICD + GICD_ISENABLER(1), 0);
}

void gic_spi_route(u32 irq, u32 cpu, bool on)
{
	if (on)
		mmio_write8(GICD + GICD_ITARGETSR(irq), 1u << cpu);
	mmio_write32(GICD + (on ? GICD_ISENABLER(irq / 32) : GICD_ICENABLER(irq / 32)),
		     1u << (irq % 32));
}

/* IHI 0048B 4.3.9: ICACTIVER ends an SPI whichever cpu took it */
void gic_spi_end(u32 irq)
{
	mmio_write32(GICD + GICD_ICACTIVER(irq / 32), 1u << (irq % 32));
}

void arch_gic_enable_irq(u32 irq)
{
	mmio_write8(GICD + GICD_IPRIORITYR(irq), 0xa0);
	if (irq >= 32)
		mmio_write8(GICD + GICD_ITARGETSR(irq), 1u << arch_cpu_id());
	mmio_write32(GICD + GICD_ISENABLER(irq / 32), 1u << (irq % 32));
}

/* IHI 0048B 4.4.4: EOIR and DIR want the whole IAR back, an SGI's source included */
bool arch_gic_ack(u32 *id, u32 *ack)
{
	u32 iar = mmio_read32(GICC + GICC_IAR);

	*id = GICC_IAR_ID(iar);
	*ack = iar;
	return *id != GIC_SPURIOUS;
}

void arch_gic_eoi(u32 ack)
{
	mmio_write32(GICC + GICC_EOIR, ack);
}

void arch_gic_send_sgi(u32 cpu, u32 sgi)
{
	dsb();
	mmio_write32(GICD + GICD_SGIR, 1u << (16 + cpu) | sgi);
}

/* irq is pending for this cpu (SGIs and PPIs: its banked state) */
bool arch_gic_pending(u32 irq)
{
	return mmio_read32(GICD + GICD_ISPENDR(irq / 32)) >> (irq % 32) & 1;
}

void arch_gic_deactivate(u32 ack)
{
	mmio_write32(GICC + GICC_DIR, ack);
}
