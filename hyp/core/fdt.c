/* flattened device tree reader: walks the dtb qemu hands us to find ram, cpus and bootargs. */
/* format reference: devicetree specification v0.4, chapter 5 "flattened devicetree (dtb) format". */
#include "types.h"
#include "lib.h"
#include "fdt.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP	       4u
#define FDT_END	       9u

/* header field offsets, spec 5.2 */
#define HDR_MAGIC	0
#define HDR_TOTALSIZE	4
#define HDR_OFF_STRUCT	8
#define HDR_OFF_STRINGS 12
#define HDR_VERSION	20
#define HDR_LAST_COMP	24
#define HDR_SIZE_STRS	32
#define HDR_SIZE_STRUCT 36
#define HDR_LEN_V16	36 /* size_dt_struct only exists from v17 */
#define HDR_LEN_V17	40

/* the validated view of a blob that every walk is bounded by. */
struct blob {
	const u8 *st; /* structure block */
	u32 stsize;
	const char *strs; /* strings block */
	u32 strsize;
};

static u32 hdr(const void *fdt, u32 field)
{
	return be32((const u8 *)fdt + field);
}

/* true if [off, off + size) lies inside [0, limit), without overflowing. */
static bool in_range(u32 off, u32 size, u32 limit)
{
	return off <= limit && size <= limit - off;
}

/* the header checked against max_size, and the blocks it places, into b */
static int check_header(const void *fdt, u32 max_size, struct blob *b)
{
	u32 total, ver, hlen, soff, toff;

	if (!fdt || max_size < HDR_LEN_V16)
		return FDT_ERR_TRUNCATED;
	if (hdr(fdt, HDR_MAGIC) != FDT_MAGIC)
		return FDT_ERR_MAGIC;
	ver = hdr(fdt, HDR_VERSION);
	if (ver < 16 || hdr(fdt, HDR_LAST_COMP) > 17)
		return FDT_ERR_VERSION;
	hlen = ver >= 17 ? HDR_LEN_V17 : HDR_LEN_V16;
	total = hdr(fdt, HDR_TOTALSIZE);
	/* offsets are handed out as int, so the blob must fit in one */
	if (total > max_size || total < hlen || total > 0x7fffffffu)
		return FDT_ERR_TRUNCATED;

	toff = hdr(fdt, HDR_OFF_STRUCT);
	b->stsize = ver >= 17 ? hdr(fdt, HDR_SIZE_STRUCT) : total - toff;
	soff = hdr(fdt, HDR_OFF_STRINGS);
	b->strsize = hdr(fdt, HDR_SIZE_STRS);
	/* tokens are 32-bit aligned relative to the blob (spec 5.4) */
	if (toff % 4 || toff < hlen)
		return FDT_ERR_BADSTRUCT;
	if (!in_range(toff, b->stsize, total) || !in_range(soff, b->strsize, total))
		return FDT_ERR_TRUNCATED;
	b->st = (const u8 *)fdt + toff;
	b->strs = (const char *)fdt + soff;
	return 0;
}

int fdt_check(const void *fdt, u32 max_size)
{
	struct blob b;

	return check_header(fdt, max_size, &b);
}

const char *fdt_strerror(int err)
{
	switch (err) {
	case 0: return "ok";
	case FDT_ERR_MAGIC: return "bad magic";
	case FDT_ERR_VERSION: return "unsupported version";
	case FDT_ERR_TRUNCATED: return "truncated blob";
	case FDT_ERR_BADSTRUCT: return "malformed structure block";
	case FDT_ERR_NOTFOUND: return "not found";
	default: return "unknown error";
	}
}

static int open_blob(const void *fdt, struct blob *b)
{
	return check_header(fdt, 0x7fffffffu, b);
}

/*
 * decode the token at off, returning it and the offset of the one after.
 * every token, node name and property value is checked to end inside the
 * structure block, and *next > off always, so walks cannot loop forever.
 */
static int next_token(const struct blob *b, int off, u32 *tok, int *next)
{
	u32 o = (u32)off, len, end;

	if (off < 0 || o % 4 || !in_range(o, 4, b->stsize))
		return FDT_ERR_BADSTRUCT;
	*tok = be32(b->st + o);
	switch (*tok) {
	case FDT_BEGIN_NODE:
		/* nul-terminated unit name, padded to 4 bytes (spec 5.4.1) */
		for (end = o + 4; end < b->stsize && b->st[end]; end++)
			;
		if (end >= b->stsize)
			return FDT_ERR_BADSTRUCT;
		end = ALIGN_UP(end + 1, 4u);
		break;
	case FDT_PROP:
		/* u32 len, u32 nameoff, then len bytes of value, padded */
		if (!in_range(o, 12, b->stsize))
			return FDT_ERR_BADSTRUCT;
		len = be32(b->st + o + 4);
		if (!in_range(o + 12, len, b->stsize))
			return FDT_ERR_BADSTRUCT;
		end = ALIGN_UP(o + 12 + len, 4u);
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END: end = o + 4; break;
	default: return FDT_ERR_BADSTRUCT;
	}
	if (end > b->stsize)
		return FDT_ERR_BADSTRUCT;
	*next = (int)end;
	return 0;
}

