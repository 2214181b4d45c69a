/*
 * ATAG list reader. the list is what a linux boot loader hands an arm
 * kernel without a device tree (linux Documentation/arch/arm/booting.rst):
 * tags of { u32 size in words, header included; u32 tag; data }, the first
 * ATAG_CORE, the last ATAG_NONE (size 0, tag 0).
 */
#include "atags.h"

#define ATAG_CORE    0x54410001u
#define ATAG_MEM     0x54410002u /* u32 size, u32 start */
#define ATAG_CMDLINE 0x54410009u /* nul-terminated string, padded to words */

int atags_board_info(const void *atags, u32 max_size, struct fdt_board *out)
{
	const u32 *t = atags;
	u32 words = max_size / 4, i = 0, size;
	bool mem = false;

	if (!t || (uintptr_t)t % 4 || words < 2 || t[1] != ATAG_CORE || t[0] < 2)
		return ATAGS_ERR_CORE;
	out->ncpus = 0;
	out->bootargs = "";
	for (;;) {
		if (words - i < 2)
			return ATAGS_ERR_BAD;
		size = t[i];
		if (size == 0) /* ATAG_NONE; linux too stops at size 0 */
			break;
		if (size < 2 || size > words - i)
			return ATAGS_ERR_BAD;
		if (t[i + 1] == ATAG_MEM && size >= 4 && !mem) {
			out->ram_size = t[i + 2];
			out->ram_base = pa_init(t[i + 3]);
			mem = true;
		} else if (t[i + 1] == ATAG_CMDLINE) {
			const char *s = (const char *)&t[i + 2];
			u32 n = 4 * (size - 2), j = 0;

			while (j < n && s[j])
				j++;
			if (j == n)
				return ATAGS_ERR_BAD;
			out->bootargs = s;
		}
		i += size;
	}
	return mem ? 0 : ATAGS_ERR_MEM;
}

const char *atags_strerror(int err)
{
	switch (err) {
	case 0: return "ok";
	case ATAGS_ERR_CORE: return "no ATAG_CORE";
	case ATAGS_ERR_BAD: return "malformed tag";
	case ATAGS_ERR_MEM: return "no ATAG_MEM";
	default: return "unknown error";
	}
}
