/*
 * host test of hyp/core/mmio.c on the fake architecture: a guest load or
 * store reaches the device that covers its ipa, with the access's width,
 * and a load comes back into its register masked to that width and, for
 * ldrsb/ldrsh, sign-extended. through a recording device, then through
 * core's own test device and uart, keys from the board's uart included.
 */
#include "check.h"
#include "fake.h"
#include "images.h"
#include "irq.h"
#include "mmio.h"

#define REC_IPA		0x0a000000ull	/* the recording device: 256 bytes */
#define REC_SIZE	0x100
#define REG		7		/* the transfer register */
#define SENTINEL(n)	(0x5a5a0000u + (n))

static const u8 kernel[16] = "kernel", dtb[16] = "dtb";

const struct guest_image guest_images[] = {
	{ .name = "m", .kernel = kernel, .kernel_end = kernel + sizeof(kernel),
	  .dtb = dtb, .dtb_end = dtb + sizeof(dtb), .dtb_ipa = GUEST_RAM_IPA + 0x100000,
	  .ram_mib = 2, .nr_vcpus = 1, .cpu_mask = 1, .flags = GUEST_DEFAULT | GUEST_TESTDEV },
	{ .name = NULL },
};

/* what the recording device saw last, and what it answers */
static struct {
	u32 reads, writes, off, width, val;
	u32 value;		/* its reads return this, all 32 bits of it */
	bool refuse;		/* its accesses fail: the guest gets an abort */
} rec;

/* its accesses come with the device it was registered with, and the vcpu */
static bool rec_read(void *dev, u32 off, u32 width, u32 *val, struct vcpu *vcpu)
{
	CHECK(dev == &rec && vcpu->vm == &vms[0]);
	rec.reads++;
	rec.off = off;
	rec.width = width;
	*val = rec.value;
	return !rec.refuse;
}

static bool rec_write(void *dev, u32 off, u32 width, u32 val, struct vcpu *vcpu)
{
	CHECK(dev == &rec && vcpu->vm == &vms[0]);
	rec.writes++;
	rec.off = off;
	rec.width = width;
	rec.val = val;
	return !rec.refuse;
}

static struct vcpu *v;

static void fill_regs(void)
{
	u32 n;

	for (n = 0; n < 15; n++)
		v->arch.r[n] = SENTINEL(n);
}

/* every register but the transfer one as fill_regs left it */
static bool others_untouched(u32 reg)
{
	u32 n;

	for (n = 0; n < 15; n++)
		if (n != reg && v->arch.r[n] != SENTINEL(n))
			return false;
	return true;
}

static bool load(u64 ipa, u32 width, bool sign, u32 reg)
{
	u32 acc = MMIO_ACCESS(reg, __builtin_ctz(width)) | (sign ? MMIO_SIGNED : 0);

	return ipa < 1ull << 32 && mmio_emulate(v, (u32)ipa, acc);
}

static bool store(u64 ipa, u32 width, u32 reg)
{
	return ipa < 1ull << 32 &&
	       mmio_emulate(v, (u32)ipa, MMIO_ACCESS(reg, __builtin_ctz(width)) | MMIO_WRITE);
}

/* a load of width from the recording device answering value: the register's new value */
static u32 loaded(u32 value, u32 width, bool sign)
{
	fill_regs();
	rec.value = value;
	CHECK(load(REC_IPA + 0x10, width, sign, REG));
	CHECK_EQ(rec.width, width);
	CHECK_EQ(rec.off, 0x10);
	CHECK(others_untouched(REG));
	return v->arch.r[REG];
}

static void test_load_widths(void)
{
	/* zero-extended: the device's bits above the width never reach the guest */
	CHECK_EQ(loaded(0x12345678, 1, false), 0x78);
	CHECK_EQ(loaded(0x123456f8, 1, false), 0xf8);
	CHECK_EQ(loaded(0x1234fedc, 2, false), 0xfedc);
	CHECK_EQ(loaded(0xfedcba98, 4, false), 0xfedcba98);
	/* ldrsb, ldrsh: the width's top bit fills the rest */
	CHECK_EQ(loaded(0x12345678, 1, true), 0x78);
	CHECK_EQ(loaded(0x0000007f, 1, true), 0x7f);
	CHECK_EQ(loaded(0x00000080, 1, true), 0xffffff80);
	CHECK_EQ(loaded(0x000000ff, 1, true), 0xffffffff);
	CHECK_EQ(loaded(0x123456f8, 1, true), 0xfffffff8);
	CHECK_EQ(loaded(0xffffff7f, 1, true), 0x7f);
	CHECK_EQ(loaded(0x00007fff, 2, true), 0x7fff);
	CHECK_EQ(loaded(0x00008000, 2, true), 0xffff8000);
	CHECK_EQ(loaded(0x1234fedc, 2, true), 0xfffffedc);
	CHECK_EQ(loaded(0xffff7edc, 2, true), 0x7edc);
	/* a word has nothing to extend */
	CHECK_EQ(loaded(0x80000000, 4, true), 0x80000000);
	CHECK_EQ(loaded(0x7fffffff, 4, true), 0x7fffffff);
}

