/*
 * a test device for mmio emulation (0x0b000000, 4 KiB), given to VMs that
 * ask for it: an id register and 64 bytes of scratch that keep whatever is
 * stored at any width, so a guest can check its loads and stores exactly.
 *
 *   0x000  ID       read-only, "TDEV" (0x54444556)
 *   0x004  ACCESSES read-only, how many accesses the device has seen
 *   0x040  SCRATCH  64 bytes, read/write as bytes, halfwords or words
 *   other           reads as zero, writes ignored
 * a misaligned access is refused: the guest gets a data abort.
 */
#include "mmio.h"
#include "lib.h"
#include "vm.h"

#define TESTDEV_ID  0x54444556u
#define SCRATCH	    0x040
#define SCRATCH_LEN 64

static bool testdev_read(void *dev, u32 off, u32 width, u32 *val, struct vcpu *vcpu)
{
	struct testdev *t = dev;

	(void)vcpu;
	if (off & (width - 1))
		return false;
	t->accesses++;
	*val = 0;
	if (off == 0)
		*val = TESTDEV_ID;
	else if (off == 4)
		*val = t->accesses;
	else if (off - SCRATCH < SCRATCH_LEN) /* aligned: one load */
		*val = width == 4   ? t->scratch.w[(off - SCRATCH) / 4]
		       : width == 2 ? t->scratch.h[(off - SCRATCH) / 2]
				    : t->scratch.b[off - SCRATCH];
	return true;
}

static bool testdev_write(void *dev, u32 off, u32 width, u32 val, struct vcpu *vcpu)
{
	struct testdev *t = dev;

	(void)vcpu;
	if (off & (width - 1))
		return false;
	t->accesses++;
	if (off - SCRATCH >= SCRATCH_LEN)
		return true;
	if (width == 4) /* aligned: one store */
		t->scratch.w[(off - SCRATCH) / 4] = val;
	else if (width == 2)
		t->scratch.h[(off - SCRATCH) / 2] = (u16)val;
	else
		t->scratch.b[off - SCRATCH] = (u8)val;
	return true;
}

void testdev_attach(struct vm *vm)
{
	const struct mmio_dev dev = {
		.name = "testdev",
		.base = IPA_INIT(GUEST_TESTDEV_IPA),
		.size = 0x1000,
		.read = testdev_read,
		.write = testdev_write,
		.dev = &vm->testdev,
	};

	memset(&vm->testdev, 0, sizeof(vm->testdev));
	vm_add_mmio(vm, &dev);
}