/* offset of the first token after node's BEGIN_NODE, or an error. */
static int node_body(const struct blob *b, int node)
{
	u32 tok;
	int next, err = next_token(b, node, &tok, &next);

	if (err)
		return err;
	return tok == FDT_BEGIN_NODE ? next : FDT_ERR_BADSTRUCT;
}

/*
 * from off (inside a node's body) return the offset of the next BEGIN_NODE at
 * this level; the parent's END_NODE means there is none. property tokens are
 * tolerated here although spec 5.4.1 puts them before any subnode.
 */
static int sibling_at(const struct blob *b, int off)
{
	u32 tok;
	int next, err;

	for (;;) {
		err = next_token(b, off, &tok, &next);
		if (err)
			return err;
		if (tok == FDT_BEGIN_NODE)
			return off;
		if (tok == FDT_END_NODE)
			return FDT_ERR_NOTFOUND;
		if (tok == FDT_END)
			return FDT_ERR_BADSTRUCT;
		off = next;
	}
}

int fdt_first_subnode(const void *fdt, int node)
{
	struct blob b;
	int err = open_blob(fdt, &b);

	if (err)
		return err;
	node = node_body(&b, node);
	return node < 0 ? node : sibling_at(&b, node);
}

int fdt_next_subnode(const void *fdt, int node)
{
	struct blob b;
	u32 tok;
	int depth = 0, err = open_blob(fdt, &b);

	if (err)
		return err;
	/* skip node's whole subtree by counting BEGIN/END pairs */
	do {
		err = next_token(&b, node, &tok, &node);
		if (err)
			return err;
		if (tok == FDT_BEGIN_NODE)
			depth++;
		else if (tok == FDT_END_NODE)
			depth--;
		else if (tok == FDT_END || depth == 0)
			return FDT_ERR_BADSTRUCT;
	} while (depth > 0);
	return sibling_at(&b, node);
}

const char *fdt_node_name(const void *fdt, int node)
{
	struct blob b;

	if (open_blob(fdt, &b) || node_body(&b, node) < 0)
		return NULL;
	/* next_token already proved the name is nul-terminated in bounds */
	return (const char *)b.st + node + 4;
}

/* property name at nameoff, or NULL unless nul-terminated inside the strings block. */
static const char *prop_name(const struct blob *b, u32 nameoff)
{
	u32 i;

	for (i = nameoff; i < b->strsize; i++)
		if (!b->strs[i])
			return b->strs + nameoff;
	return NULL;
}

const void *fdt_getprop(const void *fdt, int node, const char *name, u32 *len)
{
	struct blob b;
	const char *pname;
	u32 tok;
	int off, next;

	if (open_blob(fdt, &b))
		return NULL;
	off = node_body(&b, node);
	if (off < 0)
		return NULL;
	/* properties come first (spec 5.4.1): a subnode or END_NODE ends the list */
	while (!next_token(&b, off, &tok, &next)) {
		if (tok == FDT_PROP) {
			pname = prop_name(&b, be32(b.st + off + 8));
			if (pname && !strcmp(pname, name)) {
				if (len)
					*len = be32(b.st + off + 4);
				return b.st + off + 12;
			}
		} else if (tok != FDT_NOP) {
			break;
		}
		off = next;
	}
	return NULL;
}

/* "pl011" matches "pl011" or "pl011@9000000"; "pl011@1" only matches itself. */
static bool name_matches(const char *node, const char *comp, u32 clen)
{
	u32 i;

	if (strncmp(node, comp, clen))
		return false;
	if (!node[clen])
		return true;
	if (node[clen] != '@')
		return false;
	for (i = 0; i < clen; i++)
		if (comp[i] == '@')
			return false;
	return true;
}

