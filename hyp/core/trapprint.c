/*
 * the trap tables, as the console prints them: a stopped VM's table, its
 * calls by function id and its last exits (vm.c's report), the board's
 * table, and every VM side by side (Ctrl-] s). traplog.c keeps the log.
 */
#include <stdarg.h>
#include "console.h"
#include "fmt.h"
#include "hypercall.h"
#include "lib.h"
#include "traplog.h"
#include "trapprint.h"
#include "vm.h"

/* the class of a ring record: an EC, or one of the pseudo classes */
const char *traplog_class(u32 ec)
{
	if (ec == TRAPLOG_ROW_IRQ)
		return "IRQ";
	if (ec == TRAPLOG_ROW_MARK)
		return "MARK";
	if (ec == TRAPLOG_ROW_CTL)
		return "CTL";
	return arch_hsr_ec_name(ec);
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
	struct line l = {.len = 0};
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
	for (i = got; i-- > 0;) /* the running count of each record */
		rec[i].ipa = rec[i].ec >= TRAPLOG_ROW_MARK ? count : count--;
	console_printf("  last %u exits:\n", got);
	for (i = 0; i < got; i++) {
		const struct traplog_rec *r = &rec[i];
		u64 us = r->timestamp % freq * 1000000 / freq;

		/* one call a line: another cpu's guest line comes between two (console.c) */
		console_printf("  %6llu.%06llu: vcpu %u PC: 0x%08x; %s; exit count: %u; cost: %u "
			       "cycles\n",
			       r->timestamp / freq, us, r->vcpu, r->pc, traplog_class(r->ec),
			       r->ipa, r->cost);
	}
}

/* counters summed over vcpus, with each row's worst trap and whose it was */
struct sums {
	struct traplog_vcpu s;
	u32 worst_who[TRAPLOG_NR_ROWS]; /* TRAPLOG_WHO of the row's worst */
};

/* one VM's counters summed over its vcpus, or the whole board's (vm NULL) */
static void sum_log(const struct vm *vm, struct sums *sums)
{
	struct traplog_vcpu *s = &sums->s;
	bool first = true; /* its worst rows are the first vcpu's, to begin with */
	u32 i, j, k;

	memset(sums, 0, sizeof(*sums));
	for (i = 0; i < nr_vms; i++) {
		if (vm && &vms[i] != vm)
			continue;
		for (j = 0; j < vms[i].nr_vcpus; j++) {
			const struct traplog_vcpu *l = vms[i].vcpu[j].log;

			for (k = 0; k < TRAPLOG_NR_ROWS; k++) {
				s->row[k].count += l->row[k].count;
				s->row[k].cycles += l->row[k].cycles;
				if (first || l->row[k].worst > s->row[k].worst) {
					s->row[k].worst = l->row[k].worst;
					s->row[k].worst_pc = l->row[k].worst_pc;
					sums->worst_who[k] = TRAPLOG_WHO(i, j);
				}
			}
			for (k = 0; k < TRAPLOG_NR_HVC_RANGE; k++)
				s->hvc[k] += l->hvc[k];
			for (k = 0; k < TRAPLOG_NR_MMIO_DEV; k++)
				s->mmio[k] += l->mmio[k];
			for (k = 0; k < TRAPLOG_NR_MMIO_DEV * TRAPLOG_NR_QUEUES; k++)
				s->notify[k / TRAPLOG_NR_QUEUES][k % TRAPLOG_NR_QUEUES] +=
					l->notify[k / TRAPLOG_NR_QUEUES][k % TRAPLOG_NR_QUEUES];
			s->total += l->total;
			s->switches += l->switches;
			s->injected += l->injected;
			s->passthrough += l->passthrough;
			first = false;
		}
	}
}

