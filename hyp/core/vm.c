/*
 * VMs: built from the guest images packed into hyp.bin, chosen on the
 * board's command line (hyp.vms=a,b,...), each with its own ram slice,
 * stage-2 tables and emulated devices; stopped, reset and reported (the
 * report's tables: trapprint.c).
 */
#include "atomic.h"
#include "console.h"
#include "fmt.h"
#include "images.h"
#include "irq.h"
#include "lib.h"
#include "mmio.h"
#include "percpu.h"
#include "platform_if.h"
#include "sched.h"
#include "trapprint.h"
#include "virtio_mmio.h"
#include "vm.h"

struct vm vms[VM_MAX];
u32 nr_vms;

static paddr_t pool_start, pool_next, pool_end; /* guest ram comes from here */

void vm_add_mmio(struct vm *vm, const struct mmio_dev *dev)
{
	u32 i;

	if (vm->nr_mmio == VM_MAX_MMIO)
		panic("vm %s: more than %u devices", vm->name, VM_MAX_MMIO);
	if (ipa_addr(dev->base) + dev->size > 1ull << 32) /* mmio_emulate compares 32 bits */
		panic("vm %s: device %s above 4 GiB", vm->name, dev->name);
	vm->mmio[vm->nr_mmio] = *dev;
	for (i = 0; dev->name[i] && i < 7; i++)
		vm->log->mmio_name[vm->nr_mmio][i] = dev->name[i];
	vm->log->nr_mmio_dev = ++vm->nr_mmio;
}

/*
 * a VM's ram is zeroed a block at a time, when first touched: its boot
 * costs nothing for ram it never uses, and it never sees what an earlier
 * boot or the board left there. a block's bit in ram_ready is set, under
 * the VM's ram_lock, once it is zeroed, cleaned and mapped: two vcpus
 * faulting on one block, or a device filling it from another cpu, take the
 * lock in turn and the second finds the work done. the bit is read first
 * without the lock (acquire, pairing with the release that set it).
 */
static void populate(struct vm *vm, u32 b)
{
	u32 bit = 1u << (b % 32);
	u64 off = (u64)b * VM_RAM_BLOCK, size = vm->ram_size - off;
	paddr_t pa = pa_add(vm->ram_pa, off);

	if (load_acquire(&vm->ram_ready[b / 32]) & bit)
		return;
	if (size > VM_RAM_BLOCK)
		size = VM_RAM_BLOCK; /* a ram of an odd MiB ends in part of one */
	spin_lock(&vm->ram_lock);
	if (!(vm->ram_ready[b / 32] & bit)) {
		memset(pa_ptr(pa), 0, size);
		arch_dcache_clean(pa, size); /* for a guest with its caches off */
		if (arch_stage2_map(vm, ipa_add(vm->ram_ipa, off), pa, size, S2_RAM))
			panic("vm %s: cannot map its ram at %#llx", vm->name,
			      ipa_addr(vm->ram_ipa) + off);
		store_release(&vm->ram_ready[b / 32], vm->ram_ready[b / 32] | bit);
	}
	spin_unlock(&vm->ram_lock);
}

/*
 * [ipa, ipa + size) of the VM's ram: its pa, the blocks it covers populated.
 * the one way a guest's address becomes a physical one; false if any byte
 * of it is not the VM's ram.
 */
int vm_ipa_to_pa_some(struct vm *vm, ipaddr_t ipa, u64 size, paddr_t *pa, u32 *fill)
{
	u64 off = ipa_diff(ipa, vm->ram_ipa), b;

	if (!ipa_to_pa_in(ipa, size, vm->ram_ipa, vm->ram_pa, vm->ram_size, pa))
		return -1;
	for (b = off / VM_RAM_BLOCK; b <= (off + size - !!size) / VM_RAM_BLOCK; b++) {
		if (load_acquire(&vm->ram_ready[b / 32]) & 1u << (b % 32))
			continue;
		if (!*fill)
			return 0;
		--*fill;
		populate(vm, b);
	}
	return 1;
}

bool vm_ipa_to_pa(struct vm *vm, ipaddr_t ipa, u64 size, paddr_t *pa)
{
	u32 fill = ~0u;

	return vm_ipa_to_pa_some(vm, ipa, size, pa, &fill) > 0;
}