/* a store of width from a register holding 0xa1b2c3d4: what the device gets */
static u32 stored(u32 width)
{
	fill_regs();
	v->arch.r[REG] = 0xa1b2c3d4;
	CHECK(store(REC_IPA + 0x20, width, REG));
	CHECK_EQ(rec.width, width);
	CHECK_EQ(rec.off, 0x20);
	CHECK(others_untouched(REG));
	CHECK_EQ(v->arch.r[REG], 0xa1b2c3d4);	/* a store leaves its register */
	return rec.val;
}

static void test_store_widths(void)
{
	CHECK_EQ(stored(1), 0xd4);
	CHECK_EQ(stored(2), 0xc3d4);
	CHECK_EQ(stored(4), 0xa1b2c3d4);
}

/* the device's range, its edges, the access counters, a refusal */
static void test_routing(struct vm *vm, u32 rec_index)
{
	u32 reads = rec.reads, writes = rec.writes;
	u64 counted = v->log->mmio[rec_index], uart = v->log->mmio[0];

	fill_regs();
	rec.value = 0x11;
	CHECK(load(REC_IPA, 4, false, 3));
	CHECK_EQ(rec.off, 0);
	CHECK(load(REC_IPA + REC_SIZE - 1, 1, false, 3));
	CHECK_EQ(rec.off, REC_SIZE - 1);
	CHECK_EQ(v->arch.r[3], 0x11);
	/* a byte past either end: no device, no call, the register as it was */
	v->arch.r[3] = SENTINEL(3);
	CHECK(!load(REC_IPA + REC_SIZE, 1, false, 3));
	CHECK(!load(REC_IPA - 1, 1, false, 3));
	CHECK(!store(REC_IPA + REC_SIZE, 4, 3));
	CHECK(!load(0, 4, false, 3));
	CHECK_EQ(rec.reads, reads + 2);
	CHECK_EQ(rec.writes, writes);
	CHECK(others_untouched(99));
	/* refused: false, and a load's register untouched */
	rec.refuse = true;
	rec.value = 0x22;
	CHECK(!load(REC_IPA + 4, 4, false, 3));
	CHECK_EQ(v->arch.r[3], SENTINEL(3));
	CHECK(!store(REC_IPA + 4, 4, 3));
	CHECK_EQ(rec.writes, writes + 1);
	rec.refuse = false;
	/* every access the device took counts in its column, refused or not */
	CHECK_EQ(v->log->mmio[rec_index], counted + 4);
	CHECK_EQ(v->log->mmio[0], uart);
	CHECK_STR(vm->mmio[rec_index].name, "rec");
	CHECK_STR(vm->log->mmio_name[rec_index], "rec");
	CHECK_EQ(vm->log->nr_mmio_dev, vm->nr_mmio);
}

/*
 * the search starts at the device hit last and wraps: from each of the
 * three devices, each other is found and a miss is a miss; counts exact
 */
static void test_search_order(struct vm *vm, u32 rec_index)
{
	static const u64 at[3] = {GUEST_UART_IPA + 0x18, GUEST_TESTDEV_IPA, REC_IPA};
	u64 before[3];
	u32 from, to, k;

	for (k = 0; k < 3; k++)
		before[k] = v->log->mmio[k];
	CHECK_EQ(rec_index, 2);
	for (from = 0; from < 3; from++)
		for (to = 0; to < 3; to++) {
			CHECK(load(at[from], 4, false, 6));
			CHECK_EQ(vm->mmio_last, from);
			CHECK(load(at[to], 4, false, 6));
			CHECK_EQ(vm->mmio_last, to);
			CHECK(!load(GUEST_TESTDEV_IPA + 0x1000, 4, false, 6));
			CHECK_EQ(vm->mmio_last, to); /* a miss leaves it */
		}
	for (k = 0; k < 3; k++)
		CHECK_EQ(v->log->mmio[k], before[k] + 6);
}

