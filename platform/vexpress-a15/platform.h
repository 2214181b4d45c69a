/* qemu -M vexpress-a15,virtualization=on: the board facts the hypervisor needs. */
#ifndef PLATFORM_H
#define PLATFORM_H

/*
 * physical memory map (qemu's hw/arm/vexpress.c, "Cortex-A Series" motherboard
 * map and the a15 daughterboard; -m 1G):
 *
 *   0x0000_0000 +------------------+
 *               | flash, sram, ... |
 *   0x1c01_0000 | SYSREGS 4K       |  system registers: SYS_FLAGS, SYS_CFG
 *   0x1c09_0000 | PL011  4K        |  uart 0, spi 5 (id 37): the hypervisor's console
 *   0x1c13_0000 | virtio-mmio 4x   |  0x200 each, spi 40 + n (id 72 + n): the board's disk
 *               |  ...             |
 *   0x2c00_1000 | GICD   4K        |  distributor
 *   0x2c00_2000 | GICC   8K        |  cpu interface (hypervisor's)
 *   0x2c00_4000 | GICH   4K        |  virtual interface control
 *   0x2c00_6000 | GICV   8K        |  virtual cpu interface (given to guests)
 *               |  ...             |
 *   0x8000_0000 +------------------+  RAM base
 *               | atags or dtb     |  (qemu)
 *   0x8001_0000 | hyp.bin          |  text, data, trap log, stacks, page tables
 *               | guest images     |
 *   hyp end     | VM memory pool   |  2 MiB aligned, one slice per VM
 *               |  ...             |
 *   RAM end     +------------------+
 */

#define PLAT_NAME      "vexpress-a15"
#define PLAT_CPU       "cortex-a15" /* platform.mk's -cpu */
#define PLAT_RAM_BASE  0x80000000u
#define PLAT_BOOT_DATA 0x80000000u /* qemu's -dtb, when r2 has none (elf) */
#define PLAT_MAX_CPUS  4

#define PLAT_UART_BASE	  0x1c090000u
#define PLAT_UART_IRQ	  37
#define PLAT_GICD_BASE	  0x2c001000u
#define PLAT_GICC_BASE	  0x2c002000u
#define PLAT_GICH_BASE	  0x2c004000u
#define PLAT_GICV_BASE	  0x2c006000u
#define PLAT_SYSREGS_BASE 0x1c010000u

/* qemu's virtio-mmio slots on this board (hw/arm/vexpress.c: no device tree) */
#define PLAT_VIRTIO_BASE  0x1c130000u
#define PLAT_VIRTIO_SLOTS 4
#define PLAT_VIRTIO_IRQ	  72 /* slot n: SPI 40 + n */

/* everything below RAM is devices: mapped strongly ordered by the hyp MMU. */
#define PLAT_DEV_BASE 0x00000000u
#define PLAT_DEV_SIZE 0x80000000u

#endif
