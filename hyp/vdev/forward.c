/*
 * a device region of the board forwarded to a VM (docs/passthrough.md): one
 * smaller than a page, which stage 2 cannot give away (the H3's UART1-3 share
 * UART0's page with the console). each access traps, and the hypervisor makes
 * it on the device at the same offset and width: its own mapping of the
 * board's devices is the identity (the hyp MMU's device window, mkguests.py
 * checks the region lies in it).
 *
 * a block whose registers several owners share (PT_BITS: the H3's clock and
 * reset controller, its system control block) is read whole, and a write
 * changes only the bits of the VM's devices (the PT_MASK entries after it:
 * their clock gates and reset lines, the EMAC's clock register), the rest as
 * they were: a write to a register with none of its bits changes nothing.
 * bits_lock makes each read-modify-write whole against another VM's on
 * another cpu (the hypervisor writes none of these registers).
 */
#include "images.h"
#include "spinlock.h"
#include "vm.h"

static spinlock_t bits_lock;

/* the VM's bits of the shared block's register at a: its PT_MASK entries */
static u32 forward_mask(const struct guest_pt *p, uintptr_t a)
{
	u32 i;

	for (i = 1; i <= p->bits; i++)
		if (p[i].base == a)
			return p[i].bits;
	return 0;
}

/* aligned, inside the region, a width the device takes (its reg-io-width) */
static bool forward_ok(const struct guest_pt *p, u32 off, u32 width)
{
	return (p->forward & width) && !(off & (width - 1)) && width <= p->size - off;
}

static bool forward_read(void *dev, u32 off, u32 width, u32 *val, struct vcpu *vcpu)
{
	const struct guest_pt *p = dev;
	uintptr_t a = p->base + off;

	(void)vcpu;
	if (!forward_ok(p, off, width))
		return false;
	*val = width == 4 ? mmio_read32(a) : width == 2 ? mmio_read16(a) : mmio_read8(a);
	return true;
}

static bool forward_write(void *dev, u32 off, u32 width, u32 val, struct vcpu *vcpu)
{
	const struct guest_pt *p = dev;
	uintptr_t a = p->base + off;

	(void)vcpu;
	if (!forward_ok(p, off, width))
		return false;
	if (p->forward & PT_BITS) { /* width 4 alone (mkguests.py) */
		u32 mask = forward_mask(p, a);

		spin_lock(&bits_lock);
		if (mask)
			mmio_write32(a, (mmio_read32(a) & ~mask) | (val & mask));
		spin_unlock(&bits_lock);
	} else if (width == 4)
		mmio_write32(a, val);
	else if (width == 2)
		mmio_write16(a, (u16)val);
	else
		mmio_write8(a, (u8)val);
	return true;
}

void forward_attach(struct vm *vm, const struct guest_pt *p)
{
	const struct mmio_dev dev = {
		.name = p->forward & PT_BITS ? "shared" : "fwd",
		.base = ipa_init(p->base),
		.size = p->size,
		.read = forward_read,
		.write = forward_write,
		.dev = (void *)p, /* read only: the image table's entry */
	};

	vm_add_mmio(vm, &dev);
}
