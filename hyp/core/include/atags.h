/* ATAG list reader: what qemu's boot loader hands a board with no device tree (vexpress). */
#ifndef ATAGS_H
#define ATAGS_H

#include "fdt.h"

enum {
	ATAGS_ERR_CORE = -1, /* the list does not start with ATAG_CORE */
	ATAGS_ERR_BAD = -2,  /* a tag's size runs past the end, or a command line is unterminated */
	ATAGS_ERR_MEM = -3,  /* no ATAG_MEM */
};

/*
 * fills ram_base/ram_size from the first ATAG_MEM and bootargs from
 * ATAG_CMDLINE ("" without one); ncpus is 0: ATAGs do not count cpus.
 * reads at most max_size bytes from atags.
 */
int atags_board_info(const void *atags, u32 max_size, struct fdt_board *out);
const char *atags_strerror(int err);

#endif
