/*
 * the control ABI: VMs listed, started, shut down, destroyed, reset and
 * their vcpus pinned while the board runs. callers: a VM whose manifest
 * says "control = yes", by hvc (HYP_CTL_*, hypercall.h) or, from its PL0
 * where hvc is UNDEFINED, by its mailbox page; and the console's prompt
 * (Ctrl-] :). each action is a ring record of class CTL. docs/control.md.
 */
#include "atomic.h"
#include "console.h"
#include "hypercall.h"
#include "images.h"
#include "lib.h"
#include "mmio.h"
#include "percpu.h"
#include "sched.h"
#include "trapprint.h"
#include "virtio_mmio.h"
#include "vm.h"

/*
 * one action at a time, taken by trying: an action may wait for other cpus
 * to let go of a VM's vcpus (vm.c, load_released), and a cpu spinning on
 * this lock while holding one of them would wait for ever.
 */
static u32 busy;
static u32 logged; /* actions by VMs on the console so far: the first 32 */

/*
 * the guest's kernel powers off when its console reads ^O o (hvc_console.c's
 * sysrq on hvc0, enabled by debian's MAGIC_SYSRQ_DEFAULT_ENABLE 0x1b6): ^O s
 * and ^O u first sync and remount its filesystems read-only.
 */
static s32 shutdown(struct vm *vm)
{
	static const char keys[] = "\x0fs\x0fu\x0fo";
	u32 i;

	if (!vcon_has_input(vm))
		return HYP_CTL_UNSUPPORTED;
	for (i = 0; keys[i]; i++)
		vcon_rx(vm, keys[i]);
	return HYP_CTL_OK;
}

static s32 act(struct vm *self, u32 fid, const u32 a[3], u32 ret[4])
{
	struct vm *vm = a[0] < nr_vms ? &vms[a[0]] : NULL;
	u32 i;

	if (!vm)
		return HYP_CTL_INVALID;
	if (fid >= HYP_CTL_SHUTDOWN && fid <= HYP_CTL_RESET && (a[1] & ~HYP_CTL_SELF))
		return HYP_CTL_INVALID;
	if (fid >= HYP_CTL_SHUTDOWN && fid <= HYP_CTL_RESET && vm == self && !a[1])
		return HYP_CTL_DENIED; /* by mistake, or it would say so */
	switch (fid) {
	case HYP_CTL_LIST:
		ret[1] = atomic_read(&vm->state) | vm->nr_vcpus << 8 | vm->image->cpu_mask << 16 |
			 (vm->image->flags & GUEST_CONTROL ? 1u << 24 : 0);
		ret[2] = (u32)(vm->ram_size / MiB);
		ret[3] = 0;
		for (i = 0; i < vm->nr_vcpus; i++)
			ret[3] += (u32)vm->vcpu[i].log->total;
		return HYP_CTL_OK;
	case HYP_CTL_NAME:
		memset(ret, 0, 16);
		memcpy(ret, vm->name, strlen(vm->name)); /* 15 at most (mkguests.py) */
		return (s32)ret[0];			 /* ascii: never negative */
	case HYP_CTL_PIN:
		if (a[1] >= vm->nr_vcpus || a[2] >= nr_cpus || !(vm->image->cpu_mask >> a[2] & 1))
			return HYP_CTL_INVALID;
		vm->vcpu[a[1]].pin = a[2] + 1;		   /* at its next start or reset, */
		if (atomic_read(&vm->state) == VM_RUNNING) /* and now: sched.c's hand-over */
			sched_move(&vm->vcpu[a[1]], a[2]);
		return HYP_CTL_OK;
	}
	if (atomic_read(&vm->state) == VM_RESETTING)
		return HYP_CTL_BUSY;
	if (fid == HYP_CTL_START)
		return vm_start(vm) ? HYP_CTL_OK : HYP_CTL_RUNNING;
	if (fid == HYP_CTL_SHUTDOWN)
		return atomic_read(&vm->state) == VM_RUNNING ? shutdown(vm) : HYP_CTL_STOPPED;
	if (fid == HYP_CTL_DESTROY)
		return vm_destroy(vm) ? HYP_CTL_OK : HYP_CTL_STOPPED;
	return vm_reset(vm) ? HYP_CTL_OK : HYP_CTL_STOPPED;
}

static const char *const ctl_names[] = {"list",	   "name",  "start", "shutdown",
					"destroy", "reset", "pin"};
static const char *const results[] = {"ok",	 "not supported", "invalid", "denied",
				      "running", "stopped",	  "busy"};

/* a call by a VM (self) or the console (NULL): results in ret[0-3] */
static void ctl_call(struct vm *self, u32 who, u32 fid, const u32 a[3], u32 ret[4])
{
	s32 r;

	if (self && !(self->image->flags & GUEST_CONTROL)) {
		ret[0] = (u32)HYP_CTL_UNSUPPORTED;
		return;
	}
	if (xchg_acquire(&busy, 1)) {
		ret[0] = (u32)HYP_CTL_BUSY;
		return;
	}
	r = act(self, fid, a, ret);
	ret[0] = (u32)r;
	if (fid > HYP_CTL_NAME) {
		traplog_ctl(arch_cpu_id(), who, fid, a[0] | a[1] << 8 | a[2] << 16, (u32)r,
			    arch_counter());
		if (!self || logged++ < 32)
			log_info("ctl: %s: %s %s: %s\n", self ? self->name : "console",
				 ctl_names[fid - HYP_CTL_LIST],
				 a[0] < nr_vms ? vms[a[0]].name : "?", results[-r]);
	}
	store_release(&busy, 0);
}

