/* the one page-table walker: maps ranges with the largest blocks that fit. */
#include "arch/lpae.h"

/*
 * a 32-bit input address (hyp va, or ipa with VTCR.T0SZ = 0) splits as
 *
 *   31 30 29            21 20            12 11             0
 *  +-----+----------------+----------------+----------------+
 *  | L1  |      L2        |      L3        |     offset     |
 *  +-----+----------------+----------------+----------------+
 *   1 GiB      2 MiB            4 KiB
 *
 * level 1 holds 4 live entries, levels 2 and 3 hold 512 each. levels 1 and
 * 2 may hold blocks; level 3 holds pages (bits 1:0 = 0b11).
 */
static const u32 level_shift[] = {30, 21, 12};

static u32 index_of(u64 va, u32 level)
{
	return (va >> level_shift[level]) & (LPAE_ENTRIES - 1);
}

/*
 * whether [va, va + size) has no mapping yet: walk down to the first
 * invalid entry or leaf for each address, then skip what that entry spans.
 */
static bool range_free(const struct lpae_ops *ops, const u64 *root, u64 va, u64 size)
{
	u64 end = va + size;

	while (va < end) {
		const u64 *table = root;
		u32 level;

		for (level = 0; level < 3; level++) {
			u64 e = table[index_of(va, level)];

			if (!(e & LPAE_VALID)) {
				va = ALIGN_DOWN(va, 1ull << level_shift[level]) +
				     (1ull << level_shift[level]);
				break;
			}
			if (level == 2 || !(e & LPAE_TABLE))
				return false;
			table = ops->va(e & LPAE_ADDR_MASK);
		}
	}
	return true;
}

/* all or nothing: a range that overlaps a mapping changes no entry */
int lpae_map(const struct lpae_ops *ops, u64 *root, u64 va, u64 pa, u64 size, u64 attr)
{
	if (!range_free(ops, root, va, size))
		return -1;
	while (size) {
		u64 *table = root;
		u32 level;

		for (level = 0; level < 3; level++) {
			u64 block = 1ull << level_shift[level];
			u64 *e = &table[index_of(va, level)];

			if (((va | pa) & (block - 1)) == 0 && size >= block &&
			    !(*e & LPAE_VALID && (*e & LPAE_TABLE && level < 2))) {
				if (*e & LPAE_VALID)
					return -1; /* already mapped */
				*e = (pa & LPAE_ADDR_MASK) | attr | LPAE_VALID |
				     (level == 2 ? LPAE_TABLE : 0);
				va += block;
				pa += block;
				size -= block;
				break;
			}
			if (!(*e & LPAE_VALID)) {
				u64 *next = ops->alloc();

				if (!next)
					return -1;
				*e = ops->pa(next) | LPAE_TABLE | LPAE_VALID;
			} else if (!(*e & LPAE_TABLE)) {
				return -1; /* inside a block mapping */
			}
			table = ops->va(*e & LPAE_ADDR_MASK);
		}
	}
	return 0;
}

/* [va, va + size) unmapped: its leaves (wholly inside) cleared, its tables kept */
void lpae_unmap(const struct lpae_ops *ops, u64 *root, u64 va, u64 size)
{
	for (u64 end = va + size; va < end;) {
		u64 *e, *table = root;
		u32 level;

		for (level = 0;; level++) {
			e = &table[index_of(va, level)];
			if (!(*e & LPAE_VALID) || level == 2 || !(*e & LPAE_TABLE))
				break;
			table = ops->va(*e & LPAE_ADDR_MASK);
		}
		*e = 0;
		va = ALIGN_DOWN(va, 1ull << level_shift[level]) + (1ull << level_shift[level]);
	}
}

u64 lpae_lookup(const struct lpae_ops *ops, const u64 *root, u64 va, u64 *size)
{
	const u64 *table = root;
	u32 level;

	for (level = 0; level < 3; level++) {
		u64 e = table[index_of(va, level)];

		if (!(e & LPAE_VALID))
			return 0;
		if (level == 2 || !(e & LPAE_TABLE)) {
			*size = 1ull << level_shift[level];
			return e;
		}
		table = ops->va(e & LPAE_ADDR_MASK);
	}
	return 0;
}
