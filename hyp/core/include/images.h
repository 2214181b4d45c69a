/* the guests packed into hyp.bin by tools/mkguests.py: their images and what they get. */
#ifndef IMAGES_H
#define IMAGES_H

#include "types.h"

/*
 * a device of the board given to a VM (docs/passthrough.md): its registers
 * at the same address in its stage 2, or, forwarded, each access made by
 * the hypervisor (forward.c); its SPI linked to the one its guest sees.
 * a block of registers shared with others (the H3's clock and reset
 * controller, its system control) is forwarded too (PT_BITS): the VM reads
 * it whole and writes only its devices' bits, which the PT_MASK entries
 * after it give. mkguests.py writes them (.word base, size, irq | virq << 16 or bits,
 * forward) and has checked them: no one else's, not the hypervisor's, mapped
 * ones page-aligned, forwarded ones inside the hypervisor's device window,
 * no bit of a register two VMs' or the hypervisor's.
 */
struct guest_pt {
	u32 base, size; /* size 0: a further interrupt of the device before */
	union {
		struct {
			u16 irq, virq; /* its physical id and the guest's; 0: none */
		};
		u32 bits; /* PT_BITS: its PT_MASK entries; PT_MASK: the VM's bits */
	};
	u32 forward; /* 0: mapped; else the widths forwarded, n set for n bytes */
};

#define PT_BITS (1u << 8) /* a shared block: 32-bit writes, masked by the entries after */
#define PT_MASK (1u << 9) /* no device: the register at base, and bits, the VM's in it */

/*
 * a guest packed into hyp.bin (images.S, written by tools/mkguests.py from
 * the manifest in vms/): its kernel, initrd and device tree, and where in
 * guest ram they go (qemu's -kernel placement on the virt board). an
 * identity VM (docs/passthrough.md) has its ram at the board's range that
 * starts at identity, the ipas the same as the pas, for a device of the
 * board that does dma: the ipas in the table are in that range.
 */
struct guest_image {
	const char *name;
	const u8 *kernel, *kernel_end;
	const u8 *initrd, *initrd_end; /* NULL if none */
	u32 initrd_ipa;
	const u8 *dtb, *dtb_end;
	u32 dtb_ipa;
	u32 ram_mib;
	u32 identity; /* its ram's board address, guest-physical the same; 0: the pool's */
	u32 nr_vcpus;
	u32 cpu_mask; /* physical cpus its vcpus run on */
	u32 flags;
	u32 disk_start_mib;	   /* its range of the board's disk (virtio_blk.c), */
	u32 disk_mib;		   /* none if 0 */
	u32 mac_hi, mac_lo;	   /* its virtio-net's address (GUEST_VNET): bytes 0-1, 2-5 */
	const struct guest_pt *pt; /* the board's devices it owns */
	u32 nr_pt;
};

/*
 * a layout shared with a tool: tools/mkguests.py writes each field as one
 * .word at the offset consts.c exports for it. a new field trips consts.c's
 * size check, and mkguests.py until consts.c exports it and mkguests.py
 * fills it in.
 */

#define GUEST_TESTDEV	  (1u << 0) /* gets the mmio test device */
#define GUEST_DEFAULT	  (1u << 1) /* runs when hyp.vms= is not given */
#define GUEST_TRAPLOG_OWN (1u << 2) /* sees its own counters (map_traplog) */
#define GUEST_TRAPLOG_ALL (1u << 3) /* sees the whole trap log */
#define GUEST_VCON	  (1u << 4) /* gets a virtio console (virtio_console.c) */
#define GUEST_VNET	  (1u << 5) /* gets a virtio network card (virtio_net.c) */
#define GUEST_CONTROL	  (1u << 6) /* may control the others (control.c) */

extern const struct guest_image guest_images[];

#endif
