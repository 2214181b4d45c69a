/* host unit test for hyp/arch/armv7/lpae.c: block/page choice, splitting, overlap and allocation failure. */
#include "arch/lpae.h"
#include "check.h"

#define POOL_PAGES	16
#define POOL_PA		0x80000000ull	/* fake physical address of pool[0] */
#define GiB		(1ull << 30)
#define SZ_2M		(2ull << 20)
#define SZ_4K		4096ull

static u64 pool[POOL_PAGES][LPAE_ENTRIES] __attribute__((aligned(4096)));
static u64 root[LPAE_ENTRIES] __attribute__((aligned(4096)));
static u32 pool_used, pool_limit, bad_va;

static void *pool_alloc(void)
{
	if (pool_used >= pool_limit)
		return NULL;
	memset(pool[pool_used], 0, sizeof(pool[0]));
	return pool[pool_used++];
}

static u64 pool_pa(const void *table)
{
	const u64 *t = table;
	long i = (t - &pool[0][0]) / LPAE_ENTRIES;

	CHECK(i >= 0 && i < (long)pool_used && t == pool[i]);
	return POOL_PA + (u64)i * SZ_4K;
}

static u64 *pool_va(u64 pa)
{
	u64 i = (pa - POOL_PA) / SZ_4K;

	if (pa < POOL_PA || i >= pool_used || (pa & (SZ_4K - 1))) {
		bad_va++;
		return pool[0];
	}
	return pool[i];
}

static const struct lpae_ops ops = { pool_alloc, pool_pa, pool_va };

/* a fresh, empty root and pool; limit is how many table pages alloc may hand out */
static void reset(u32 limit)
{
	memset(root, 0, sizeof(root));
	memset(pool, 0xa5, sizeof(pool));	/* alloc must hand out zeroed pages */
	pool_used = 0;
	pool_limit = limit;
}

/* the pa va translates to through the tables, or ~0 if unmapped; checks the leaf */
static u64 translate(u64 va, u64 want_size, u64 attr)
{
	u64 size = 0, e = lpae_lookup(&ops, root, va, &size);

	if (!e)
		return ~0ull;
	CHECK_EQ(size, want_size);
	CHECK_EQ(e & ~LPAE_ADDR_MASK & ~3ull, attr);
	CHECK_EQ(e & 3, size == SZ_4K ? 3 : 1);
	CHECK_EQ(e & LPAE_ADDR_MASK & (size - 1), 0);
	return (e & LPAE_ADDR_MASK) + (va & (size - 1));
}

static bool unmapped(u64 va)
{
	u64 size = 0x1234;

	return lpae_lookup(&ops, root, va, &size) == 0;
}

static void test_1g_block(void)
{
	u64 size = 0, e;

	reset(POOL_PAGES);
	CHECK(unmapped(0x40000000));
	CHECK_EQ(lpae_map(&ops, root, 0x40000000, 0x840000000ull, GiB, S2_MEM), 0);
	CHECK_EQ(pool_used, 0);
	CHECK_EQ(root[1], 0x840000000ull | S2_MEM | LPAE_VALID);
	CHECK_EQ(root[0] | root[2] | root[3], 0);

	e = lpae_lookup(&ops, root, 0x40012345, &size);
	CHECK_EQ(size, GiB);
	CHECK_EQ(e & LPAE_ADDR_MASK, 0x840000000ull);
	CHECK_EQ(e & 3, 1);	/* block */
	CHECK_EQ(e & LPAE_AF, LPAE_AF);
	CHECK_EQ(e & (S2_HAP_R | S2_HAP_W), S2_HAP_R | S2_HAP_W);
	CHECK_EQ(e & (0xfull << 2), S2_MEMATTR_NORMAL);
	CHECK_EQ(e & (3ull << 8), LPAE_SH_INNER);
	CHECK_EQ(e & LPAE_XN, 0);
	CHECK_EQ(translate(0x40000000, GiB, S2_MEM), 0x840000000ull);
	CHECK_EQ(translate(0x7fffffff, GiB, S2_MEM), 0x87fffffffull);
	CHECK_EQ(translate(0x5a5a5a5a, GiB, S2_MEM), 0x85a5a5a5aull);
	CHECK(unmapped(0x3ffff000));
	CHECK(unmapped(0x80000000));
	CHECK(unmapped(0));

	/* four of them cover the whole 32-bit space, still without tables */
	CHECK_EQ(lpae_map(&ops, root, 0, 0, GiB, S2_DEVICE), 0);
	CHECK_EQ(lpae_map(&ops, root, 0x80000000, 0xf80000000ull, 2 * GiB, S2_MEM), 0);
	CHECK_EQ(pool_used, 0);
	CHECK_EQ(translate(0x00001000, GiB, S2_DEVICE), 0x1000);
	CHECK_EQ(translate(0xfffff000, GiB, S2_MEM), 0xffffff000ull);
	CHECK_EQ(root[4], 0);
}

