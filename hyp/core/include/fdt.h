/* read-only flattened device tree (dtb) reader: enough to learn the board's ram, cpus and bootargs. */
#ifndef FDT_H
#define FDT_H

#include "types.h"
#include "addr.h"

/* errors are returned negated-as-declared: every FDT_ERR_* value is < 0. */
enum {
	FDT_ERR_MAGIC = -1,	/* header magic is not 0xd00dfeed */
	FDT_ERR_VERSION = -2,	/* version < 16 or last_comp_version > 17 */
	FDT_ERR_TRUNCATED = -3, /* blob or one of its blocks overruns the buffer */
	FDT_ERR_BADSTRUCT = -4, /* malformed structure block or property */
	FDT_ERR_NOTFOUND = -5,	/* node or property absent */
};

/*
 * node offsets are byte offsets of an FDT_BEGIN_NODE token relative to the
 * start of the structure block (so the root node is normally 0).
 *
 * call fdt_check() with the real buffer size once before anything else:
 * the other functions only trust totalsize from the header.
 */
int fdt_check(const void *fdt, u32 max_size);
const char *fdt_strerror(int err);
int fdt_path_offset(const void *fdt, const char *path);
const void *fdt_getprop(const void *fdt, int node, const char *name, u32 *len);
int fdt_first_subnode(const void *fdt, int node);
int fdt_next_subnode(const void *fdt, int node);
const char *fdt_node_name(const void *fdt, int node);
u64 fdt_read_cells(const u32 *cells_be, u32 n);

struct fdt_board {
	paddr_t ram_base;
	u64 ram_size;
	u32 ncpus;
	const char *bootargs; /* points into the blob, "" if absent */
};

int fdt_board_info(const void *fdt, struct fdt_board *out);

#endif
