/*
 * host test of the image table, from the manifest to the VMs: make runs
 * tools/mkguests.py on tests/unit/images.conf, assembles and links its
 * images.S with the hypervisor's tools at address 0 (tests/unit/images.ld)
 * and hands this test the flat image. its table is read a word at each
 * offset consts.c exported for struct guest_image (image_offsets.h), the
 * offsets mkguests.py wrote at, and becomes the table vm.c walks (here a
 * pointer is no word, so the words are turned into pointers first). then
 * vms_create() on the fake builds the VMs from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "check.h"
#include "fake.h"
#include "fdt.h"
#include "hypercall.h"
#include "image_offsets.h"	/* generated from build/include/consts.py */
#include "images.h"
#include "lib.h"

#define DIR		"build/host/images/"
#define IDENTITY	0x41000000u	/* delta's ram (images.conf) */
#define MAX_IMAGES	8

/* the table vm.c reads, filled from images.bin at run time */
static struct guest_image table[MAX_IMAGES];
extern const struct guest_image guest_images[MAX_IMAGES] __attribute__((alias("table")));

static u8 *image;		/* images.bin: the table, then the blobs */
static size_t image_size;

static u8 *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	u8 *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "test_images: cannot read %s\n", path);
		exit(1);
	}
	buf = malloc(n + 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		exit(1);
	fclose(f);
	*size = n;
	return buf;
}

static u32 word(u32 entry, u32 off)
{
	u32 w;

	memcpy(&w, image + entry * GUEST_IMAGE_SIZE + off, 4);
	return w;
}

/* a pointer word: an offset into the image (an end may be its end), 0 for none */
static const u8 *ptr(u32 entry, u32 off)
{
	u32 w = word(entry, off);

	CHECK(w <= image_size);
	return w && w <= image_size ? image + w : NULL;
}

/* images.bin's table as vm.c's struct guest_image: how many entries before the end */
static u32 read_table(void)
{
	u32 n;

	/* every word of the entry one field, and this reader knows each */
	CHECK_EQ(GUEST_IMAGE_SIZE, 20 * 4);
	CHECK_EQ(GUEST_IMAGE_NAME + GUEST_IMAGE_KERNEL + GUEST_IMAGE_KERNEL_END +
		 GUEST_IMAGE_INITRD + GUEST_IMAGE_INITRD_END + GUEST_IMAGE_INITRD_IPA +
		 GUEST_IMAGE_DTB + GUEST_IMAGE_DTB_END + GUEST_IMAGE_DTB_IPA +
		 GUEST_IMAGE_RAM_MIB + GUEST_IMAGE_IDENTITY + GUEST_IMAGE_NR_VCPUS +
		 GUEST_IMAGE_CPU_MASK + GUEST_IMAGE_FLAGS,
		 4 * (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13));
	for (n = 0; n < MAX_IMAGES - 1 && word(n, GUEST_IMAGE_NAME); n++)
		table[n] = (struct guest_image){
			.name = (const char *)ptr(n, GUEST_IMAGE_NAME),
			.kernel = ptr(n, GUEST_IMAGE_KERNEL),
			.kernel_end = ptr(n, GUEST_IMAGE_KERNEL_END),
			.initrd = ptr(n, GUEST_IMAGE_INITRD),
			.initrd_end = ptr(n, GUEST_IMAGE_INITRD_END),
			.initrd_ipa = word(n, GUEST_IMAGE_INITRD_IPA),
			.dtb = ptr(n, GUEST_IMAGE_DTB),
			.dtb_end = ptr(n, GUEST_IMAGE_DTB_END),
			.dtb_ipa = word(n, GUEST_IMAGE_DTB_IPA),
			.ram_mib = word(n, GUEST_IMAGE_RAM_MIB),
			.identity = word(n, GUEST_IMAGE_IDENTITY),
			.nr_vcpus = word(n, GUEST_IMAGE_NR_VCPUS),
			.cpu_mask = word(n, GUEST_IMAGE_CPU_MASK),
			.flags = word(n, GUEST_IMAGE_FLAGS),
			.pt = (const struct guest_pt *)ptr(n, GUEST_IMAGE_PT),
			.nr_pt = word(n, GUEST_IMAGE_NR_PT),
		};
	/* the entry that ends the table: all zero */
	for (u32 off = 0; off < GUEST_IMAGE_SIZE; off += 4)
		CHECK_EQ(word(n, off), 0);
	return n;
}