static void test_2m_blocks(void)
{
	u64 va;

	reset(POOL_PAGES);
	CHECK_EQ(lpae_map(&ops, root, 0x00200000, 0x100400000ull, 2 * SZ_2M, HYP_MEM_RW), 0);
	CHECK_EQ(pool_used, 1);
	CHECK_EQ(root[0], POOL_PA | LPAE_TABLE | LPAE_VALID);
	CHECK_EQ(pool[0][0], 0);
	CHECK_EQ(pool[0][1], 0x100400000ull | HYP_MEM_RW | LPAE_VALID);
	CHECK_EQ(pool[0][2], 0x100600000ull | HYP_MEM_RW | LPAE_VALID);
	CHECK_EQ(pool[0][3], 0);
	CHECK_EQ(pool[0][1] & LPAE_XN, LPAE_XN);
	CHECK_EQ(pool[0][1] & S1_AP_1, S1_AP_1);
	CHECK_EQ(pool[0][1] & S1_AP_RO, 0);
	for (va = 0x00200000; va < 0x00600000; va += 0x7f000)
		CHECK_EQ(translate(va, SZ_2M, HYP_MEM_RW), va - 0x00200000 + 0x100400000ull);
	CHECK(unmapped(0x001ff000));
	CHECK(unmapped(0x00600000));

	/* a second range in the same GiB reuses the level-2 table */
	CHECK_EQ(lpae_map(&ops, root, 0x3fe00000, 0x3fe00000, SZ_2M, HYP_MEM_RX), 0);
	CHECK_EQ(pool_used, 1);
	CHECK_EQ(pool[0][511], 0x3fe00000ull | HYP_MEM_RX | LPAE_VALID);
	CHECK_EQ(translate(0x3fffffff, SZ_2M, HYP_MEM_RX), 0x3fffffff);
}

static void test_pages(void)
{
	u64 va, size = 0, e;

	reset(POOL_PAGES);
	CHECK_EQ(lpae_map(&ops, root, 0x1000, 0x50003000, 3 * SZ_4K, S2_MEM), 0);
	CHECK_EQ(pool_used, 2);
	CHECK_EQ(root[0], POOL_PA | 3);
	CHECK_EQ(pool[0][0], (POOL_PA + SZ_4K) | 3);
	CHECK_EQ(pool[1][0], 0);
	CHECK_EQ(pool[1][1], 0x50003000ull | S2_MEM | 3);
	CHECK_EQ(pool[1][2], 0x50004000ull | S2_MEM | 3);
	CHECK_EQ(pool[1][3], 0x50005000ull | S2_MEM | 3);
	CHECK_EQ(pool[1][4], 0);
	e = lpae_lookup(&ops, root, 0x2abc, &size);
	CHECK_EQ(size, SZ_4K);
	CHECK_EQ(e & 3, 3);
	CHECK_EQ(e & LPAE_ADDR_MASK, 0x50004000);
	CHECK(unmapped(0));
	CHECK(unmapped(0x4000));
	CHECK(unmapped(0x00200000));

	/* va 2 MiB aligned but pa not: still pages, a new level-3 table */
	CHECK_EQ(lpae_map(&ops, root, 0x00400000, 0x60001000, SZ_2M, S2_DEVICE), 0);
	CHECK_EQ(pool_used, 3);
	CHECK_EQ(pool[0][2], (POOL_PA + 2 * SZ_4K) | 3);
	for (va = 0x00400000; va < 0x00600000; va += SZ_4K)
		CHECK_EQ(translate(va, SZ_4K, S2_DEVICE), va - 0x00400000 + 0x60001000);
	CHECK(unmapped(0x00600000));

	/* pa 2 MiB aligned but va not: pages too */
	CHECK_EQ(lpae_map(&ops, root, 0x00801000, 0x00800000, SZ_2M, S2_MEM), 0);
	CHECK_EQ(pool_used, 5);
	CHECK_EQ(translate(0x00801000, SZ_4K, S2_MEM), 0x00800000);
	CHECK_EQ(translate(0x00a00fff, SZ_4K, S2_MEM), 0x009fffff);
	CHECK(unmapped(0x00800000));
	CHECK(unmapped(0x00a01000));
}