/* a row: count and share, hyp cycles and their mean, the worst, its pc, vm and vcpu */
static void print_row(const char *row, const char *name, const struct sums *s, u32 k)
{
	const struct traplog_row *r = &s->s.row[k];
	u64 n = r->count, total = s->s.total;
	u64 tenths = total ? (n * 1000 + total / 2) / total : 0;
	u64 mean10 = n ? (r->cycles * 10 + n / 2) / n : 0;

	console_printf("  %-5s %-18s %12llu %5llu.%llu%% %12llu %8llu.%llu %10u %08x %u.%u\n", row,
		       name, n, tenths / 10, tenths % 10, r->cycles, mean10 / 10, mean10 % 10,
		       r->worst, r->worst_pc, TRAPLOG_WHO_VM(s->worst_who[k]),
		       TRAPLOG_WHO_VCPU(s->worst_who[k]));
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

/* a port of the switch (netsw.c): its address, frames and bytes, drops by reason */
static void print_net(const char *what, const struct traplog_net *n)
{
	const u8 *m = n->mac;

	if (!n->present)
		return;
	console_printf("  %s %02x:%02x:%02x:%02x:%02x:%02x: in %llu (%llu bytes), out %llu "
		       "(%llu bytes), dropped: full %llu spoofed %llu bad %llu unknown %llu\n",
		       what, m[0], m[1], m[2], m[3], m[4], m[5], n->in_frames, n->in_bytes,
		       n->out_frames, n->out_bytes, n->drop_full, n->drop_spoof, n->drop_bad,
		       n->drop_unknown);
}

static void print_table(const char *title, const struct vm *vm)
{
	struct sums sums, *ss = &sums; /* 2.8 KiB of the 16 KiB stack */
	struct traplog_vcpu *s = &ss->s;
	struct line l = {.len = 0};
	u64 cycles = 0;
	char row[8];
	u32 k, ram;

	sum_log(vm, ss);
	console_printf("trap log: %s\n  %-5s %-18s %12s %7s   hyp cycles     mean      worst "
		       "      pc vm.vcpu\n",
		       title, "EC", "class", "count", "share");
	for (k = 0; k < TRAPLOG_NR_ROWS; k++)
		cycles += s->row[k].cycles;
	for (k = 0; k < TRAPLOG_NR_EC; k++) {
		if (!s->row[k].count)
			continue;
		fmt_snprintf(row, sizeof(row), "%#04x", k);
		print_row(row, arch_hsr_ec_name(k), ss, k);
	}
	print_row("-", "IRQ", ss, TRAPLOG_ROW_IRQ);
	console_printf("  %-5s %-18s %12llu %7s %12llu\n", "", "total", s->total, "", cycles);
	line_add(&l, "  hvc/smc:");
	for (k = 0; k < TRAPLOG_NR_HVC_RANGE; k++)
		if (s->hvc[k])
			line_add(&l, " %s %llu", range_names[k], s->hvc[k]);
	line_add(&l, "\n");
	line_print(&l);
	if (vm) {
		line_add(&l, "  mmio:");
		for (k = 0; k < vm->nr_mmio; k++)
			line_add(&l, " %s %llu", vm->mmio[k].name, s->mmio[k]);
		print_notify(&l, vm, s);
		line_add(&l, "\n");
		line_print(&l);
		for (k = ram = 0; k < VM_RAM_BLOCKS / 32; k++)
			ram += (u32)__builtin_popcount(vm->ram_ready[k]);
		console_printf(
			"  ram: %u of %llu blocks of 2 MiB in use, %u aborts were first touches\n",
			ram, (vm->ram_size + VM_RAM_BLOCK - 1) / VM_RAM_BLOCK, vm->ram_faults);
	}
	console_printf("  world switches %llu, exceptions injected %llu\n", s->switches,
		       s->injected);
	if (s->passthrough) /* apart from the emulated devices' (docs/passthrough.md) */
		console_printf("  passed-through interrupts %llu\n", s->passthrough);
	print_net(vm ? "net" : "uplink", vm ? &vm->log->net : &traplog.uplink);
}

void vm_print_table(const struct vm *vm)
{
	char title[48];

	fmt_snprintf(title, sizeof(title), "vm %u (%s)", vm->id, vm->name);
	print_table(title, vm);
}

/* the switch's ports under the side-by-side table: the board's column is the uplink */
static void print_net_rows(void)
{
	static const char *const rows[] = {"net frames in", "net frames out", "net dropped"};
	struct line l = {.len = 0};
	u32 i, k;

	if (!traplog.uplink.present)
		for (i = 0; i < nr_vms && !vms[i].log->net.present; i++)
			;
	if (!traplog.uplink.present && i == nr_vms)
		return;
	for (k = 0; k < 3; k++) {
		line_add(&l, "  %-5s %-18s", "", rows[k]);
		for (i = 0; i <= nr_vms; i++) {
			const struct traplog_net *n =
				i < nr_vms ? &vms[i].log->net : &traplog.uplink;

			line_add(&l, " %12llu",
				 k == 0	  ? n->in_frames
				 : k == 1 ? n->out_frames
					  : n->drop_full + n->drop_spoof + n->drop_bad +
						    n->drop_unknown);
		}
		line_add(&l, "\n");
		line_print(&l);
	}
}

/*
 * Ctrl-] s: every VM's counts in a column of its own, the board's last.
 * sums is static (too big for a stack): only the cpu the uart's interrupt
 * goes to runs this, the boot cpu (hyp_main enables it there alone).
 */
void vm_print_side_by_side(void)
{
	static struct sums sums[VM_MAX + 1];
	struct line l = {.len = 0};
	u32 i, k;

	for (i = 0; i < nr_vms; i++)
		sum_log(&vms[i], &sums[i]);
	sum_log(NULL, &sums[nr_vms]);
	console_printf("\ntrap tables, side by side\n");
	line_add(&l, "  %-5s %-18s", "EC", "class");
	for (i = 0; i < nr_vms; i++)
		line_add(&l, " %12s", vms[i].name);
	line_add(&l, " %12s", "board");
	line_add(&l, "\n");
	line_print(&l);
	for (k = 0; k <= TRAPLOG_NR_EC + 1; k++) {
		u64 any = k < TRAPLOG_NR_EC ? sums[nr_vms].s.row[k].count : 1;
		char row[8];

		if (!any)
			continue;
		if (k < TRAPLOG_NR_EC)
			fmt_snprintf(row, sizeof(row), "%#04x", k);
		line_add(&l, "  %-5s %-18s",
			 k < TRAPLOG_NR_EC    ? row
			 : k == TRAPLOG_NR_EC ? "-"
					      : "",
			 k < TRAPLOG_NR_EC    ? arch_hsr_ec_name(k)
			 : k == TRAPLOG_NR_EC ? "IRQ"
					      : "total");
		for (i = 0; i <= nr_vms; i++)
			line_add(&l, " %12llu",
				 k <= TRAPLOG_NR_EC ? sums[i].s.row[k].count : sums[i].s.total);
		line_add(&l, "\n");
		line_print(&l);
	}
	print_net_rows();
	/* the costliest trap of each class, per VM: the bound each has reached */
	console_printf("  worst hyp cycles of one trap\n");
	for (k = 0; k <= TRAPLOG_NR_EC; k++) {
		char row[8];

		if (!sums[nr_vms].s.row[k].count)
			continue;
		fmt_snprintf(row, sizeof(row), "%#04x", k);
		line_add(&l, "  %-5s %-18s", k < TRAPLOG_NR_EC ? row : "-",
			 k < TRAPLOG_NR_EC ? arch_hsr_ec_name(k) : "IRQ");
		for (i = 0; i <= nr_vms; i++)
			line_add(&l, " %12u", sums[i].s.row[k].worst);
		line_add(&l, "\n");
		line_print(&l);
	}
}

/* the board's table, every VM summed: vm_print_board, once the reports are out */
void vm_print_board_table(void)
{
	print_table("board (all VMs)", NULL);
}