/* a blob of the table: the file mkguests.py was given, byte for byte, 4 KiB aligned */
static void check_blob(const u8 *start, const u8 *end, const char *file)
{
	size_t size;
	u8 *want = slurp(file, &size);

	CHECK(start && end);
	if (start && end) {
		CHECK_EQ(end - start, size);
		CHECK(end - start == (long)size && !memcmp(start, want, size));
		CHECK_EQ((start - image) % 4096, 0);
	}
	free(want);
}

/* the device tree mkguests.py made for a VM, as core's reader sees it */
static void check_dtb(const struct guest_image *g, u64 base, u64 ram, u32 ncpus,
		      const char *bootargs)
{
	struct fdt_board b;

	CHECK_EQ(fdt_check(g->dtb, g->dtb_end - g->dtb), 0);
	CHECK_EQ(fdt_board_info(g->dtb, &b), 0);
	CHECK_EQ(pa_addr(b.ram_base), base);
	CHECK_EQ(b.ram_size, ram);
	CHECK_EQ(b.ncpus, ncpus);
	CHECK_STR(b.bootargs, bootargs);
}

static void test_table(void)
{
	const struct guest_image *a = &table[0], *b = &table[1], *g = &table[2], *d = &table[3];

	CHECK_EQ(read_table(), 4);
	CHECK_STR(a->name, "alpha");
	CHECK_STR(b->name, "beta");
	CHECK_STR(g->name, "gamma_2");
	/* alpha: 8 MiB, its initrd at half of it, the device tree on the next page */
	check_blob(a->kernel, a->kernel_end, DIR "alpha.bin");
	check_blob(a->initrd, a->initrd_end, DIR "initrd.bin");
	check_blob(a->dtb, a->dtb_end, DIR "alpha.dtb");
	CHECK_EQ(a->initrd_ipa, GUEST_RAM_IPA + 4 * MiB);
	CHECK_EQ(a->dtb_ipa, GUEST_RAM_IPA + 4 * MiB + 4096);
	CHECK_EQ(a->ram_mib, 8);
	CHECK_EQ(a->nr_vcpus, 2);
	CHECK_EQ(a->cpu_mask, 0x3);
	CHECK_EQ(a->flags, GUEST_TESTDEV | GUEST_DEFAULT | GUEST_TRAPLOG_ALL);
	check_dtb(a, GUEST_RAM_IPA, 8 * MiB, 2, "console=ttyAMA0 quiet");
	/* beta: no initrd (its place still computed), the device tree there */
	check_blob(b->kernel, b->kernel_end, DIR "beta.bin");
	CHECK(b->initrd == NULL);
	CHECK(b->initrd_end == NULL);
	CHECK_EQ(b->initrd_ipa, GUEST_RAM_IPA + 2 * MiB);
	CHECK_EQ(b->dtb_ipa, GUEST_RAM_IPA + 2 * MiB);
	check_blob(b->dtb, b->dtb_end, DIR "beta.dtb");
	CHECK_EQ(b->ram_mib, 4);
	CHECK_EQ(b->nr_vcpus, 3);
	CHECK_EQ(b->cpu_mask, 0xa);
	CHECK_EQ(b->flags, GUEST_DEFAULT | GUEST_TRAPLOG_OWN);
	check_dtb(b, GUEST_RAM_IPA, 4 * MiB, 3, "");
	/* gamma_2: alpha's kernel file, packed once */
	CHECK(g->kernel == a->kernel);
	CHECK(g->kernel_end == a->kernel_end);
	CHECK(g->initrd == NULL);
	CHECK_EQ(g->dtb_ipa, GUEST_RAM_IPA + 2 * MiB);
	check_blob(g->dtb, g->dtb_end, DIR "gamma_2.dtb");
	CHECK_EQ(g->ram_mib, 4);
	CHECK_EQ(g->nr_vcpus, 1);
	CHECK_EQ(g->cpu_mask, 0x4);
	CHECK_EQ(g->flags, 0);
	check_dtb(g, GUEST_RAM_IPA, 4 * MiB, 1, "");
	/* delta: its ram is the board's [0x41000000, 0x41400000), and all it has is there */
	CHECK_EQ(d->identity, IDENTITY);
	CHECK_EQ(a->identity + b->identity + g->identity, 0);
	CHECK_EQ(d->dtb_ipa, IDENTITY + 2 * MiB);
	check_dtb(d, IDENTITY, 4 * MiB, 2, "");
}