static void test_mixed(void)
{
	const u64 va0 = 0x40010000, pa0 = 0x180010000ull, len = 0x5f3000;
	u64 va;

	/* 496 pages to 0x40200000, two 2 MiB blocks to 0x40600000, then 3 pages */
	reset(POOL_PAGES);
	CHECK_EQ(lpae_map(&ops, root, va0, pa0, len, S2_MEM), 0);
	CHECK_EQ(pool_used, 3);	/* one level 2, two level 3 */
	CHECK_EQ(pool[0][1] & 3, 1);
	CHECK_EQ(pool[0][2] & 3, 1);
	CHECK_EQ(pool[0][3] & 3, 3);
	for (va = va0; va < va0 + len; va += SZ_4K) {
		u64 want = va >= 0x40200000 && va < 0x40600000 ? SZ_2M : SZ_4K;

		CHECK_EQ(translate(va, want, S2_MEM), va - va0 + pa0);
		CHECK_EQ(translate(va + 0xffc, want, S2_MEM), va + 0xffc - va0 + pa0);
	}
	for (va = 0x40000000; va < va0; va += SZ_4K)
		CHECK(unmapped(va));
	CHECK(unmapped(va0 + len));
	CHECK(unmapped(0x40800000));
	CHECK(unmapped(0x00010000));
}

