/* emulated mmio: route a decoded guest access to the VM's device. */
#include "mmio.h"
#include "vm.h"

bool mmio_emulate(struct vcpu *vcpu, const struct mmio_access *acc)
{
	struct vm *vm = vcpu->vm;
	u32 i, val, mask = acc->width == 4 ? ~0u : (1u << (8 * acc->width)) - 1;

	for (i = 0; i < vm->nr_mmio; i++) {
		struct mmio_dev *d = &vm->mmio[i];
		u64 ipa = ipa_addr(acc->ipa), base = ipa_addr(d->base);
		u32 off = (u32)(ipa - base);

		if (ipa < base || ipa - base >= d->size)
			continue;
		vcpu->log->mmio[i]++;
		if (acc->write)
			return d->write(vcpu, off, acc->width,
					vcpu_reg_read(vcpu, acc->reg) & mask);
		if (!d->read(vcpu, off, acc->width, &val))
			return false;
		val &= mask;
		if (acc->sign_extend && acc->width < 4 && (val & (1u << (8 * acc->width - 1))))
			val |= ~mask;
		vcpu_reg_write(vcpu, acc->reg, val);
		return true;
	}
	return false;
}
