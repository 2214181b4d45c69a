/* qemu -M virt,virtualization=on: the board facts the hypervisor needs. */
#ifndef PLATFORM_H
#define PLATFORM_H

/*
 * physical memory map (from the board's dtb, -m 1G):
 *
 *   0x0000_0000 +------------------+
 *               | flash            |
 *   0x0800_0000 +------------------+
 *               | GICD   64K       |  distributor
 *   0x0801_0000 | GICC   64K       |  cpu interface (hypervisor's)
 *   0x0803_0000 | GICH   64K       |  virtual interface control
 *   0x0804_0000 | GICV   64K       |  virtual cpu interface (given to guests)
 *   0x0900_0000 | PL011  4K        |  uart, spi 1 (id 33): the hypervisor's console
 *   0x0a00_0000 | virtio-mmio      |
 *               |  ...             |
 *   0x4000_0000 +------------------+  RAM base
 *               | dtb (qemu)       |
 *   0x4001_0000 | hyp.bin          |  text, data, trap log, stacks, page tables
 *               | guest images     |
 *   hyp end     | VM memory pool   |  2 MiB aligned, one slice per VM
 *               |  ...             |
 *   RAM end     +------------------+
 */

#define PLAT_NAME      "virt"
#define PLAT_CPU       "cortex-a15" /* platform.mk's -cpu */
#define PLAT_RAM_BASE  0x40000000u
#define PLAT_BOOT_DATA 0x40000000u /* qemu's dtb, when r2 has none (elf) */
#define PLAT_MAX_CPUS  4

#define PLAT_UART_BASE 0x09000000u
#define PLAT_UART_IRQ  33
#define PLAT_GICD_BASE 0x08000000u
#define PLAT_GICC_BASE 0x08010000u
#define PLAT_GICH_BASE 0x08030000u
#define PLAT_GICV_BASE 0x08040000u

/* virtio-mmio slots, when the device tree has none (it has them all) */
#define PLAT_VIRTIO_BASE  0x0a000000u
#define PLAT_VIRTIO_SLOTS 32
#define PLAT_VIRTIO_IRQ	  48 /* slot n: SPI 16 + n */

/* everything below RAM is devices: mapped strongly ordered by the hyp MMU. */
#define PLAT_DEV_BASE 0x00000000u
#define PLAT_DEV_SIZE 0x40000000u

#endif
