/*
 * VMs: built from the guest images packed into hyp.bin, chosen on the
 * board's command line (hyp.vms=a,b,...), each with its own ram slice,
 * stage-2 tables and emulated devices; and the trap tables they print.
 */
#include <stdarg.h>
#include "arch/arch.h"
#include "arch/hsr.h"
#include "arch/sysregs.h"
#include "console.h"
#include "fmt.h"
#include "hypercall.h"
#include "lib.h"
#include "mmio.h"
#include "percpu.h"
#include "sched.h"
#include "platform.h"
#include "virtio_mmio.h"
#include "vm.h"

struct vm vms[VM_MAX];
u32 nr_vms;

static paddr_t pool_next, pool_end;	/* guest ram comes from here */

void vm_add_mmio(struct vm *vm, const struct mmio_dev *dev)
{
	u32 i;

	if (vm->nr_mmio == VM_MAX_MMIO)
		panic("vm %s: more than %u devices", vm->name, VM_MAX_MMIO);
	vm->mmio[vm->nr_mmio] = *dev;
	for (i = 0; dev->name[i] && i < 7; i++)
		vm->log->mmio_name[vm->nr_mmio][i] = dev->name[i];
	vm->log->nr_mmio_dev = ++vm->nr_mmio;
}

/* pristine images: hyp.bin keeps them read-only, a reset copies them again */
static void vm_load(struct vm *vm)
{
	const struct guest_image *img = vm->image;
	u32 i;

	u8 *ram = (u8 *)(uintptr_t)vm->ram_pa;

	virtio_vm_reset(vm);		/* before its memory changes under the devices */
	vgic_vm_init(vm, vm->vgic.owned);	/* a reset distributor, same interrupts */
	memset(ram, 0, vm->ram_size);
	memcpy(ram + (GUEST_KERNEL_IPA - GUEST_RAM_IPA), img->kernel, img->kernel_end - img->kernel);
	if (img->initrd)
		memcpy(ram + (img->initrd_ipa - GUEST_RAM_IPA), img->initrd,
		       img->initrd_end - img->initrd);
	memcpy(ram + (img->dtb_ipa - GUEST_RAM_IPA), img->dtb, img->dtb_end - img->dtb);
	/* the guest starts with its mmu and caches off: push it all to memory */
	arch_dcache_clean(vm->ram_pa, vm->ram_size);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];

		arch_vfp_forget(v);
		vgic_vcpu_reset(v);
		/* linux's boot protocol, as qemu enters a -kernel (Documentation/arm/booting.rst) */
		arch_vcpu_init(v, GUEST_KERNEL_IPA, 0, ~0u, img->dtb_ipa);
		__atomic_store_n(&v->state, i == 0 ? VCPU_ON_PENDING : VCPU_OFF, __ATOMIC_RELEASE);
	}
	vm->state = VM_RUNNING;
	vm->log->state = VM_RUNNING;
	sched_runnable(&vm->vcpu[0], VCPU_ON_PENDING);	/* the others wait for CPU_ON */
}

/*
 * the trap log, read-only, for VMs whose manifest asks (docs in README):
 * "all" sees the whole region at TRAPLOG_IPA; "own" sees the header there
 * and its own VM's block right after it, and no other VM's.
 */