/* a blob where the VM's ram has it, the bytes around it still zero */
static void check_loaded(const struct vm *vm, u64 ipa, const u8 *start, const u8 *end)
{
	const u8 *ram = pa_ptr(vm->ram_pa), *at = ram + (ipa - ipa_addr(vm->ram_ipa));

	CHECK(!memcmp(at, start, end - start));
	CHECK_EQ(at[-1], 0);
	CHECK_EQ(at[end - start], 0);
}

static bool mapped(u32 i, const struct vm *vm, u64 ipa, paddr_t pa, u64 size, enum s2_kind kind)
{
	const struct fake_map *m = &fake_maps[i];

	return i < fake_nr_maps && m->vm == vm && ipa_addr(m->ipa) == ipa &&
	       pa_addr(m->pa) == pa_addr(pa) && m->size == size && m->kind == kind;
}

/* no hyp.vms=: the VMs that start by themselves, alpha and beta, in the manifest's order */
static void test_default(void)
{
	struct vm *a = &vms[0], *b = &vms[1];
	paddr_t pool;
	u8 *ram;
	u32 i;

	fake_reset();
	pool = pa_add(fake_ram(16), 4096);		/* rounded up to 2 MiB */
	CHECK_EQ(FAKE_RUN(vms_create("console=ttyAMA0", pool, pa_add(pool, 16 * MiB - 4096))),
		 FAKE_RETURNED);
	CHECK_EQ(nr_vms, 2);
	CHECK_STR(a->name, "alpha");
	CHECK_STR(b->name, "beta");
	CHECK(a->image == &guest_images[0]);
	CHECK(b->image == &guest_images[1]);
	CHECK_EQ(a->id, 0);
	CHECK_EQ(b->vmid, 2);
	CHECK_EQ(pa_addr(a->ram_pa), fake_ram_base + 2 * MiB);
	CHECK_EQ(a->ram_size, 8 * MiB);
	CHECK_EQ(pa_addr(b->ram_pa), fake_ram_base + 10 * MiB);
	CHECK_EQ(b->ram_size, 4 * MiB);
	/* vcpu i on the i-th cpu of the VM's list, round again if fewer */
	CHECK_EQ(a->nr_vcpus, 2);
	CHECK_EQ(a->vcpu[0].pcpu, 0);
	CHECK_EQ(a->vcpu[1].pcpu, 1);
	CHECK_EQ(b->nr_vcpus, 3);
	CHECK_EQ(b->vcpu[0].pcpu, 1);
	CHECK_EQ(b->vcpu[1].pcpu, 3);
	CHECK_EQ(b->vcpu[2].pcpu, 1);
	CHECK(b->vcpu[2].ring == &traplog.ring[1]);
	/* devices: the uart always, the test device if asked for */
	CHECK_EQ(a->nr_mmio, 2);
	CHECK_STR(a->mmio[1].name, "testdev");
	CHECK_EQ(b->nr_mmio, 1);
	CHECK_STR(b->mmio[0].name, "uart");
	/*
	 * stage 2: the trap log (all of it for alpha, its own block alone for
	 * beta, none of the header), then the 2 MiB blocks of ram that the
	 * images are in, populated at load; the others wait for a first touch
	 */
	CHECK_EQ(fake_nr_maps, 6);
	CHECK(mapped(0, a, TRAPLOG_IPA, pa_of(&traplog), sizeof(traplog), S2_READ_ONLY));
	CHECK(mapped(1, a, GUEST_RAM_IPA, a->ram_pa, 2 * MiB, S2_RAM));
	CHECK(mapped(2, a, GUEST_RAM_IPA + 4 * MiB, pa_add(a->ram_pa, 4 * MiB), 2 * MiB, S2_RAM));
	CHECK(mapped(3, b, TRAPLOG_IPA, pa_of(&traplog.vm[1]), TRAPLOG_VM_SIZE, S2_READ_ONLY));
	CHECK(mapped(4, b, GUEST_RAM_IPA, b->ram_pa, 2 * MiB, S2_RAM));
	CHECK(mapped(5, b, GUEST_RAM_IPA + 2 * MiB, pa_add(b->ram_pa, 2 * MiB), 2 * MiB, S2_RAM));
	CHECK_EQ(a->ram_ready[0], 0x5);
	CHECK_EQ(b->ram_ready[0], 0x3);
	/* a first touch zeroes what the block held and maps it, once; beyond the ram, nothing */
	ram = pa_ptr(a->ram_pa);
	ram[6 * MiB + 5] = 0xaa;
	CHECK(vm_ram_fault(a, ipa_init(GUEST_RAM_IPA + 6 * MiB + 4)));
	CHECK_EQ(ram[6 * MiB + 5], 0);
	CHECK(mapped(6, a, GUEST_RAM_IPA + 6 * MiB, pa_add(a->ram_pa, 6 * MiB), 2 * MiB, S2_RAM));
	ram[6 * MiB + 5] = 0xbb;
	CHECK(vm_ram_fault(a, ipa_init(GUEST_RAM_IPA + 8 * MiB - 1)));
	CHECK_EQ(ram[6 * MiB + 5], 0xbb);
	CHECK(!vm_ram_fault(a, ipa_init(GUEST_RAM_IPA + 8 * MiB)));
	CHECK_EQ(fake_nr_maps, 7);
	CHECK_EQ(a->ram_faults, 2);
	CHECK_STR(traplog.vm[1].name, "beta");
	CHECK_EQ(traplog.vm[1].nr_vcpus, 3);
	/* the images where the table says, linux's entry on vcpu 0, the rest off */
	check_loaded(a, GUEST_KERNEL_IPA, table[0].kernel, table[0].kernel_end);
	check_loaded(a, table[0].initrd_ipa, table[0].initrd, table[0].initrd_end);
	check_loaded(a, table[0].dtb_ipa, table[0].dtb, table[0].dtb_end);
	check_loaded(b, GUEST_KERNEL_IPA, table[1].kernel, table[1].kernel_end);
	check_loaded(b, table[1].dtb_ipa, table[1].dtb, table[1].dtb_end);
	for (i = 0; i < 2; i++) {
		const struct vcpu *v0 = &vms[i].vcpu[0];

		CHECK_EQ(vms[i].state, VM_RUNNING);
		CHECK_EQ(v0->state, VCPU_RUNNABLE);
		CHECK_EQ(v0->arch.r[15], GUEST_KERNEL_IPA);
		CHECK_EQ(v0->arch.r[0], 0);
		CHECK_EQ(v0->arch.r[1], ~0u);
		CHECK_EQ(v0->arch.r[2], table[i].dtb_ipa);
		CHECK_EQ(vms[i].vcpu[1].state, VCPU_OFF);
	}
}

