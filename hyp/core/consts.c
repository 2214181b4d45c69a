/*
 * the numbers python and make share with the C headers, generated at build
 * time: the Makefile turns the "->NAME value" lines of this file's assembly
 * into build/include/consts.py (tools/mkguests.py, tools/traplog.py, the
 * tests) and build/include/consts.mk (the stubs' link address). like
 * asm_defs.c it is compiled, never linked; unlike it, it needs no board.
 */
#include "hypercall.h"
#include "images.h"
#include "traplog.h"
#include "virtio.h"
#include "vm.h"

/* as a 64-bit number, so that 0x86000000u comes out unsigned and -1 signed */
#define EMIT(str, val)	 asm volatile("\n->" str " %c0" : : "i"((long long)(val)))
#define DEFINE(sym, val) EMIT(#sym, val)
#define CONST(name)	 EMIT(#name, name) /* a macro of the same name */

/* a field of the image table: mkguests.py writes one word at this offset */
#define IMAGE_WORD(field, NAME)                                                             \
	_Static_assert(sizeof(((struct guest_image *)0)->field) == 4, #field ": one word"); \
	DEFINE(GUEST_IMAGE_##NAME, offsetof(struct guest_image, field))

#define VCPU_LOG(field, NAME) DEFINE(TRAPLOG_VCPU_##NAME, offsetof(struct traplog_vcpu, field))

void consts(void);
void consts(void)
{
	/* the board every guest sees (guest_board.h) */
	CONST(GUEST_GICD_IPA);
	CONST(GUEST_GICC_IPA);
	CONST(GUEST_UART_IPA);
	CONST(GUEST_UART_IRQ);
	CONST(GUEST_TESTDEV_IPA);
	CONST(GUEST_VIRTIO_IPA);
	CONST(GUEST_VIRTIO_SLOTS);
	CONST(GUEST_VCON_SLOT);
	CONST(GUEST_VBLK_SLOT);
	CONST(GUEST_VNET_SLOT);
	DEFINE(GUEST_VIRTIO_IRQ0, GUEST_VIRTIO_IRQ(0));
	DEFINE(GUEST_VIRTIO_SIZE, VIRTIO_MMIO_SIZE);
	CONST(TRAPLOG_IPA);
	CONST(GUEST_RAM_IPA);
	CONST(GUEST_KERNEL_IPA);
	CONST(GUEST_KERNEL_OFFSET);
	CONST(VM_RAM_BLOCK);

	/* what a manifest may ask for, and what becomes of a VM (vm.h) */
	CONST(VM_MAX_VCPUS);
	CONST(VM_EMPTY);
	CONST(VM_RUNNING);
	CONST(VM_STOPPED);
	CONST(VM_CRASHED);
	CONST(GUEST_TESTDEV);
	CONST(PT_BITS);
	CONST(PT_MASK);
	CONST(GUEST_DEFAULT);
	CONST(GUEST_TRAPLOG_OWN);
	CONST(GUEST_TRAPLOG_ALL);
	CONST(GUEST_VCON);
	CONST(GUEST_VNET);
	CONST(GUEST_CONTROL);
	CONST(GUEST_CTL_IPA);
	CONST(HYP_CTL_LIST);
	CONST(HYP_CTL_NAME);
	CONST(HYP_CTL_START);
	CONST(HYP_CTL_SHUTDOWN);
	CONST(HYP_CTL_DESTROY);
	CONST(HYP_CTL_RESET);
	CONST(HYP_CTL_PIN);

	/*
	 * struct guest_image, the table mkguests.py writes into images.S. its
	 * size is checked here, where the layout is exported, and not in vm.h:
	 * the host unit tests include vm.h too, and there a pointer is no word.
	 */
	_Static_assert(sizeof(struct guest_image) == 20 * 4, "guest_image: 20 words, no padding");
	_Static_assert(sizeof(struct guest_pt) == 4 * 4, "guest_pt: mkguests.py writes 4 words");
	DEFINE(GUEST_IMAGE_SIZE, sizeof(struct guest_image));
	IMAGE_WORD(name, NAME);
	IMAGE_WORD(kernel, KERNEL);
	IMAGE_WORD(kernel_end, KERNEL_END);
	IMAGE_WORD(initrd, INITRD);
	IMAGE_WORD(initrd_end, INITRD_END);
	IMAGE_WORD(initrd_ipa, INITRD_IPA);
	IMAGE_WORD(dtb, DTB);
	IMAGE_WORD(dtb_end, DTB_END);
	IMAGE_WORD(dtb_ipa, DTB_IPA);
	IMAGE_WORD(ram_mib, RAM_MIB);
	IMAGE_WORD(identity, IDENTITY);
	IMAGE_WORD(nr_vcpus, NR_VCPUS);
	IMAGE_WORD(cpu_mask, CPU_MASK);
	IMAGE_WORD(flags, FLAGS);
	IMAGE_WORD(disk_start_mib, DISK_START_MIB);
	IMAGE_WORD(disk_mib, DISK_MIB);
	IMAGE_WORD(mac_hi, MAC_HI);
	IMAGE_WORD(mac_lo, MAC_LO);
	IMAGE_WORD(pt, PT);
	IMAGE_WORD(nr_pt, NR_PT);

	/* the trap log (traplog.h), as tools/traplog.py decodes a dump of it */
	CONST(TRAPLOG_MAGIC);
	CONST(TRAPLOG_VERSION);
	CONST(TRAPLOG_MAX_VMS);
	CONST(TRAPLOG_MAX_VCPUS);
	CONST(TRAPLOG_MAX_CPUS);
	CONST(TRAPLOG_NR_EC);
	CONST(TRAPLOG_NR_HVC_RANGE);
	CONST(TRAPLOG_NR_MMIO_DEV);
	CONST(TRAPLOG_NR_QUEUES);
	CONST(TRAPLOG_RING_LEN);
	CONST(TRAPLOG_NAME_LEN);
	CONST(TRAPLOG_VM_SIZE);
	CONST(TRAPLOG_ROW_IRQ);
	CONST(TRAPLOG_ROW_MARK);
	CONST(TRAPLOG_ROW_CTL);
	CONST(TRAPLOG_CTL_CONSOLE);
	DEFINE(TRAPLOG_SIZE, sizeof(struct traplog));
	DEFINE(TRAPLOG_RING_HEADS, offsetof(struct traplog, ring));
	DEFINE(TRAPLOG_VMS, offsetof(struct traplog, vm));
	DEFINE(TRAPLOG_RECS, offsetof(struct traplog, rec));
	DEFINE(TRAPLOG_RING_HEAD_SIZE, sizeof(struct traplog_ring));
	DEFINE(TRAPLOG_REC_SIZE, sizeof(struct traplog_rec));
	DEFINE(TRAPLOG_VM_NAME, offsetof(struct traplog_vm, name));
	DEFINE(TRAPLOG_VM_MMIO_NAMES, offsetof(struct traplog_vm, mmio_name));
	DEFINE(TRAPLOG_MMIO_NAME_LEN, sizeof(((struct traplog_vm *)0)->mmio_name[0]));
	DEFINE(TRAPLOG_VM_VCPUS, offsetof(struct traplog_vm, vcpu));
	DEFINE(TRAPLOG_VCPU_SIZE, sizeof(struct traplog_vcpu));
	DEFINE(TRAPLOG_VM_NET, offsetof(struct traplog_vm, net));
	DEFINE(TRAPLOG_UPLINK, offsetof(struct traplog, uplink));
	DEFINE(TRAPLOG_NET_SIZE, sizeof(struct traplog_net));
	CONST(TRAPLOG_NR_ROWS);
	VCPU_LOG(total, TOTAL);
	VCPU_LOG(row, ROWS);
	DEFINE(TRAPLOG_ROW_SIZE, sizeof(struct traplog_row));
	DEFINE(TRAPLOG_ROW_COUNT, offsetof(struct traplog_row, count));
	DEFINE(TRAPLOG_ROW_CYCLES, offsetof(struct traplog_row, cycles));
	DEFINE(TRAPLOG_ROW_WORST, offsetof(struct traplog_row, worst));
	DEFINE(TRAPLOG_ROW_WORST_PC, offsetof(struct traplog_row, worst_pc));
	VCPU_LOG(hvc, HVC);
	VCPU_LOG(mmio, MMIO);
	VCPU_LOG(switches, SWITCHES);
	VCPU_LOG(injected, INJECTED);
	VCPU_LOG(passthrough, PASSTHROUGH);
	VCPU_LOG(notify, NOTIFY);
}
