/* qemu -M orangepi-pc (allwinner h3, 4x cortex-a7): the board facts the hypervisor needs. */
#ifndef PLATFORM_H
#define PLATFORM_H

/*
 * physical memory map (qemu's hw/arm/allwinner-h3.c; the H3's user manual):
 *
 *   0x0000_0000 +------------------+
 *               | sram, ...        |
 *   0x01c2_8000 | UART0 1K         |  16550, 32-bit registers, spi 0 (id 32): the console
 *   0x01c8_1000 | GICD   4K        |  gic-400 distributor
 *   0x01c8_2000 | GICC   8K        |  cpu interface (hypervisor's)
 *   0x01c8_4000 | GICH   4K        |  virtual interface control
 *   0x01c8_6000 | GICV   8K        |  virtual cpu interface (given to guests)
 *   0x01f0_1c00 | CPUCFG 1K        |  cpu reset control and entry address
 *               |  ...             |
 *   0x4000_0000 +------------------+  RAM base (qemu takes 1 GiB only)
 *               | atags (qemu)     |
 *   0x4001_0000 | hyp.bin          |  text, data, trap log, stacks, page tables
 *               | guest images     |
 *   hyp end     | VM memory pool   |  2 MiB aligned, one slice per VM
 *               |  ...             |
 *   RAM end     +------------------+
 */

#define PLAT_NAME      "orangepi-pc"
#define PLAT_CPU       "cortex-a7" /* platform.mk's -cpu */
#define PLAT_RAM_BASE  0x40000000u
#define PLAT_BOOT_DATA 0x40000000u /* atags at +0x100 when r2 has none */
#define PLAT_MAX_CPUS  4

#define PLAT_UART_BASE	 0x01c28000u
#define PLAT_UART_IRQ	 32
#define PLAT_UART_SHIFT	 2 /* registers 4 bytes apart */
#define PLAT_GICD_BASE	 0x01c81000u
#define PLAT_GICC_BASE	 0x01c82000u
#define PLAT_GICH_BASE	 0x01c84000u
#define PLAT_GICV_BASE	 0x01c86000u
#define PLAT_CPUCFG_BASE 0x01f01c00u

/* no virtio-mmio: no disk and no uplink for the switch */
#define PLAT_VIRTIO_BASE  0
#define PLAT_VIRTIO_SLOTS 0
#define PLAT_VIRTIO_IRQ	  0

/* everything below RAM is devices: mapped strongly ordered by the hyp MMU. */
#define PLAT_DEV_BASE 0x00000000u
#define PLAT_DEV_SIZE 0x40000000u

#endif