/* hyp.vms= names them: in its order, unknown names said and skipped */
static void test_named(void)
{
	paddr_t pool;

	fake_reset();
	pool = fake_ram(16);
	CHECK_EQ(FAKE_RUN(vms_create("quiet hyp.vms=gamma_2,nosuch,beta console=ttyAMA0", pool,
				     pa_add(pool, 16 * MiB))), FAKE_RETURNED);
	CHECK_EQ(nr_vms, 2);
	CHECK_STR(vms[0].name, "gamma_2");
	CHECK_STR(vms[1].name, "beta");
	CHECK_STR(fake_console, "hyp: hyp.vms: no guest image named 'nosuch': ignored\n");
	CHECK_EQ(vms[0].vcpu[0].pcpu, 2);
	CHECK_EQ(vms[0].nr_mmio, 1);
	CHECK_EQ(fake_nr_maps, 5);	/* no trap log for gamma_2: 2, beta 1 + 2 */
	check_loaded(&vms[0], GUEST_KERNEL_IPA, table[0].kernel, table[0].kernel_end);
}

/* hyp.vms= inside another word is not the option */
static void test_not_named(void)
{
	paddr_t pool;

	fake_reset();
	pool = fake_ram(16);
	CHECK_EQ(FAKE_RUN(vms_create("xhyp.vms=gamma_2", pool, pa_add(pool, 16 * MiB))),
		 FAKE_RETURNED);
	CHECK_EQ(nr_vms, 2);
	CHECK_STR(vms[0].name, "alpha");
	CHECK_STR(vms[1].name, "beta");
}