/*
 * a stage-2 abort (from any of its vcpus) at ipa: inside its ram it is a
 * first touch, populated here, and the access is retried; it counts as an
 * exit of its class like any other, and in ram_faults.
 */
bool vm_ram_populate(struct vm *vm, ipaddr_t ipa)
{
	paddr_t pa;

	if (!vm_ipa_to_pa(vm, ipa, 1, &pa))
		return false;
	atomic_add_relaxed(&vm->ram_faults, 1);
	return true;
}

/* an image into the VM's ram at ipa (the manifest's layout, checked by mkguests.py) */
static void load_image(struct vm *vm, ipaddr_t ipa, const u8 *start, const u8 *end,
		       const char *what)
{
	paddr_t pa;

	if (!vm_ipa_to_pa(vm, ipa, end - start, &pa))
		panic("vm %s: its %s does not fit its ram at %#llx", vm->name, what, ipa_addr(ipa));
	memcpy(pa_ptr(pa), start, end - start);
	arch_dcache_clean(pa, end - start); /* the guest starts with its caches off */
}

/* pristine images: hyp.bin keeps them read-only, a reset copies them again */
static void vm_load(struct vm *vm)
{
	const struct guest_image *img = vm->image;
	ipaddr_t entry = ipa_add(vm->ram_ipa, GUEST_KERNEL_OFFSET);
	paddr_t pa;
	u32 i;

	virtio_vm_reset(vm);   /* before its memory changes under the devices */
	arch_vgic_vm_init(vm); /* a reset distributor */
	/* its ram goes, to come back zeroed at its next touch (no cpu runs it now) */
	arch_stage2_unmap(vm, vm->ram_ipa, vm->ram_size);
	memset(vm->ram_ready, 0, sizeof(vm->ram_ready));
	/* a device that masters the bus writes an identity VM's ram with no touch
	 * to see: all of it zeroed now, never under what the device wrote */
	if (img->identity)
		vm_ipa_to_pa(vm, vm->ram_ipa, vm->ram_size, &pa);
	load_image(vm, entry, img->kernel, img->kernel_end, "kernel");
	if (img->initrd)
		load_image(vm, ipa_init(img->initrd_ipa), img->initrd, img->initrd_end, "initrd");
	load_image(vm, ipa_init(img->dtb_ipa), img->dtb, img->dtb_end, "device tree");
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];

		if (v->pin) /* the control ABI's pin (control.c): no cpu holds it now */
			vcpu_set_home(v, v->pin - 1);
		v->move_to = 0;			   /* (a live move not done: the pin did it) */
		memset(v->ctl, 0, sizeof(v->ctl)); /* its mailbox: the last life's words go */
		arch_vfp_forget(v);
		arch_vgic_vcpu_reset(v);
		/* linux's boot protocol, as qemu enters a -kernel (Documentation/arm/booting.rst) */
		arch_vcpu_init(v, entry, 0, ~0u, img->dtb_ipa);
		store_release(&v->state, i == 0 ? VCPU_ON_PENDING : VCPU_OFF);
	}
	/* release: after the vcpus' contexts, for a cpu that picked one before (switch_to) */
	store_release(&vm->state, VM_RUNNING);
	vm->log->state = VM_RUNNING;
	sched_runnable(&vm->vcpu[0], VCPU_ON_PENDING); /* the others wait for CPU_ON */
}

/*
 * the trap log, read-only, for VMs whose manifest asks (docs/traplog.md):
 * "all" sees the whole region at TRAPLOG_IPA; "own" sees its own VM's block
 * there and nothing else: not the header, whose ring heads, hyp cycles and
 * uplink are the board's (the block has a copy of the header's constants).
 */
static void map_traplog(struct vm *vm, u32 flags)
{
	ipaddr_t at = ipa_init(TRAPLOG_IPA);
	int err = 0;

	if (flags & GUEST_TRAPLOG_ALL)
		err = arch_stage2_map(vm, at, pa_of(&traplog), sizeof(traplog), S2_READ_ONLY);
	else if (flags & GUEST_TRAPLOG_OWN)
		err = arch_stage2_map(vm, at, pa_of(vm->log), TRAPLOG_VM_SIZE, S2_READ_ONLY);
	if (err)
		panic("vm %s: cannot map the trap log", vm->name);
}

