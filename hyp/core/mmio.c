/* emulated mmio: route a decoded guest access to the VM's device. */
#include "mmio.h"
#include "vm.h"

/*
 * every device sits below 4 GiB (vm_add_mmio), so the search compares 32
 * bits: one subtraction and one unsigned compare per device. it starts at
 * the device hit last: a driver's accesses come in runs.
 */
bool mmio_emulate(struct vcpu *vcpu, u32 ipa, u32 acc)
{
	struct vm *vm = vcpu->vm;
	static const u32 masks[4] = {0xff, 0xffff, ~0u, ~0u}; /* by log2 of the width */
	u32 i = vm->mmio_last, n = vm->nr_mmio, lg = MMIO_LOG2_WIDTH(acc), width = 1u << lg;
	u32 off, val, mask;
	const struct mmio_dev *d;

	if (!n)
		return false;
	for (d = &vm->mmio[i]; (off = ipa - (u32)ipa_addr(d->base)) >= d->size; d = &vm->mmio[i]) {
		if (++i == n)
			i = 0;
		if (i == vm->mmio_last)
			return false;
	}
	vm->mmio_last = i; /* (a race between its vcpus only costs a longer search) */
	traplog_inc(&vcpu->log->mmio[i]);
	mask = masks[lg];
	if (acc & MMIO_WRITE)
		return d->write(d->dev, off, width, arch_vcpu_reg_read(vcpu, MMIO_REG(acc)) & mask,
				vcpu);
	if (!d->read(d->dev, off, width, &val, vcpu))
		return false;
	val &= mask;
	if ((acc & MMIO_SIGNED) && (val & (1u << (8 * width - 1))))
		val |= ~mask; /* (a word's ~mask is 0) */
	arch_vcpu_reg_write(vcpu, MMIO_REG(acc), val);
	return true;
}
