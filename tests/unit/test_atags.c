/* host unit test for hyp/core/atags.c: the list qemu -M vexpress-a15 writes, and broken ones. */
#include <string.h>
#include "atags.h"
#include "check.h"

/*
 * words qemu 7.2 wrote at 0x80000100 for -m 1G -append "hyp.vms=foo bar"
 * (read with gdb): ATAG_CORE, ATAG_MEM, ATAG_CMDLINE, ATAG_NONE.
 */
static const u32 qemu_list[] = {
	5, 0x54410001, 1, 0x1000, 0,
	4, 0x54410002, 0x40000000, 0x80000000,
	6, 0x54410009, 0x2e707968, 0x3d736d76, 0x206f6f66, 0x00726162,
	0, 0,
};

static u32 buf[64];

static int parse(u32 words, struct fdt_board *b)
{
	return atags_board_info(buf, words * 4, b);
}

int main(void)
{
	struct fdt_board b;
	u32 n = sizeof(qemu_list) / 4;

	memcpy(buf, qemu_list, sizeof(qemu_list));
	CHECK_EQ(parse(n, &b), 0);
	CHECK_EQ(pa_addr(b.ram_base), 0x80000000u);
	CHECK_EQ(b.ram_size, 0x40000000u);
	CHECK_EQ(b.ncpus, 0);
	CHECK_STR(b.bootargs, "hyp.vms=foo bar");

	/* the list cut short: its terminator, or a tag's body, lies beyond the buffer */
	CHECK_EQ(parse(n - 2, &b), ATAGS_ERR_BAD);
	CHECK_EQ(parse(12, &b), ATAGS_ERR_BAD);

	/* no command line: bootargs "" */
	buf[9] = 0, buf[10] = 0;
	CHECK_EQ(parse(n, &b), 0);
	CHECK_STR(b.bootargs, "");

	/* a command line without its nul */
	memcpy(buf, qemu_list, sizeof(qemu_list));
	buf[14] = 0x41726162;
	CHECK_EQ(parse(n, &b), ATAGS_ERR_BAD);

	/* no memory tag */
	memcpy(buf, qemu_list, sizeof(qemu_list));
	buf[6] = 0x54410003;		/* ATAG_VIDEOTEXT: skipped by its size */
	CHECK_EQ(parse(n, &b), ATAGS_ERR_MEM);

	/* a tag shorter than its header would loop forever: refused */
	memcpy(buf, qemu_list, sizeof(qemu_list));
	buf[5] = 1;
	CHECK_EQ(parse(n, &b), ATAGS_ERR_BAD);

	/* not an atag list: a device tree's magic, zeros, a misaligned pointer */
	memcpy(buf, qemu_list, sizeof(qemu_list));
	buf[1] = 0xedfe0dd0;
	CHECK_EQ(parse(n, &b), ATAGS_ERR_CORE);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(parse(n, &b), ATAGS_ERR_CORE);
	memcpy(buf, qemu_list, sizeof(qemu_list));
	CHECK_EQ(atags_board_info((const char *)buf + 2, n * 4, &b), ATAGS_ERR_CORE);
	CHECK_EQ(atags_board_info(NULL, n * 4, &b), ATAGS_ERR_CORE);
	CHECK_STR(atags_strerror(ATAGS_ERR_MEM), "no ATAG_MEM");
	return check_done("test_atags");
}