/* vcpu i runs on the i-th cpu of the VM's list (round again if fewer) */
static u32 nth_cpu(u32 mask, u32 i)
{
	u32 n = (u32)__builtin_popcount(mask), cpu;

	for (i %= n, cpu = 0;; cpu++)
		if (mask >> cpu & 1 && !i--)
			return cpu;
}

/* the physical cpu the vcpu runs on, and its trap ring there */
void vcpu_set_home(struct vcpu *v, u32 cpu)
{
	v->ring = &traplog.ring[cpu];
	v->ring_rec = traplog.rec[cpu];
	/* last, release: a cpu that sees it home there sees the rest (sched_hand_over) */
	store_release(&v->pcpu, cpu);
}

/* a page of the board's that a guest image owns (passthrough): no driver of ours takes it */
bool vm_image_owns(paddr_t pa)
{
	const struct guest_image *img;
	u32 i;

	for (img = guest_images; img->name; img++)
		for (i = 0; i < img->nr_pt; i++)
			if (pa_addr(pa) - img->pt[i].base < img->pt[i].size)
				return true;
	return false;
}

/*
 * a device of the board (the manifest's passthrough): same address, Device
 * memory; or forwarded, each access made by the hypervisor (forward.c)
 */
static void passthrough(struct vm *vm, const struct guest_pt *d)
{
	if (d->forward & PT_MASK) /* its bits in the shared block before it */
		return;
	if (d->size && d->forward)
		forward_attach(vm, d);
	else if (d->size &&
		 arch_stage2_map(vm, ipa_init(d->base), pa_init(d->base), d->size, S2_MMIO))
		panic("vm %s: cannot map its device at %#x", vm->name, d->base);
	if (d->irq && !(d->forward & PT_BITS))
		arch_vgic_link(vm, d->virq, d->irq);
}

/*
 * the pool's first size bytes from at that no identity VM's range holds: every
 * image's, whether it runs or not, is reserved for it (mkguests.py checked
 * that no two overlap)
 */
static paddr_t pool_skip(paddr_t at, u64 size)
{
	const struct guest_image *img;
	u64 lo, hi;

	for (img = guest_images; img->name; img++) {
		lo = img->identity;
		hi = lo + (u64)img->ram_mib * MiB;
		if (lo && lo < pa_addr(at) + size && pa_addr(at) < hi)
			return pool_skip(pa_align_up(pa_init(hi), 2 * MiB), size); /* look again */
	}
	return at;
}

/* run: load it now; else it waits, its memory reserved, for the control ABI's start */
static struct vm *vm_create(const struct guest_image *img, bool run)
{
	struct vm *vm = &vms[nr_vms];
	u64 size = (u64)img->ram_mib * MiB;
	paddr_t ram = img->identity ? pa_init(img->identity) : pool_skip(pool_next, size);
	u64 end = pa_addr(ram) + size;
	u32 i;

