/* host unit test for hyp/core/fdt.c against dtbs dumped from qemu's virt machine. */
/* usage: test_fdt <1G/2cpu/bootargs dtb> <512M/4cpu dtb> */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib.h"
#include "fdt.h"
#include "check.h"

static u32 get32(const u8 *p)
{
	return be32(p);
}

static void put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* load a file into a buffer that starts 4 bytes past malloc's alignment, so it is not 8-aligned. */
static u8 *load(const char *path, u32 *size, u8 **alloc)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*alloc = malloc(n + 4);
	if (!*alloc || fread(*alloc + 4, 1, n, f) != (size_t)n) {
		fprintf(stderr, "%s: read failed\n", path);
		exit(2);
	}
	fclose(f);
	*size = n;
	return *alloc + 4;
}

static u8 *copy_of(const u8 *src, u32 size)
{
	u8 *p = malloc(size);

	memcpy(p, src, size);
	return p;
}

static void check_board(const u8 *dtb, u32 size, u64 ram, u32 ncpus, const char *args)
{
	struct fdt_board b;
	int root, uart, cpu;
	u32 len, ac, sc;
	const u32 *reg;
	const void *p;

	CHECK(fdt_check(dtb, size) == 0);
	memset(&b, 0xa5, sizeof(b));
	CHECK(fdt_board_info(dtb, &b) == 0);
	CHECK(pa_addr(b.ram_base) == 0x40000000);
	CHECK(b.ram_size == ram);
	CHECK(b.ncpus == ncpus);
	CHECK(b.bootargs && !strcmp(b.bootargs, args));
	printf("  ram %#llx+%#llx ncpus %u bootargs \"%s\"\n",
	       (unsigned long long)pa_addr(b.ram_base), (unsigned long long)b.ram_size,
	       b.ncpus, b.bootargs ? b.bootargs : "(null)");

	root = fdt_path_offset(dtb, "/");
	CHECK(root >= 0);
	CHECK(fdt_node_name(dtb, root) && !strcmp(fdt_node_name(dtb, root), ""));
	p = fdt_getprop(dtb, root, "#address-cells", &len);
	CHECK(p && len == 4);
	ac = p ? be32(p) : 0;
	p = fdt_getprop(dtb, root, "#size-cells", &len);
	CHECK(p && len == 4);
	sc = p ? be32(p) : 0;

	uart = fdt_path_offset(dtb, "/pl011");
	CHECK(uart >= 0);
	CHECK(uart == fdt_path_offset(dtb, "/pl011@9000000"));
	CHECK(fdt_node_name(dtb, uart) && !strcmp(fdt_node_name(dtb, uart), "pl011@9000000"));
	reg = fdt_getprop(dtb, uart, "reg", &len);
	CHECK(reg && len >= (ac + sc) * 4);
	if (reg && len >= (ac + sc) * 4) {
		CHECK(fdt_read_cells(reg, ac) == 0x09000000);
		CHECK(fdt_read_cells(reg + ac, sc) == 0x1000);
	}

	/* lookups that must fail, and properties that belong to other nodes */
	CHECK(fdt_path_offset(dtb, "/nonexistent") == FDT_ERR_NOTFOUND);
	CHECK(fdt_path_offset(dtb, "/pl011@1") == FDT_ERR_NOTFOUND);
	CHECK(fdt_path_offset(dtb, "/pl01") == FDT_ERR_NOTFOUND);
	CHECK(fdt_path_offset(dtb, "chosen") == FDT_ERR_NOTFOUND);
	CHECK(fdt_getprop(dtb, root, "bootargs", NULL) == NULL);
	CHECK(fdt_getprop(dtb, root, "reg", NULL) == NULL);
	cpu = fdt_path_offset(dtb, "/cpus/cpu@0");
	CHECK(cpu >= 0 && cpu == fdt_path_offset(dtb, "//cpus/cpu/"));
	CHECK(fdt_first_subnode(dtb, fdt_path_offset(dtb, "/chosen")) == FDT_ERR_NOTFOUND);
}

