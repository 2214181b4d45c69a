/* virtual machines and their vcpus: the generic part. */
#ifndef VM_H
#define VM_H

#include "types.h"
#include "addr.h"
#include "arch/vcpu.h" /* the layouts struct vcpu and struct vm embed (docs/seam.md) */
#include "arch/vgic.h"
#include "guest_board.h"
#include "spinlock.h"
#include "traplog_inc.h"
#include "mmio.h"	 /* struct mmio_dev */
#include "virtio_mmio.h" /* its devices: struct vm_virtio */
#include "vuart.h"	 /* struct vuart, struct testdev */

#define VM_MAX	     TRAPLOG_MAX_VMS
#define VM_MAX_VCPUS TRAPLOG_MAX_VCPUS
#define VM_MAX_MMIO  TRAPLOG_NR_MMIO_DEV

#define VM_RAM_BLOCK  (2 * MiB) /* guest ram is zeroed and mapped at first touch, by these */
#define VM_RAM_BLOCKS ((u32)((1ull << 32) - GUEST_RAM_IPA) / VM_RAM_BLOCK)

/* RESETTING is the hypervisor's alone: the trap log says RUNNING meanwhile */
enum vm_state { VM_EMPTY, VM_RUNNING, VM_STOPPED, VM_CRASHED, VM_RESETTING };
/*
 * OFF until PSCI CPU_ON (or, for vcpu 0, a load) claims it as ON_PENDING and
 * sets its context; then RUNNABLE, through sched_runnable() only; WFI while
 * it waits for an interrupt; STOPPED with its VM.
 */
enum vcpu_state { VCPU_OFF, VCPU_RUNNABLE, VCPU_WFI, VCPU_STOPPED, VCPU_ON_PENDING };

struct vm;
struct vcpu;
struct guest_image; /* images.h */

extern u32 nr_cpus;

/*
 * a vcpu. the cpu running it owns arch and the trap log's pointers; the
 * shared words say who writes them (docs/locking.md).
 */
struct vcpu {
	struct vcpu_arch arch; /* first: the trap entry finds regs at 0 */
	struct vm *vm;
	u32 id;
	u32 pcpu;	       /* the physical cpu it runs on: its home writes it (atomic) */
	enum vcpu_state state; /* any cpu: cas, or a release store by its owner (atomic) */
	struct vgic_cpu vgic;  /* covered by vm->vgic.lock */
	/* only its home cpu writes these: the trap path loads four with one ldm, one add */
	struct traplog_vcpu *log __attribute__((aligned(32)));
	u32 log_who;		      /* TRAPLOG_WHO(vm, vcpu) for ring records */
	struct traplog_ring *ring;    /* its cpu's ring: head */
	struct traplog_rec *ring_rec; /* and records */
	/* a trap's record while the ring is off, never read; aligned, its offset is one add */
	struct traplog_rec no_rec __attribute__((aligned(32)));
	u32 loop_pc, loop_count; /* the same fault again and again (vm_fault_loop): its cpu's */
	u64 loop_traps;
	u32 pin;       /* 1 + the cpu it moves to at its VM's next start or reset (control.c) */
	u32 move_to;   /* 1 + the cpu its home hands it to at its next kick (sched_move; atomic) */
	u32 ctl[4];    /* the control mailbox's r0-r3 (control.c): only the vcpu itself */
	u32 log_reset; /* its counters to zero, by its home cpu (vm_log_reset; atomic) */
};

/*
 * a VM. what vm_create sets stays until the VM is created again; the rest
 * is marked with the lock that covers it, or as atomic (docs/locking.md).
 */
struct vm {
	u32 id;
	u32 vmid; /* stage-2 tag, never 0 */
	const char *name;
	enum vm_state state; /* cas where two cpus race, else a release store (atomic) */
	paddr_t ram_pa;	     /* host physical base of guest ram */
	u64 ram_size;
	/* its emulated devices, searched in order from the last one hit (mmio.c); set
	 * while the VM is created; mmio_last any vcpu's (a race costs a longer search) */
	u32 nr_mmio, mmio_last;
	struct mmio_dev mmio[VM_MAX_MMIO];
	/* its guest physical base: GUEST_RAM_IPA, or ram_pa (identity); after mmio[],
	 * whose offset the trap path's code is shortest at (bench/traps.md) */
	ipaddr_t ram_ipa;
	u32 ram_ready[VM_RAM_BLOCKS / 32]; /* blocks zeroed and mapped, set under ram_lock */
	spinlock_t ram_lock;
	u32 ram_faults; /* stage-2 aborts that were a first touch, as its vcpus' exits (atomic) */
	u64 *s2_root;	/* stage-2 level-1 table */
	u32 nr_vcpus;
	struct vcpu vcpu[VM_MAX_VCPUS];
	struct traplog_vm *log;
	struct vgic_dist vgic; /* covered by its own lock (arch/vgic.h) */
	u64 cntvoff;	       /* the VM's virtual counter starts near 0 */
	u32 logged;	       /* messages about its mistakes so far (vm_log_ok; atomic) */
	/* hvc/smc calls by function id (the null call only in its range count);
	 * its vcpus on several cpus count at once (atomic adds); a new id, and
	 * a reset, take calls_lock; nr_calls is published with a release store */
	struct {
		u32 fid;
		u32 count;
	} calls[16];
	u32 nr_calls;
	spinlock_t calls_lock;
	/* its devices (hyp/vdev): each mmio[] entry's dev points into these; each
	 * covered by its own lock (vuart, virtio_dev) */
	struct vuart uart;
	struct testdev testdev;
	struct vm_virtio virtio;
	const struct guest_image *image;
};