	if (img->cpu_mask >> nr_cpus) {
		log_err("vm %s runs on cpus %#x, the board has %u: start qemu with -smp %u\n",
			img->name, img->cpu_mask, nr_cpus, 32 - __builtin_clz(img->cpu_mask));
		platform_halt_error();
	}
	if (img->identity && (pa_addr(ram) < pa_addr(pool_start) || end > pa_addr(pool_end))) {
		/* below the pool: the hypervisor's image; above it: no ram */
		log_err("vm %s: its ram at the board's [%#llx, %#llx) (identity) is outside "
			"the VMs' pool [%#llx, %#llx)\n",
			img->name, pa_addr(ram), end, pa_addr(pool_start), pa_addr(pool_end));
		platform_halt_error();
	}
	if (end > pa_addr(pool_end)) {
		log_err("vm %s wants %u MiB of ram, the board has %llu MiB and %llu MiB are "
			"left: start qemu with -m %lluM or more\n",
			img->name, img->ram_mib, pa_diff(pool_end, pa_init(PLAT_RAM_BASE)) / MiB,
			pa_addr(ram) < pa_addr(pool_end) ? pa_diff(pool_end, ram) / MiB : 0,
			(end - PLAT_RAM_BASE + MiB - 1) / MiB);
		platform_halt_error();
	}
	vm->id = nr_vms++;
	vm->vmid = vm->id + 1;
	vm->name = img->name;
	vm->image = img;
	vm->ram_pa = ram;
	vm->ram_ipa = img->identity ? ipa_init(img->identity) : ipa_init(GUEST_RAM_IPA);
	vm->ram_size = size;
	if (!img->identity)
		pool_next = pa_add(ram, ALIGN_UP(size, 2 * MiB));
	vm->nr_vcpus = img->nr_vcpus;
	traplog_vm_init(vm->id, img->name, img->nr_vcpus);
	vm->log = &traplog.vm[vm->id];
	for (i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpu[i].vm = vm;
		vm->vcpu[i].id = i;
		vcpu_set_home(&vm->vcpu[i], nth_cpu(img->cpu_mask, i));
		vm->vcpu[i].log = &vm->log->vcpu[i];
		vm->vcpu[i].log_who = TRAPLOG_WHO(vm->id, i);
	}
	arch_stage2_init(vm);
	vm->cntvoff = arch_counter();
	arch_vgic_vm_init(vm);
	arch_vgic_attach(vm);
	for (i = 0; i < img->nr_pt; i++)
		passthrough(vm, &img->pt[i]);
	vuart_attach(vm);
	if (img->flags & GUEST_TESTDEV)
		testdev_attach(vm);
	virtio_vm_attach(vm);
	map_traplog(vm, img->flags);
	if (img->flags & GUEST_CONTROL)
		ctl_attach(vm);
	if (run) {
		vm_load(vm);
	} else {
		atomic_write(&vm->state, VM_STOPPED);
		vm->log->state = VM_STOPPED;
	}
	return vm;
}

static const struct guest_image *image_by_name(const char *name, u32 len)
{
	const struct guest_image *img;

	for (img = guest_images; img->name; img++)
		if (strlen(img->name) == len && !strncmp(img->name, name, len))
			return img;
	return NULL;
}

/*
 * "hyp.vms=a,b" on the board's command line; without it, the default
 * images, and with a control VM among them the others too, stopped.
 */
void vms_create(const char *bootargs, paddr_t first, paddr_t pool_limit)
{
	const char *p = bootargs;
	const struct guest_image *img;

	pool_start = pool_next = pa_align_up(first, 2 * MiB);
	pool_end = pool_limit;
	for (; *p; p++)
		if (!strncmp(p, "hyp.vms=", 8) && (p == bootargs || p[-1] == ' '))
			break;
	if (!*p) {
		u32 all = 0;

		for (img = guest_images; img->name; img++)
			if ((img->flags & (GUEST_DEFAULT | GUEST_CONTROL)) ==
			    (GUEST_DEFAULT | GUEST_CONTROL))
				all = GUEST_DEFAULT;
		for (img = guest_images; img->name && nr_vms < VM_MAX; img++)
			if ((img->flags | all) & GUEST_DEFAULT)
				vm_create(img, img->flags & GUEST_DEFAULT);
		return;
	}
	for (p += 8; *p && *p != ' ';) {
		u32 n = 0;

		while (p[n] && p[n] != ',' && p[n] != ' ')
			n++;
		img = image_by_name(p, n);
		if (!img)
			log_err("hyp.vms: no guest image named '%.*s': ignored\n", n, p);
		else if (nr_vms == VM_MAX)
			log_err("hyp.vms: more than %u VMs: '%.*s' ignored\n", VM_MAX, n, p);
		else
			vm_create(img, true);
		p += n;
		if (*p == ',')
			p++;
	}
}

/* the VM's vcpus that may be running on other cpus: make those cpus look */
static void kick_others(struct vm *vm)
{
	u32 i;

	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpu[i].pcpu != arch_cpu_id())
			arch_gic_send_sgi(vm->vcpu[i].pcpu, SGI_KICK);
}

/*
 * a stopped VM's report (its table, calls and last exits) goes out whole:
 * report_lock keeps two cpus' reports apart, and `reporting` holds the
 * board's power-off on another cpu (vm_print_board) until the last one is out.
 */
static spinlock_t report_lock;
static u32 reporting;

