/*
 * the board every guest sees, whatever board the hypervisor runs on: a
 * virt-like machine (vms/guest.dts.in describes it to the guest). the
 * stubs, tools/mkguests.py and the tests take these from here too (consts.c).
 *
 *   0x0800_0000  GICv2 distributor, emulated (vgic.c)
 *   0x0801_0000  GICv2 cpu interface: the physical GICV, 8 KiB (stage 2)
 *   0x0900_0000  PL011 uart, SPI 1 (id 33), emulated (vuart.c)
 *   0x0a00_0000  virtio-mmio slots of 0x200, slot n with SPI 16 + n (virtio_mmio.c):
 *                0 the console (hvc0), 1 the disk, 2 the network (eth0), for VMs
 *                that have them
 *   0x0b00_0000  test device, for VMs that ask (testdev.c)
 *   0x0b01_0000  control mailbox, for control VMs (control.c)
 *   0x0c00_0000  the trap log, read-only, for VMs that ask (vm.c)
 *   0x4000_0000  RAM; a kernel at +0x10000, as qemu -kernel puts it. an identity
 *                VM's RAM is elsewhere: at the board's range it owns (vm.c)
 */
#ifndef GUEST_BOARD_H
#define GUEST_BOARD_H

#define GUEST_GICD_IPA	    0x08000000ull
#define GUEST_GICC_IPA	    0x08010000ull
#define GUEST_UART_IPA	    0x09000000ull
#define GUEST_UART_IRQ	    33
#define GUEST_VIRTIO_IPA    0x0a000000ull
#define GUEST_VIRTIO_IRQ(n) (48 + (n))
#define GUEST_VIRTIO_SLOTS  16 /* the vgic's SPIs end at id 63 */
#define GUEST_VCON_SLOT	    0
#define GUEST_VBLK_SLOT	    1
#define GUEST_VNET_SLOT	    2
#define GUEST_TESTDEV_IPA   0x0b000000ull
#define GUEST_CTL_IPA	    0x0b010000ull /* the control mailbox (control.c) */
#define TRAPLOG_IPA	    0x0c000000ull
#define GUEST_RAM_IPA	    0x40000000ull
#define GUEST_KERNEL_OFFSET 0x10000 /* from the start of RAM, wherever that is */
#define GUEST_KERNEL_IPA    (GUEST_RAM_IPA + GUEST_KERNEL_OFFSET)

#endif