extern struct vm vms[VM_MAX];
extern u32 nr_vms;

void vm_add_mmio(struct vm *vm, const struct mmio_dev *dev);
bool vm_stop(struct vm *vm, const char *why);
void vm_log_reset(struct vm *vm);
void vm_log_catch_up(void);	     /* SGI_KICK: this cpu's share of a vm_log_reset */
void vm_log_take(struct vcpu *vcpu); /* its home cpu, before it runs: the same for it */
bool vm_fault_loop(struct vcpu *vcpu);
bool vm_log_ok(struct vm *vm);
void vm_crash(struct vm *vm, const char *why);
bool vm_reset(struct vm *vm);
bool vm_start(struct vm *vm);
bool vm_destroy(struct vm *vm);
void vcpu_set_home(struct vcpu *v, u32 cpu);
void ctl_attach(struct vm *vm); /* the control mailbox (control.c) */
void vms_create(const char *bootargs, paddr_t pool_start, paddr_t pool_end);
bool vm_image_owns(paddr_t pa); /* a device of the board a VM owns (passthrough) */
void vm_print_board(void);
/*
 * every access the hypervisor makes to a VM's ram on its behalf (image load,
 * virtio rings and buffers, a device's dma) takes its pa from vm_ipa_to_pa,
 * which populates the blocks it covers: a first touch after it would wipe
 * what was written. a device reading unpopulated ram reads zeros.
 * vm_ipa_to_pa_some zeroes at most *fill blocks (and takes them from it):
 * 0 when the range needs more, which a later call goes on with; -1 outside.
 */
bool vm_ipa_to_pa(struct vm *vm, ipaddr_t ipa, u64 size, paddr_t *pa);
int vm_ipa_to_pa_some(struct vm *vm, ipaddr_t ipa, u64 size, paddr_t *pa, u32 *fill);
bool vm_ram_populate(struct vm *vm, ipaddr_t ipa);

/*
 * a stage-2 abort at ipa: a first touch of its ram? most aborts are mmio,
 * so a 32-bit test turns them away inline; vm_ram_populate checks fully.
 */
static inline bool vm_ram_fault(struct vm *vm, ipaddr_t ipa)
{
	return (u32)ipa_diff(ipa, vm->ram_ipa) < (u32)vm->ram_size && vm_ram_populate(vm, ipa);
}

/* --- implemented by arch ------------------------------------------------ */

/* a vcpu: its reset state, its registers, its vfp (vcpu.c) */
void arch_vcpu_init(struct vcpu *vcpu, ipaddr_t entry, u32 r0, u32 r1, u32 r2);
void arch_vfp_forget(struct vcpu *vcpu); /* it goes away: not the vfp owner */
/* inline (arch/vcpu_regs.h), for the hypercall and emulated mmio paths */
static inline u32 arch_vcpu_reg_read(struct vcpu *vcpu,
				     u32 n); /* register n, as the guest sees it */
static inline void arch_vcpu_reg_write(struct vcpu *vcpu, u32 n, u32 val);
static inline u32 arch_vcpu_arg(const struct vcpu *vcpu, u32 n); /* SMCCC: 0 the function id */
static inline void arch_vcpu_set_ret(struct vcpu *vcpu, u32 n, u32 val); /* SMCCC result n */
static inline void arch_vcpu_set_rets(struct vcpu *vcpu, u32 r0, u32 r1, u32 r2, u32 r3);
static inline u32 arch_vcpu_pc(const struct vcpu *vcpu);
static inline u32 arch_vcpu_mpidr(const struct vcpu *vcpu);
static inline bool arch_vcpu_loaded(const struct vcpu *vcpu); /* its state is in the cpu */

/* the VM's stage-2 translation (mmu.c) */
enum s2_kind { S2_RAM, S2_MMIO, S2_READ_ONLY };
void arch_stage2_init(struct vm *vm);
int arch_stage2_map(struct vm *vm, ipaddr_t ipa, paddr_t pa, u64 size, enum s2_kind kind);
void arch_stage2_unmap(struct vm *vm, ipaddr_t ipa, u64 size); /* and from every cpu's tlb */
void arch_dcache_clean(paddr_t pa, u64 size);		       /* to the point of coherency */

/* the VM's interrupt controller (vgic.c) */
void arch_vgic_vm_init(struct vm *vm);
void arch_vgic_vcpu_reset(struct vcpu *vcpu);
void arch_vgic_attach(struct vm *vm); /* its distributor and cpu interface */
void arch_vgic_set_level(struct vm *vm, u32 irq, bool level); /* a device's line */
/* a passed-through device's SPI: physical pirq, the guest's virq (its
 * vm_create only); masked at the VM's stop, ended at its reset */
void arch_vgic_link(struct vm *vm, u32 virq, u32 pirq);
void arch_vgic_mask(struct vm *vm);

#include "arch/vcpu_regs.h"

#endif