/* core's test device: scratch bytes kept at any width, exactly */
static void test_testdev(void)
{
	u64 scratch = GUEST_TESTDEV_IPA + 0x40;

	fill_regs();
	CHECK(load(GUEST_TESTDEV_IPA, 4, false, 0));
	CHECK_EQ(v->arch.r[0], 0x54444556);		/* "TDEV" */
	v->arch.r[1] = 0x11223344;
	CHECK(store(scratch, 4, 1));
	CHECK(load(scratch + 1, 1, false, 2));
	CHECK_EQ(v->arch.r[2], 0x33);
	CHECK(load(scratch + 2, 2, true, 2));
	CHECK_EQ(v->arch.r[2], 0x1122);
	v->arch.r[1] = 0xffffff80;			/* strb keeps the low byte */
	CHECK(store(scratch + 3, 1, 1));
	CHECK(load(scratch, 4, false, 2));
	CHECK_EQ(v->arch.r[2], 0x80223344);
	CHECK(load(scratch + 3, 1, true, 2));
	CHECK_EQ(v->arch.r[2], 0xffffff80);
	CHECK(load(scratch + 2, 2, true, 2));
	CHECK_EQ(v->arch.r[2], 0xffff8022);
	CHECK(load(scratch + 2, 2, false, 2));
	CHECK_EQ(v->arch.r[2], 0x8022);
	v->arch.r[2] = SENTINEL(2);
	CHECK(!load(scratch + 1, 2, false, 2));	/* misaligned: refused */
	CHECK_EQ(v->arch.r[2], SENTINEL(2));
	CHECK(!store(scratch + 2, 4, 1));
	CHECK(load(scratch, 4, false, 2));
	CHECK_EQ(v->arch.r[2], 0x80223344);
}

/* core's uart: a byte store, its register's other bits masked off, a line on the console */
static void test_vuart(void)
{
	const char *s = "hi\n";

	for (; *s; s++) {
		v->arch.r[4] = 0x100 | (u8)*s;
		CHECK(store(GUEST_UART_IPA, 1, 4));
	}
	CHECK(fake_console_has("[m] hi\n"));
	CHECK(load(GUEST_UART_IPA + 0x18, 4, false, 5));	/* FR: tx empty, rx empty */
	CHECK_EQ(v->arch.r[5], 0x90);
}

/* keys from the board's uart interrupt to the focus VM's uart, its line, its loads */
static void test_keyboard(struct vm *vm)
{
	v->arch.r[4] = 1u << 4;				/* IMSC: the receive interrupt */
	CHECK(store(GUEST_UART_IPA + 0x38, 4, 4));
	CHECK_EQ(vm->vgic.lines, 0);
	fake_keys = "ok";
	fake_raise(0, PLAT_UART_IRQ);
	CHECK(irq_handle(v) == v);
	CHECK_EQ(*fake_keys, 0);
	CHECK_EQ(vm->vgic.lines, 1ull << GUEST_UART_IRQ);
	CHECK(load(GUEST_UART_IPA, 1, false, 5));
	CHECK_EQ(v->arch.r[5], 'o');
	CHECK_EQ(vm->vgic.lines, 1ull << GUEST_UART_IRQ);	/* a byte still waits */
	CHECK(load(GUEST_UART_IPA, 4, false, 5));
	CHECK_EQ(v->arch.r[5], 'k');
	CHECK_EQ(vm->vgic.lines, 0);
	CHECK(load(GUEST_UART_IPA + 0x18, 4, false, 5));
	CHECK_EQ(v->arch.r[5], 0x90);
}

int main(void)
{
	static const struct mmio_dev dev = {
		.name = "rec", .base = IPA_INIT(REC_IPA), .size = REC_SIZE,
		.read = rec_read, .write = rec_write, .dev = &rec,
	};
	struct vm *vm;
	paddr_t pool;

	fake_reset();
	pool = fake_ram(4);
	vms_create("", pool, pa_add(pool, 4 * MiB));
	CHECK_EQ(nr_vms, 1);
	vm = &vms[0];
	v = &vm->vcpu[0];
	CHECK_EQ(vm->nr_mmio, 2);			/* the uart and the test device */
	CHECK_STR(vm->mmio[0].name, "uart");
	CHECK_STR(vm->mmio[1].name, "testdev");
	vm_add_mmio(vm, &dev);
	test_load_widths();
	test_store_widths();
	test_routing(vm, 2);
	test_search_order(vm, 2);
	test_testdev();
	test_vuart();
	test_keyboard(vm);
	return check_done("test_mmio");
}