static void check_rejects(const u8 *dtb, u32 size)
{
	struct fdt_board b;
	u32 off_struct = get32(dtb + 8), size_struct = get32(dtb + 36);
	u8 *m;
	u32 len, seed = 12345, i;
	const char *args;
	int node, n;

	m = copy_of(dtb, size);
	m[0] ^= 0xff;
	CHECK(fdt_check(m, size) == FDT_ERR_MAGIC);
	CHECK(fdt_board_info(m, &b) == FDT_ERR_MAGIC);
	CHECK(fdt_path_offset(m, "/chosen") == FDT_ERR_MAGIC);
	free(m);

	m = copy_of(dtb, size);
	put32(m + 20, 15);
	CHECK(fdt_check(m, size) == FDT_ERR_VERSION);
	free(m);

	m = copy_of(dtb, size);
	put32(m + 4, size + 4);
	CHECK(fdt_check(m, size) == FDT_ERR_TRUNCATED);
	free(m);

	/* exactly half the bytes, so a sanitizer would catch any read past it */
	m = copy_of(dtb, size / 2);
	CHECK(fdt_check(m, size / 2) < 0);
	CHECK(fdt_check(m, 8) < 0);
	free(m);

	/* struct block that claims to extend beyond totalsize */
	m = copy_of(dtb, size);
	put32(m + 36, size);
	CHECK(fdt_check(m, size) == FDT_ERR_TRUNCATED);
	free(m);

	/* garbage token right after the root's BEGIN_NODE and empty name */
	m = copy_of(dtb, size);
	put32(m + off_struct + 8, 0xdeadbeef);
	CHECK(fdt_check(m, size) == 0);
	CHECK(fdt_board_info(m, &b) == FDT_ERR_BADSTRUCT);
	free(m);

	/* garbage where /cpus begins: the walk must stop there, not skip it */
	m = copy_of(dtb, size);
	node = fdt_path_offset(m, "/cpus");
	CHECK(node >= 0);
	put32(m + off_struct + node, 0x77777777);
	CHECK(fdt_board_info(m, &b) == FDT_ERR_BADSTRUCT);
	free(m);

	/* a struct block cut short: no END_NODE/END before its end */
	m = copy_of(dtb, size);
	put32(m + 36, size_struct / 3 & ~3u);
	CHECK(fdt_check(m, size) == 0);
	CHECK(fdt_board_info(m, &b) < 0);
	free(m);

	/* property value length running off the struct block */
	m = copy_of(dtb, size);
	node = fdt_path_offset(m, "/chosen");
	args = fdt_getprop(m, node, "bootargs", &len);
	CHECK(args != NULL);
	if (args) {
		put32((u8 *)args - 8, 0x7ffffff0);
		CHECK(fdt_board_info(m, &b) < 0);
	}
	free(m);

	/* NOP out /chosen/bootargs token by token: still valid, bootargs now "" (spec 5.4.1) */
	m = copy_of(dtb, size);
	node = fdt_path_offset(m, "/chosen");
	args = fdt_getprop(m, node, "bootargs", &len);
	if (args) {
		u8 *tok = (u8 *)args - 12;
		u32 words = 3 + (len + 3) / 4;

		for (i = 0; i < words; i++)
			put32(tok + 4 * i, 4);
		CHECK(fdt_board_info(m, &b) == 0);
		CHECK(b.ncpus == 2 && b.bootargs && !strcmp(b.bootargs, ""));

		/* slide everything before the first NOP up a word: a NOP now precedes the root */
		memmove(m + off_struct + 4, m + off_struct, tok - (m + off_struct));
		put32(m + off_struct, 4);
		CHECK(fdt_path_offset(m, "/") == 4);
		CHECK(fdt_board_info(m, &b) == 0);
		CHECK(b.ncpus == 2 && b.ram_size == 1ull << 30);
	}
	free(m);

	/* random corruption: any result is fine as long as nothing crashes or hangs */
	for (n = 0; n < 20000; n++) {
		m = copy_of(dtb, size);
		for (i = 0; i < 4; i++) {
			seed = seed * 1103515245u + 12345u;
			u32 pos = (seed >> 8) % size;
			seed = seed * 1103515245u + 12345u;
			m[pos] = (i & 1) ? (u8)(seed >> 16) : m[pos] ^ (1u << (seed >> 16 & 7));
		}
		if (fdt_check(m, size) == 0) {
			(void)fdt_board_info(m, &b);
			node = fdt_path_offset(m, "/cpus");
			for (node = fdt_first_subnode(m, node); node >= 0;
			     node = fdt_next_subnode(m, node))
				(void)fdt_getprop(m, node, "reg", &len);
		}
		free(m);
	}
}

int main(int argc, char **argv)
{
	u8 *a, *b, *alloc_a, *alloc_b;
	u32 sa, sb;

	if (argc != 3) {
		fprintf(stderr, "usage: %s <1G-2cpu.dtb> <512M-4cpu.dtb>\n", argv[0]);
		return 2;
	}
	a = load(argv[1], &sa, &alloc_a);
	b = load(argv[2], &sb, &alloc_b);

	printf("%s:\n", argv[1]);
	check_board(a, sa, 1ull << 30, 2, "hyp.vms=hvc");
	printf("%s:\n", argv[2]);
	check_board(b, sb, 512ull << 20, 4, "");
	CHECK(fdt_read_cells((const u32 *)"\x12\x34\x56\x78\x9a\xbc\xde\xf0", 2) == 0x123456789abcdef0ull);
	CHECK(fdt_read_cells((const u32 *)"\x12\x34\x56\x78", 1) == 0x12345678);
	CHECK(!strcmp(fdt_strerror(FDT_ERR_MAGIC), "bad magic"));
	check_rejects(a, sa);

	free(alloc_a);
	free(alloc_b);
	return check_done("test_fdt");
}