/* by hvc: a stopped or reset caller (its own VM, HYP_CTL_SELF) runs no more */
struct vcpu *ctl_hvc(struct vcpu *vcpu, u32 fid)
{
	u32 a[3] = {arch_vcpu_arg(vcpu, 1), arch_vcpu_arg(vcpu, 2), arch_vcpu_arg(vcpu, 3)};
	u32 ret[4] = {0, arch_vcpu_arg(vcpu, 1), arch_vcpu_arg(vcpu, 2), arch_vcpu_arg(vcpu, 3)};
	u32 i;

	ctl_call(vcpu->vm, vcpu->log_who, fid, a, ret);
	if (atomic_read(&vcpu->state) == VCPU_STOPPED || !arch_vcpu_loaded(vcpu))
		return sched_next(vcpu);
	for (i = 0; i < 4; i++)
		arch_vcpu_set_ret(vcpu, i, ret[i]);
	return vcpu;
}

/*
 * the mailbox, for a control VM's PL0 (hypctl, through /dev/mem): words
 * 0x0-0xc are r0-r3 of the vcpu's call; the function id written to 0x0
 * makes the call with the words at 0x4-0xc, and its results replace them.
 */
static bool mbox_read(void *dev, u32 off, u32 width, u32 *val, struct vcpu *vcpu)
{
	(void)dev; /* each vcpu's own words */
	if (width != 4 || off & 3 || off >= 16)
		return false;
	*val = vcpu->ctl[off / 4];
	return true;
}

static bool mbox_write(void *dev, u32 off, u32 width, u32 val, struct vcpu *vcpu)
{
	(void)dev;
	if (width != 4 || off & 3 || off >= 16)
		return false;
	vcpu->ctl[off / 4] = val;
	if (off == 0 && val >= HYP_CTL_LIST && val <= HYP_CTL_PIN)
		ctl_call(vcpu->vm, vcpu->log_who, val, &vcpu->ctl[1], vcpu->ctl);
	else if (off == 0)
		vcpu->ctl[0] = (u32)HYP_CTL_UNSUPPORTED;
	return true;
}

void ctl_attach(struct vm *vm)
{
	static const struct mmio_dev dev = {
		.name = "ctl",
		.base = IPA_INIT(GUEST_CTL_IPA),
		.size = 0x1000,
		.read = mbox_read,
		.write = mbox_write,
	};

	vm_add_mmio(vm, &dev);
}

/* a VM by name or number, for the prompt */
static u32 vm_by_name(const char *s, u32 n)
{
	u32 i;

	for (i = 0; i < nr_vms; i++)
		if (strlen(vms[i].name) == n && !strncmp(vms[i].name, s, n))
			return i;
	if (n == 1 && *s >= '0' && *s <= '9')
		return (u32)(*s - '0');
	return ~0u;
}

static const char *const state_names[] = {"empty", "running", "stopped", "crashed", "resetting"};

static void print_list(void)
{
	u32 a[3] = {0}, r[4];

	console_printf("  id name             state     vcpus cpus  MiB        exits\n");
	for (a[0] = 0; a[0] < nr_vms; a[0]++) {
		act(NULL, HYP_CTL_LIST, a, r);
		console_printf("  %2u %-16s %-9s %5u %#4x %4u %12u%s\n", a[0], vms[a[0]].name,
			       state_names[r[1] & 0xff], r[1] >> 8 & 0xff, r[1] >> 16 & 0xff, r[2],
			       r[3], r[1] >> 24 ? " control" : "");
	}
}

/* the console's prompt (Ctrl-] :): "start linux2", "pin linux1 0 1", ... */
void ctl_command(const char *line)
{
	const char *w[4] = {0};
	u32 len[4] = {0}, n = 0, i, a[3] = {0, HYP_CTL_SELF, 0}, r[4];

	for (; *line && n < 4; n++) {
		while (*line == ' ')
			line++;
		if (!*line)
			break;
		w[n] = line;
		while (*line && *line != ' ')
			line++;
		len[n] = (u32)(line - w[n]);
	}
	if (!n)
		return;
	if (n > 1)
		a[0] = vm_by_name(w[1], len[1]);
	for (i = 2; i < n; i++) /* pin's vcpu and cpu: one digit each */
		a[i - 1] = len[i] == 1 && *w[i] >= '0' && *w[i] <= '9' ? (u32)(*w[i] - '0') : ~0u;
	for (i = HYP_CTL_START; i <= HYP_CTL_PIN; i++)
		if (strlen(ctl_names[i - HYP_CTL_LIST]) == len[0] &&
		    !strncmp(w[0], ctl_names[i - HYP_CTL_LIST], len[0]) &&
		    n == (i == HYP_CTL_PIN ? 4u : 2u)) {
			ctl_call(NULL, TRAPLOG_WHO(TRAPLOG_CTL_CONSOLE, 0), i, a, r);
			return;
		}
	if (len[0] == 4 && !strncmp(w[0], "list", 4))
		print_list();
	else if (len[0] == 5 && !strncmp(w[0], "stats", 5) && n == 2 && a[0] < nr_vms)
		vm_print_table(&vms[a[0]]);
	else if (len[0] == 5 && !strncmp(w[0], "stats", 5) && n == 1)
		vm_print_side_by_side();
	else
		console_printf("commands: list, start VM, shutdown VM, destroy VM, reset VM, "
			       "pin VM VCPU CPU (now), stats [VM], help\n");
}