/* once: two of its vcpus may stop it at once, from two cpus; false if it was not running */
static bool stop(struct vm *vm, enum vm_state state, const char *how, const char *why)
{
	enum vm_state running = VM_RUNNING;
	u32 i;

	atomic_add_full(&reporting, 1); /* before the state shows */
	if (!cas_full(&vm->state, &running, state)) {
		atomic_sub_release(&reporting, 1);
		return false;
	}
	vm->log->state = state;
	for (i = 0; i < vm->nr_vcpus; i++) {
		store_release(&vm->vcpu[i].state, VCPU_STOPPED);
		arch_vfp_forget(&vm->vcpu[i]);
	}
	arch_vgic_mask(vm); /* its devices' interrupts stay quiet until it starts again */
	kick_others(vm);
	spin_lock(&report_lock);
	if (why) { /* NULL: destroyed by the control ABI, which says so itself */
		log_info("vm %u (%s) %s: %s\n", vm->id, vm->name, how, why);
		vm_print_table(vm);
		vm_print_calls(vm);
		vm_print_trace(vm, VM_TRACE_LINES);
	}
	spin_unlock(&report_lock);
	atomic_sub_release(&reporting, 1);
	return true;
}

/*
 * a guest's mistakes are logged, but only the first VM_LOG_MAX of them: a
 * guest that faults on purpose must not flood the console. its table
 * still counts them all.
 */
#define VM_LOG_MAX 16

bool vm_log_ok(struct vm *vm)
{
	u32 n = atomic_add_relaxed(&vm->logged, 1) - 1; /* vcpus on two cpus */

	if (n == VM_LOG_MAX)
		log_info("vm %u (%s): more of its faults are counted, not logged\n", vm->id,
			 vm->name);
	return n < VM_LOG_MAX;
}

/*
 * a guest whose exception vectors fault on themselves (a VBAR that points
 * nowhere, say) would take the same fault at the same pc for ever: after
 * VM_FAULT_LOOP of them in a row, with no other trap between (interrupts
 * aside), the VM is stopped as crashed. called before injecting a fault.
 */
#define VM_FAULT_LOOP 10000

bool vm_fault_loop(struct vcpu *vcpu)
{
	u32 pc = arch_vcpu_pc(vcpu);
	u64 traps = vcpu->log->total - vcpu->log->row[TRAPLOG_ROW_IRQ].count;
	char why[64];

	if (pc == vcpu->loop_pc && traps == vcpu->loop_traps + 1)
		vcpu->loop_count++;
	else
		vcpu->loop_count = 0;
	vcpu->loop_pc = pc;
	vcpu->loop_traps = traps;
	if (vcpu->loop_count < VM_FAULT_LOOP)
		return false;
	fmt_snprintf(why, sizeof(why), "exception loop: %u identical faults at pc %08x",
		     VM_FAULT_LOOP, pc);
	vm_crash(vcpu->vm, why);
	return true;
}

/* HYP_CALL_LOG_RESET: the VM's counters start again from zero */
/*
 * HYP_CALL_LOG_RESET: the VM's counters from zero. a vcpu's counters are
 * written by its home cpu alone, each bump a plain load and store pair
 * (traplog_inc.h): a memset from another cpu could be undone by a bump
 * that loaded before it and stores after. so each home cpu zeroes its
 * own: this one those homed here at once (none of them runs while this cpu
 * serves the call), the others when the kick sent to them arrives
 * (vm_log_catch_up), or, had the vcpu moved meanwhile, when its new home
 * loads it (vm_log_take, from switch_to). the call table goes under
 * calls_lock, so that an entry count_call is adding is not published
 * after the reset.
 */
void vm_log_reset(struct vm *vm)
{
	u32 i, cpu, me = arch_cpu_id();

	spin_lock(&vm->calls_lock);
	store_release(&vm->nr_calls, 0);
	spin_unlock(&vm->calls_lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];

		cpu = load_acquire(&v->pcpu);
		if (cpu == me) {
			memset(v->log, 0, sizeof(*v->log));
			continue;
		}
		store_release(&v->log_reset, 1);
		store_release(&percpu[cpu].log_resets, 1);
		arch_gic_send_sgi(cpu, SGI_KICK);
	}
}

void vm_log_take(struct vcpu *vcpu)
{
	if (atomic_read(&vcpu->log_reset) && xchg(&vcpu->log_reset, 0))
		memset(vcpu->log, 0, sizeof(*vcpu->log));
}