/* a board too small for the table: the error names what to give qemu, and stops */
static void test_too_few_cpus(void)
{
	paddr_t pool;

	fake_reset();
	nr_cpus = 2;
	pool = fake_ram(16);
	CHECK_EQ(FAKE_RUN(vms_create("hyp.vms=beta", pool, pa_add(pool, 16 * MiB))), FAKE_HALTED);
	CHECK_EQ(nr_vms, 0);
	CHECK_STR(fake_console, "hyp: vm beta runs on cpus 0xa, the board has 2: start qemu "
		  "with -smp 4\n");
}

static void test_too_little_ram(void)
{
	paddr_t pool;

	fake_reset();
	pool = fake_ram(10);
	CHECK_EQ(FAKE_RUN(vms_create("", pool, pa_add(pool, 10 * MiB))), FAKE_HALTED);
	CHECK_EQ(nr_vms, 1);
	CHECK_STR(fake_console, "hyp: vm beta wants 4 MiB of ram, the board has 10 MiB and 2 MiB "
		  "are left: start qemu with -m 12M or more\n");
}

/*
 * an identity VM (delta) between two of the pool's: alpha ends where delta's
 * range starts, and beta, next, goes past it. delta's ram is its range of the
 * board, ipa == pa: its images there, all of it zeroed and mapped at its load
 * (a device's dma needs no first touch), its cpus let start only in it.
 */