static void test_overlap(void)
{
	u32 used;

	reset(POOL_PAGES);
	CHECK_EQ(lpae_map(&ops, root, 0x80000000, 0x80000000, GiB, S2_MEM), 0);
	CHECK_EQ(lpae_map(&ops, root, 0x00200000, 0x00200000, SZ_2M, S2_MEM), 0);
	CHECK_EQ(lpae_map(&ops, root, 0x00401000, 0x00401000, 2 * SZ_4K, S2_MEM), 0);
	used = pool_used;
	CHECK_EQ(used, 2);

	/* the same block or page again, a page inside a block, a block on a block */
	CHECK_EQ(lpae_map(&ops, root, 0x80000000, 0x10000000, GiB, S2_MEM), -1);
	CHECK_EQ(lpae_map(&ops, root, 0x80001000, 0x10000000, SZ_4K, S2_MEM), -1);
	CHECK_EQ(lpae_map(&ops, root, 0x80200000, 0x10000000, SZ_2M, S2_MEM), -1);
	CHECK_EQ(lpae_map(&ops, root, 0x00200000, 0x10000000, SZ_2M, S2_MEM), -1);
	CHECK_EQ(lpae_map(&ops, root, 0x00300000, 0x10000000, SZ_4K, S2_MEM), -1);
	CHECK_EQ(lpae_map(&ops, root, 0x00401000, 0x10000000, SZ_4K, S2_MEM), -1);
	CHECK_EQ(lpae_map(&ops, root, 0x00402000, 0x10000000, 2 * SZ_4K, S2_MEM), -1);
	CHECK_EQ(pool_used, used);

	/* the old mappings are untouched */
	CHECK_EQ(translate(0x80001000, GiB, S2_MEM), 0x80001000);
	CHECK_EQ(translate(0x00300000, SZ_2M, S2_MEM), 0x00300000);
	CHECK_EQ(translate(0x00401000, SZ_4K, S2_MEM), 0x00401000);
	CHECK_EQ(translate(0x00402fff, SZ_4K, S2_MEM), 0x00402fff);

	/* neighbours still map */
	CHECK_EQ(lpae_map(&ops, root, 0x00403000, 0x20000000, SZ_4K, S2_MEM), 0);
	CHECK_EQ(lpae_map(&ops, root, 0x00000000, 0x20200000, SZ_2M, S2_MEM), 0);
	CHECK_EQ(pool_used, used);
	CHECK_EQ(translate(0x00403000, SZ_4K, S2_MEM), 0x20000000);
	CHECK_EQ(translate(0x00100000, SZ_2M, S2_MEM), 0x20300000);

	/* a 1 GiB block over a GiB that has tables */
	CHECK_EQ(lpae_map(&ops, root, 0x00000000, 0x10000000, GiB, S2_MEM), -1);
	CHECK_EQ(pool_used, used);
	CHECK_EQ(translate(0x00000000, SZ_2M, S2_MEM), 0x20200000);

	/*
	 * all or nothing: a range whose overlap comes late (the page at
	 * 0x00401000, after 0x00600000 - 0x00400000 would have been free)
	 * changes no entry.
	 */
	CHECK_EQ(lpae_map(&ops, root, 0x00800000, 0x30000000, SZ_2M, S2_MEM), 0);
	used = pool_used;
	CHECK_EQ(lpae_map(&ops, root, 0x00a00000, 0x31000000, SZ_2M, S2_MEM), 0);
	CHECK_EQ(lpae_map(&ops, root, 0x00600000, 0x32000000, 0x600000, S2_MEM), -1);
	CHECK(unmapped(0x00600000));
	CHECK(unmapped(0x00700000));
	CHECK_EQ(translate(0x00800000, SZ_2M, S2_MEM), 0x30000000);
	CHECK_EQ(pool_used, used);
	/* and one that starts free and runs into a page table's pages */
	CHECK_EQ(lpae_map(&ops, root, 0x00404000, 0x33000000, 0x1000000, S2_MEM), -1);
	CHECK(unmapped(0x00404000));
	CHECK(unmapped(0x00600000));
}

static void test_no_memory(void)
{
	/* no pages at all */
	reset(0);
	CHECK_EQ(lpae_map(&ops, root, 0x1000, 0x1000, SZ_4K, S2_MEM), -1);
	CHECK_EQ(lpae_map(&ops, root, 0x00200000, 0x00200000, SZ_2M, S2_MEM), -1);
	CHECK(unmapped(0x1000));
	/* a 1 GiB block needs none */
	CHECK_EQ(lpae_map(&ops, root, 0x40000000, 0x40000000, GiB, S2_MEM), 0);

	/* enough for the level-2 table only */
	reset(1);
	CHECK_EQ(lpae_map(&ops, root, 0x1000, 0x1000, SZ_4K, S2_MEM), -1);
	CHECK_EQ(pool_used, 1);
	CHECK(unmapped(0x1000));
	/* a 2 MiB block fits with what there is */
	CHECK_EQ(lpae_map(&ops, root, 0x00200000, 0x00200000, SZ_2M, S2_MEM), 0);
	CHECK_EQ(pool_used, 1);
	/* one more page: the page maps through the table already there */
	pool_limit = 2;
	CHECK_EQ(lpae_map(&ops, root, 0x1000, 0x1000, SZ_4K, S2_MEM), 0);
	CHECK_EQ(pool_used, 2);
	CHECK_EQ(translate(0x1000, SZ_4K, S2_MEM), 0x1000);
	/* and it is gone again */
	CHECK_EQ(lpae_map(&ops, root, 0x40000000, 0x40000000, SZ_4K, S2_MEM), -1);
	CHECK_EQ(pool_used, 2);
}

int main(void)
{
	test_1g_block();
	test_2m_blocks();
	test_pages();
	test_mixed();
	test_overlap();
	test_no_memory();
	CHECK_EQ(bad_va, 0);
	return check_done("test_lpae");
}