int fdt_path_offset(const void *fdt, const char *path)
{
	struct blob b;
	const char *comp;
	const char *name;
	u32 tok, clen;
	int node = 0, next, err = open_blob(fdt, &b);

	if (err)
		return err;
	if (!path || path[0] != '/')
		return FDT_ERR_NOTFOUND;
	/* the root is the first BEGIN_NODE, possibly after NOPs (spec 5.4.2) */
	for (;;) {
		err = next_token(&b, node, &tok, &next);
		if (err)
			return err;
		if (tok == FDT_BEGIN_NODE)
			break;
		if (tok != FDT_NOP)
			return FDT_ERR_BADSTRUCT;
		node = next;
	}
	comp = path;
	for (;;) {
		while (*comp == '/')
			comp++;
		if (!*comp)
			return node;
		for (clen = 0; comp[clen] && comp[clen] != '/'; clen++)
			;
		for (node = fdt_first_subnode(fdt, node); node >= 0;
		     node = fdt_next_subnode(fdt, node)) {
			name = fdt_node_name(fdt, node);
			if (name && name_matches(name, comp, clen))
				break;
		}
		if (node < 0)
			return node;
		comp += clen;
	}
}

u64 fdt_read_cells(const u32 *cells_be, u32 n)
{
	u64 v = 0;

	/* cells are big-endian and most significant first; >2 keeps the low 64 bits */
	while (n--)
		v = v << 32 | be32(cells_be++);
	return v;
}

/* true if node has string property name equal to val (value must be nul-terminated). */
static bool prop_is(const void *fdt, int node, const char *name, const char *val)
{
	u32 len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	return p && len && !p[len - 1] && !strcmp(p, val);
}

/* a u32 property like #address-cells, or def if absent or not one cell. */
static u32 prop_u32(const void *fdt, int node, const char *name, u32 def)
{
	u32 len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	return p && len == 4 ? be32(p) : def;
}

/*
 * walk the whole structure block once: balanced nodes, sane property names,
 * and FDT_END last (spec 5.4.2). lookups treat a broken token as "absent",
 * so this is what turns corruption into an error instead of a default value.
 */
static int check_struct(const void *fdt)
{
	struct blob b;
	u32 tok;
	int off = 0, next, depth = 0, err = open_blob(fdt, &b);

	if (err)
		return err;
	do {
		err = next_token(&b, off, &tok, &next);
		if (err)
			return err;
		if (tok == FDT_BEGIN_NODE) {
			depth++;
		} else if (tok == FDT_END_NODE) {
			if (--depth < 0)
				return FDT_ERR_BADSTRUCT;
		} else if (tok == FDT_PROP) {
			if (!depth || !prop_name(&b, be32(b.st + off + 8)))
				return FDT_ERR_BADSTRUCT;
		}
		off = next;
	} while (tok != FDT_END);
	return depth ? FDT_ERR_BADSTRUCT : 0;
}

int fdt_board_info(const void *fdt, struct fdt_board *out)
{
	const char *name;
	const u32 *reg;
	u32 ac, sc, len;
	int root, node;

	node = check_struct(fdt);
	if (node < 0)
		return node;
	root = fdt_path_offset(fdt, "/");
	if (root < 0)
		return root;

	/* reg of a root child is sized by the root's cells, default 2/1 (spec 2.3.5) */
	ac = prop_u32(fdt, root, "#address-cells", 2);
	sc = prop_u32(fdt, root, "#size-cells", 1);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return FDT_ERR_BADSTRUCT;

	/* memory nodes are children of the root (spec 3.4) */
	for (node = fdt_first_subnode(fdt, root); node >= 0; node = fdt_next_subnode(fdt, node)) {
		name = fdt_node_name(fdt, node);
		if (prop_is(fdt, node, "device_type", "memory") ||
		    (name && name_matches(name, "memory", 6)))
			break;
	}
	if (node < 0)
		return node; /* no memory node, or a malformed walk */
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return FDT_ERR_NOTFOUND;
	if (len < (ac + sc) * 4)
		return FDT_ERR_BADSTRUCT;
	out->ram_base = pa_init(fdt_read_cells(reg, ac));
	out->ram_size = fdt_read_cells(reg + ac, sc);

	node = fdt_path_offset(fdt, "/cpus");
	if (node < 0)
		return node;
	out->ncpus = 0;
	for (node = fdt_first_subnode(fdt, node); node >= 0; node = fdt_next_subnode(fdt, node))
		if (prop_is(fdt, node, "device_type", "cpu"))
			out->ncpus++;
	if (node != FDT_ERR_NOTFOUND)
		return node; /* walk stopped on a malformed token */
	if (!out->ncpus)
		return FDT_ERR_NOTFOUND;

	out->bootargs = "";
	node = fdt_path_offset(fdt, "/chosen");
	if (node < 0 && node != FDT_ERR_NOTFOUND)
		return node;
	if (node >= 0) {
		name = fdt_getprop(fdt, node, "bootargs", &len);
		if (name) {
			if (!len || name[len - 1])
				return FDT_ERR_BADSTRUCT;
			out->bootargs = name;
		}
	}
	return 0;
}