static void test_identity(void)
{
	struct vm *a = &vms[0], *d = &vms[1], *b = &vms[2];
	u8 *ram = (u8 *)(uintptr_t)IDENTITY;
	paddr_t pa, board;

	fake_reset();
	board = fake_ram_at(0x40000000, 64);		/* the board's, as images.conf says */
	memset(ram, 0xaa, 4 * MiB);			/* what the board held there */
	CHECK_EQ(FAKE_RUN(vms_create("hyp.vms=alpha,delta,beta", pa_add(board, 8 * MiB),
				     pa_add(board, 64 * MiB))), FAKE_RETURNED);
	CHECK_EQ(nr_vms, 3);
	CHECK_EQ(pa_addr(a->ram_pa), 0x40800000);
	CHECK_EQ(pa_addr(d->ram_pa), IDENTITY);
	CHECK_EQ(ipa_addr(d->ram_ipa), IDENTITY);
	CHECK_EQ(pa_addr(b->ram_pa), IDENTITY + 4 * MiB);
	CHECK_EQ(ipa_addr(b->ram_ipa), GUEST_RAM_IPA);
	/* all of delta's blocks mapped at ipa == pa, zeroed; its images where the table says */
	CHECK_EQ(d->ram_ready[0], 0x3);
	CHECK(mapped(3, d, IDENTITY, pa_init(IDENTITY), 2 * MiB, S2_RAM));	/* alpha's 0-2 */
	CHECK(mapped(4, d, IDENTITY + 2 * MiB, pa_init(IDENTITY + 2 * MiB), 2 * MiB, S2_RAM));
	CHECK_EQ(ram[0], 0);
	CHECK_EQ(ram[4 * MiB - 1], 0);
	check_loaded(d, IDENTITY + GUEST_KERNEL_OFFSET, table[3].kernel, table[3].kernel_end);
	check_loaded(d, table[3].dtb_ipa, table[3].dtb, table[3].dtb_end);
	CHECK_EQ(d->vcpu[0].arch.r[15], IDENTITY + GUEST_KERNEL_OFFSET);
	CHECK_EQ(d->vcpu[0].arch.r[2], IDENTITY + 2 * MiB);
	/* its addresses are the board's: nothing at the guests' usual ram, nothing past its end */
	CHECK(vm_ipa_to_pa(d, ipa_init(IDENTITY + 5), 4, &pa));
	CHECK_EQ(pa_addr(pa), IDENTITY + 5);
	CHECK(!vm_ipa_to_pa(d, ipa_init(IDENTITY + 4 * MiB - 2), 4, &pa));
	CHECK(!vm_ram_fault(d, ipa_init(GUEST_RAM_IPA)));
	CHECK(!vm_ram_fault(d, ipa_init(IDENTITY + 4 * MiB)));
	CHECK_EQ(d->ram_faults, 0);
	/* PSCI CPU_ON: an entry in its ram, not at the guests' usual one */
	d->vcpu[0].arch.r[1] = 1;
	d->vcpu[0].arch.r[2] = GUEST_KERNEL_IPA;
	psci_call(&d->vcpu[0], PSCI_CPU_ON);
	CHECK_EQ(d->vcpu[0].arch.r[0], (u32)PSCI_INVALID_ADDRESS);
	d->vcpu[0].arch.r[1] = 1;
	d->vcpu[0].arch.r[2] = IDENTITY + 0x100;
	psci_call(&d->vcpu[0], PSCI_CPU_ON);
	CHECK_EQ(d->vcpu[0].arch.r[0], PSCI_SUCCESS);
	CHECK_EQ(d->vcpu[1].arch.r[15], IDENTITY + 0x100);
	/* its next life: zeroed again, whole */
	ram[3 * MiB] = 0x55;
	CHECK(vm_stop(d, "test"));
	CHECK(vm_start(d));
	CHECK_EQ(ram[3 * MiB], 0);
	CHECK_EQ(d->ram_ready[0], 0x3);
	check_loaded(d, IDENTITY + GUEST_KERNEL_OFFSET, table[3].kernel, table[3].kernel_end);
}

/* an identity VM's range must be the pool's (past the hypervisor's image): else it stops */
static void test_identity_not_free(void)
{
	fake_reset();
	fake_ram_at(0x40000000, 64);
	CHECK_EQ(FAKE_RUN(vms_create("hyp.vms=delta", pa_init(0x41100000), pa_init(0x44000000))),
		 FAKE_HALTED);
	CHECK_EQ(nr_vms, 0);
	CHECK_STR(fake_console, "hyp: vm delta: its ram at the board's [0x41000000, 0x41400000) "
		  "(identity) is outside the VMs' pool [0x41200000, 0x44000000)\n");
	fake_reset();
	fake_ram_at(0x40000000, 64);
	CHECK_EQ(FAKE_RUN(vms_create("hyp.vms=delta", pa_init(0x40800000), pa_init(0x41300000))),
		 FAKE_HALTED);
	CHECK(fake_console_has("is outside the VMs' pool [0x40800000, 0x41300000)"));
}

int main(int argc, char **argv)
{
	image = slurp(argc > 1 ? argv[1] : DIR "images.bin", &image_size);
	test_table();
	test_default();
	test_named();
	test_not_named();
	test_too_few_cpus();
	test_too_little_ram();
	test_identity();
	test_identity_not_free();
	return check_done("test_images");
}