static void map_traplog(struct vm *vm, u32 flags)
{
	paddr_t log = (uintptr_t)&traplog;
	int err = 0;

	if (flags & GUEST_TRAPLOG_ALL)
		err = arch_stage2_map(vm, TRAPLOG_IPA, log, sizeof(traplog), S2_READ_ONLY);
	else if (flags & GUEST_TRAPLOG_OWN)
		err = arch_stage2_map(vm, TRAPLOG_IPA, log, TRAPLOG_VM_SIZE, S2_READ_ONLY) ||
		      arch_stage2_map(vm, TRAPLOG_IPA + TRAPLOG_VM_SIZE, (uintptr_t)vm->log,
				      TRAPLOG_VM_SIZE, S2_READ_ONLY);
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

static struct vm *vm_create(const struct guest_image *img)
{
	struct vm *vm = &vms[nr_vms];
	u64 size = (u64)img->ram_mib * MiB;
	u32 i;

	if (img->cpu_mask >> nr_cpus) {
		console_printf("hyp: vm %s runs on cpus %#x, the board has %u: start qemu "
			       "with -smp %u\n", img->name, img->cpu_mask, nr_cpus,
			       32 - __builtin_clz(img->cpu_mask));
		semihost_exit(false);
	}
	if (pool_end - pool_next < size) {
		console_printf("hyp: vm %s wants %u MiB of ram, the board has %llu MiB and "
			       "%llu MiB are left: start qemu with -m %lluM or more\n",
			       img->name, img->ram_mib, (pool_end - PLAT_RAM_BASE) / MiB,
			       (pool_end - pool_next) / MiB,
			       (pool_next + size - PLAT_RAM_BASE + MiB - 1) / MiB);
		semihost_exit(false);
	}
	vm->id = nr_vms++;
	vm->vmid = vm->id + 1;
	vm->name = img->name;
	vm->image = img;
	vm->ram_pa = pool_next;
	vm->ram_size = size;
	pool_next += ALIGN_UP(size, 2 * MiB);
	vm->nr_vcpus = img->nr_vcpus;
	traplog_vm_init(vm->id, img->name, img->nr_vcpus);
	vm->log = &traplog.vm[vm->id];
	for (i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpu[i].vm = vm;
		vm->vcpu[i].id = i;
		vm->vcpu[i].pcpu = nth_cpu(img->cpu_mask, i);
		vm->vcpu[i].log = &vm->log->vcpu[i];
		vm->vcpu[i].log_who = TRAPLOG_WHO(vm->id, i);
		vm->vcpu[i].ring = &traplog.ring[vm->vcpu[i].pcpu];
		vm->vcpu[i].ring_rec = traplog.rec[vm->vcpu[i].pcpu];
	}
	arch_stage2_init(vm);
	if (arch_stage2_map(vm, GUEST_RAM_IPA, vm->ram_pa, size, S2_RAM))
		panic("vm %s: stage 2 map failed", vm->name);
	vm->cntvoff = sysreg_read64(CNTPCT);
	vgic_vm_init(vm, 1ull << VUART_IRQ | virtio_vm_irqs(img));
	vgic_attach(vm);
	vuart_attach(vm);
	if (img->flags & GUEST_TESTDEV)
		testdev_attach(vm);
	virtio_vm_attach(vm);
	map_traplog(vm, img->flags);
	vm_load(vm);
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

/* "hyp.vms=a,b" on the board's command line; without it, the default images */
void vms_create(const char *bootargs, paddr_t pool_start, paddr_t pool_limit)
{
	const char *p = bootargs;
	const struct guest_image *img;

	pool_next = ALIGN_UP(pool_start, 2 * MiB);
	pool_end = pool_limit;
	for (; *p; p++)
		if (!strncmp(p, "hyp.vms=", 8) && (p == bootargs || p[-1] == ' '))
			break;
	if (!*p) {
		for (img = guest_images; img->name && nr_vms < VM_MAX; img++)
			if (img->flags & GUEST_DEFAULT)
				vm_create(img);
		return;
	}
	for (p += 8; *p && *p != ' ';) {
		u32 n = 0;

		while (p[n] && p[n] != ',' && p[n] != ' ')
			n++;
		img = image_by_name(p, n);
		if (!img)
			console_printf("hyp: hyp.vms: no guest image named '%.*s': ignored\n", n, p);
		else if (nr_vms == VM_MAX)
			console_printf("hyp: hyp.vms: more than %u VMs: '%.*s' ignored\n",
				       VM_MAX, n, p);
		else
			vm_create(img);
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
		if (vm->vcpu[i].pcpu != cpu_id())
			gic_send_sgi(vm->vcpu[i].pcpu, SGI_KICK);
}

/*
 * a stopped VM's report (its table, calls and last exits) goes out whole:
 * report_lock keeps two cpus' reports apart, and `reporting` holds the
 * board's power-off on another cpu (vm_print_board) until the last one is out.
 */
static spinlock_t report_lock;
static u32 reporting;

/* once: two of its vcpus may stop it at once, from two cpus */
static void stop(struct vm *vm, enum vm_state state, const char *how, const char *why)
{
	enum vm_state running = VM_RUNNING;
	u32 i;

	__atomic_add_fetch(&reporting, 1, __ATOMIC_SEQ_CST);	/* before the state shows */
	if (!__atomic_compare_exchange_n(&vm->state, &running, state, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_RELAXED)) {
		__atomic_sub_fetch(&reporting, 1, __ATOMIC_RELEASE);
		return;
	}
	vm->log->state = state;
	for (i = 0; i < vm->nr_vcpus; i++) {
		__atomic_store_n(&vm->vcpu[i].state, VCPU_STOPPED, __ATOMIC_RELEASE);
		arch_vfp_forget(&vm->vcpu[i]);
	}
	kick_others(vm);
	spin_lock(&report_lock);
	console_printf("hyp: vm %u (%s) %s: %s\n", vm->id, vm->name, how, why);
	vm_print_table(vm);
	vm_print_calls(vm);
	vm_print_trace(vm, VM_TRACE_LINES);
	spin_unlock(&report_lock);
	__atomic_sub_fetch(&reporting, 1, __ATOMIC_RELEASE);
}

/*
 * a guest's mistakes are logged, but only the first VM_LOG_MAX of them: a
 * guest that faults on purpose must not flood the console. its table
 * still counts them all.
 */
#define VM_LOG_MAX	16

bool vm_log_ok(struct vm *vm)
{
	u32 n = __atomic_fetch_add(&vm->logged, 1, __ATOMIC_RELAXED);	/* vcpus on two cpus */

	if (n == VM_LOG_MAX)
		console_printf("hyp: vm %u (%s): more of its faults are counted, not logged\n",
			       vm->id, vm->name);
	return n < VM_LOG_MAX;
}

/*
 * a guest whose exception vectors fault on themselves (a VBAR that points
 * nowhere, say) would take the same fault at the same pc for ever: after
 * VM_FAULT_LOOP of them in a row, with no other trap between (interrupts
 * aside), the VM is stopped as crashed. called before injecting a fault.
 */
#define VM_FAULT_LOOP	10000

bool vm_fault_loop(struct vcpu *vcpu)
{
	u32 pc = vcpu->arch.regs.pc;
	u64 traps = vcpu->log->total - vcpu->log->irq;
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
void vm_log_reset(struct vm *vm)
{
	u32 i;

	for (i = 0; i < vm->nr_vcpus; i++)
		memset(vm->vcpu[i].log, 0, sizeof(*vm->vcpu[i].log));
	vm->nr_calls = 0;
}

void vm_stop(struct vm *vm, const char *why)
{
	stop(vm, VM_STOPPED, "stopped", why);
}

/* the guest's kernel gave up: the VM stops, the rest carries on */
void vm_crash(struct vm *vm, const char *why)
{
	stop(vm, VM_CRASHED, "crashed", why);
}

/* the class of a ring record: an EC, or one of the pseudo classes */
const char *traplog_class(u32 ec)
{
	if (ec == TRAPLOG_ROW_IRQ)
		return "IRQ";
	if (ec == TRAPLOG_ROW_MARK)
		return "MARK";
	return hsr_ec_name(ec);
}

/* a line put together in pieces, to go out at once: other cpus print too */
struct line {
	char buf[512];
	u32 len;
};

static void line_add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	l->len += fmt_vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (l->len > sizeof(l->buf) - 1)
		l->len = sizeof(l->buf) - 1;
}

static void line_print(struct line *l)
{
	console_write(l->buf, l->len);
	l->len = 0;
}

/* the VM's hvc/smc calls by function id */
void vm_print_calls(const struct vm *vm)
{
	struct line l = { .len = 0 };
	u32 i;

	if (!vm->nr_calls)
		return;
	line_add(&l, "  calls by function:");
	for (i = 0; i < vm->nr_calls; i++) {
		const char *name = hypercall_name(vm->calls[i].fid);

		if (name)
			line_add(&l, " %s %u", name, vm->calls[i].count);
		else
			line_add(&l, " %#x %u", vm->calls[i].fid, vm->calls[i].count);
	}
	line_add(&l, "\n");
	line_print(&l);
}

/*
 * the VM's last n ring records, like the seed study's kvm_exit trace lines:
 * time, pc, class, and the VM's exit count at that exit. the count is
 * worked back from the VM's total, so it is exact when the VM has stopped.
 * the records are copied to this cpu's stack: two cpus may stop VMs at once.
 */
void vm_print_trace(const struct vm *vm, u32 n)
{
	struct traplog_rec rec[VM_TRACE_LINES];
	u32 got, i, count = 0;
	u64 freq = traplog.cntfrq ? traplog.cntfrq : 1;

	got = traplog_last_of(vm->id, rec, n < VM_TRACE_LINES ? n : VM_TRACE_LINES);
	for (i = 0; i < vm->nr_vcpus; i++)
		count += vm->vcpu[i].log->total;
	for (i = got; i-- > 0;)		/* the running count of each record */
		rec[i].ipa = rec[i].ec == TRAPLOG_ROW_MARK ? count : count--;
	console_printf("  last %u exits:\n", got);
	for (i = 0; i < got; i++) {
		const struct traplog_rec *r = &rec[i];
		u64 us = r->timestamp % freq * 1000000 / freq;

		console_printf("  %6llu.%06llu: vcpu %u PC: 0x%08x; %s; exit count: %u",
			       r->timestamp / freq, us, r->vcpu, r->pc, traplog_class(r->ec),
			       r->ipa);
		console_printf("; cost: %u cycles\n", r->cost);
	}
}

/* whether cpu runs one of vm's vcpus: its current, loaded there or being saved */
static bool held_by(u32 cpu, const struct vm *vm)
{
	const struct vcpu *v = __atomic_load_n(&percpu[cpu].current, __ATOMIC_ACQUIRE);

	return v && v->vm == vm;
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
void vm_reset(struct vm *vm)
{
	enum vm_state running = VM_RUNNING;
	u32 i;

	if (!__atomic_compare_exchange_n(&vm->state, &running, VM_RESETTING, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		return;
	for (i = 0; i < vm->nr_vcpus; i++)
		__atomic_store_n(&vm->vcpu[i].state, VCPU_STOPPED, __ATOMIC_SEQ_CST);
	kick_others(vm);
	for (i = 0; i < nr_cpus; i++)
		while (i != cpu_id() && held_by(i, vm))
			;
	console_printf("hyp: vm %u (%s) reset: reloading its images\n", vm->id, vm->name);
	vm_load(vm);
}

/* one VM's counters summed over its vcpus, or the whole board's (vm NULL) */
static void sum_log(const struct vm *vm, struct traplog_vcpu *s)
{
	u32 i, j, k;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < nr_vms; i++) {
		if (vm && &vms[i] != vm)
			continue;
		for (j = 0; j < vms[i].nr_vcpus; j++) {
			const struct traplog_vcpu *l = vms[i].vcpu[j].log;

			for (k = 0; k < TRAPLOG_NR_EC; k++) {
				s->ec[k] += l->ec[k];
				s->cycles[k] += l->cycles[k];
			}
			s->irq_cycles += l->irq_cycles;
			for (k = 0; k < TRAPLOG_NR_HVC_RANGE; k++)
				s->hvc[k] += l->hvc[k];
			for (k = 0; k < TRAPLOG_NR_MMIO_DEV; k++)
				s->mmio[k] += l->mmio[k];
			for (k = 0; k < TRAPLOG_NR_MMIO_DEV * TRAPLOG_NR_QUEUES; k++)
				s->notify[k / TRAPLOG_NR_QUEUES][k % TRAPLOG_NR_QUEUES] +=
					l->notify[k / TRAPLOG_NR_QUEUES][k % TRAPLOG_NR_QUEUES];
			s->irq += l->irq;
			s->total += l->total;
			s->switches += l->switches;
			s->injected += l->injected;
		}
	}
}

/* a row: count and share, hyp cycles and their mean */
static void print_row(const char *row, const char *name, u64 n, u64 total, u64 cycles)
{
	u64 tenths = total ? (n * 1000 + total / 2) / total : 0;
	u64 mean10 = n ? (cycles * 10 + n / 2) / n : 0;

	console_printf("  %-5s %-18s %12llu %5llu.%llu%% %12llu %8llu.%llu\n", row, name, n,
		       tenths / 10, tenths % 10, cycles, mean10 / 10, mean10 % 10);
}

static const char *const range_names[TRAPLOG_NR_HVC_RANGE] = {
	"arch", "psci", "std-hyp", "vendor-hyp", "other", "null", "yielding", "imm!=0",
};

/* virtio notifications, per device and queue: " vcon.q1 12" (device name, queue) */
static void print_notify(struct line *l, const struct vm *vm, const struct traplog_vcpu *s)
{
	u32 k, q;

	for (k = 0; k < vm->nr_mmio; k++)
		for (q = 0; q < TRAPLOG_NR_QUEUES; q++)
			if (s->notify[k][q])
				line_add(l, " %s.q%u %llu", vm->mmio[k].name, q, s->notify[k][q]);
}

static void print_table(const char *title, const struct vm *vm)
{
	struct line l = { .len = 0 };
	struct traplog_vcpu s;
	u64 cycles = 0;
	char row[8];
	u32 k;

	sum_log(vm, &s);
	console_printf("trap log: %s\n  %-5s %-18s %12s %7s   hyp cycles     mean\n", title,
		       "EC", "class", "count", "share");
	for (k = 0; k < TRAPLOG_NR_ROWS; k++)
		cycles += s.cycles_row[k];
	for (k = 0; k < TRAPLOG_NR_EC; k++) {
		if (!s.ec[k])
			continue;
		fmt_snprintf(row, sizeof(row), "%#04x", k);
		print_row(row, hsr_ec_name(k), s.ec[k], s.total, s.cycles[k]);
	}
	print_row("-", "IRQ", s.irq, s.total, s.irq_cycles);
	console_printf("  %-5s %-18s %12llu %7s %12llu\n", "", "total", s.total, "", cycles);
	line_add(&l, "  hvc/smc:");
	for (k = 0; k < TRAPLOG_NR_HVC_RANGE; k++)
		if (s.hvc[k])
			line_add(&l, " %s %llu", range_names[k], s.hvc[k]);
	line_add(&l, "\n");
	line_print(&l);
	if (vm) {
		line_add(&l, "  mmio:");
		for (k = 0; k < vm->nr_mmio; k++)
			line_add(&l, " %s %llu", vm->mmio[k].name, s.mmio[k]);
		print_notify(&l, vm, &s);
		line_add(&l, "\n");
		line_print(&l);
	}
	console_printf("  world switches %llu, exceptions injected %llu\n",
		       s.switches, s.injected);
}

void vm_print_table(const struct vm *vm)
{
	char title[48];

	fmt_snprintf(title, sizeof(title), "vm %u (%s)", vm->id, vm->name);
	print_table(title, vm);
}

/*
 * Ctrl-] s: every VM's counts in a column of its own, the board's last.
 * sums is static (too big for a stack): only the cpu the uart's interrupt
 * goes to runs this, the boot cpu (hyp_main enables it there alone).
 */
void vm_print_side_by_side(void)
{
	static struct traplog_vcpu sums[VM_MAX + 1];
	u32 i, k;

	for (i = 0; i < nr_vms; i++)
		sum_log(&vms[i], &sums[i]);
	sum_log(NULL, &sums[nr_vms]);
	console_printf("\ntrap tables, side by side\n  %-5s %-18s", "EC", "class");
	for (i = 0; i < nr_vms; i++)
		console_printf(" %12s", vms[i].name);
	console_printf(" %12s\n", "board");
	for (k = 0; k <= TRAPLOG_NR_EC + 1; k++) {
		u64 any = k < TRAPLOG_NR_EC ? sums[nr_vms].ec[k] : 1;
		char row[8];

		if (!any)
			continue;
		if (k < TRAPLOG_NR_EC)
			fmt_snprintf(row, sizeof(row), "%#04x", k);
		console_printf("  %-5s %-18s", k < TRAPLOG_NR_EC ? row : k == TRAPLOG_NR_EC ? "-" : "",
			       k < TRAPLOG_NR_EC ? hsr_ec_name(k) : k == TRAPLOG_NR_EC ? "IRQ" : "total");
		for (i = 0; i <= nr_vms; i++)
			console_printf(" %12llu", k < TRAPLOG_NR_EC ? sums[i].ec[k] :
				       k == TRAPLOG_NR_EC ? sums[i].irq : sums[i].total);
		console_printf("\n");
	}
}

/* the board's table, once every VM's report is out (the caller saw none running) */
void vm_print_board(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* the states it read, then reporting */
	while (__atomic_load_n(&reporting, __ATOMIC_ACQUIRE))
		;
	spin_lock(&report_lock);
	print_table("board (all VMs)", NULL);
	spin_unlock(&report_lock);
}