void vm_log_catch_up(void)
{
	u32 i, j, me = arch_cpu_id();

	if (!xchg(&this_cpu()->log_resets, 0))
		return;
	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < vms[i].nr_vcpus; j++)
			if (atomic_read(&vms[i].vcpu[j].pcpu) == me)
				vm_log_take(&vms[i].vcpu[j]);
}

bool vm_stop(struct vm *vm, const char *why)
{
	return stop(vm, VM_STOPPED, "stopped", why);
}

/* the guest's kernel gave up: the VM stops, the rest carries on */
void vm_crash(struct vm *vm, const char *why)
{
	stop(vm, VM_CRASHED, "crashed", why);
}

/*
 * the VM's images back in once no other cpu holds one of its vcpus: loads,
 * runs, saves or hands one over (sched_holds). the caller changed the VM's
 * state first (seq_cst); the fence orders that before the reads of each
 * cpu's hold, as sched.c's switch_to() orders its hold before its read of
 * the state: either that cpu sees the VM stopped and loads nothing, or
 * this one sees the hold and waits for its release, after the save. the
 * wait is bounded: a holding cpu lets go at its next exit, and this cpu's
 * kick (kick_others) makes one at once; a cpu's hyp work between two exits
 * is bounded (docs/control.md).
 */
static void load_released(struct vm *vm)
{
	u32 i;

	fence_full();
	for (i = 0; i < nr_cpus; i++)
		while (i != arch_cpu_id() && sched_holds(i, vm))
			arch_cpu_relax();
	vm_load(vm);
}

/*
 * the first RESET_LOG_MAX resets of the board are logged; the rest show in
 * the trap log only (the caller's PSCI call, a control action's CTL record):
 * a VM reset in a loop, by itself or by a control VM, would otherwise hold
 * the console a line's time each time
 */
#define RESET_LOG_MAX 32

static void reset_log(struct vm *vm)
{
	static u32 logged;
	u32 n = atomic_add_relaxed(&logged, 1) - 1;

	if (n < RESET_LOG_MAX)
		log_info("vm %u (%s) reset: reloading its images\n", vm->id, vm->name);
	else if (n == RESET_LOG_MAX)
		log_info("more resets are not logged\n");
}

/*
 * PSCI SYSTEM_RESET, from one of the VM's vcpus (this cpu's current). its
 * other vcpus may be running on other cpus, which save their registers into
 * them at their next exit and write their memory until then: they are
 * stopped and kicked first, and the images go back in once no other cpu
 * holds one of them; then vcpu 0 starts again. should two of its vcpus ask
 * at once, or one stop it meanwhile, the first wins and the others stop.
 * (waiting here cannot deadlock: a cpu waits with one of the VM's own vcpus
 * as its current, never another VM's, and only one cpu resets a VM.)
 */
bool vm_reset(struct vm *vm)
{
	enum vm_state running = VM_RUNNING;
	u32 i;

	if (!cas_full(&vm->state, &running, VM_RESETTING))
		return false;
	for (i = 0; i < vm->nr_vcpus; i++)
		store_full(&vm->vcpu[i].state, VCPU_STOPPED);
	kick_others(vm);
	reset_log(vm);
	load_released(vm);
	return true;
}

/*
 * the control ABI's start: a stopped or crashed VM's next life, from its
 * pristine images and wiped ram (vm_load), once no cpu holds one of its
 * vcpus from its last. false if it runs, or another cpu starts it.
 */
bool vm_start(struct vm *vm)
{
	enum vm_state s = load_acquire(&vm->state);

	if ((s != VM_STOPPED && s != VM_CRASHED) || !cas_full(&vm->state, &s, VM_RESETTING))
		return false;
	load_released(vm);
	return true;
}

/* the control ABI's destroy: stopped at once, quietly (the caller says so) */
bool vm_destroy(struct vm *vm)
{
	return stop(vm, VM_STOPPED, "destroyed", NULL);
}

/* the board's table, once every VM's report is out (the caller saw none running) */
void vm_print_board(void)
{
	fence_acquire(); /* the states it read, then reporting */
	while (load_acquire(&reporting))
		arch_cpu_relax();
	spin_lock(&report_lock);
	vm_print_board_table();
	spin_unlock(&report_lock);
}
