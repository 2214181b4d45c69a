/* host unit test for hyp/core/include/addr.h: the one checked way from an ipa to a pa. */
#include "addr.h"
#include "check.h"

#define RAM_IPA		0x40000000ull
#define RAM_PA		0x48200000ull
#define RAM_SIZE	(16ull << 20)

/* ipa_to_pa_in over a 16 MiB VM at RAM_IPA, backed at RAM_PA; ~0 when refused */
static u64 xlate(u64 ipa, u64 size)
{
	paddr_t pa = pa_init(~0ull);

	if (!ipa_to_pa_in(ipa_init(ipa), size, ipa_init(RAM_IPA), pa_init(RAM_PA), RAM_SIZE, &pa)) {
		CHECK_EQ(pa_addr(pa), ~0ull);	/* untouched */
		return ~0ull;
	}
	return pa_addr(pa);
}

int main(void)
{
	static const paddr_t spa = PA_INIT(0x1000);
	static const ipaddr_t sipa = IPA_INIT(0x2000);

	/* the types carry their number and nothing else */
	CHECK_EQ(sizeof(paddr_t), 8);
	CHECK_EQ(sizeof(ipaddr_t), 8);
	CHECK_EQ(pa_addr(pa_init(0xff12345678ull)), 0xff12345678ull);
	CHECK_EQ(ipa_addr(ipa_init(0xff12345678ull)), 0xff12345678ull);
	CHECK_EQ(pa_addr(pa_add(pa_init(0x40000000), 0x1234)), 0x40001234);
	CHECK_EQ(ipa_addr(ipa_add(ipa_init(0x0c000000), 8192)), 0x0c002000);
	CHECK_EQ(pa_addr(spa), 0x1000);
	CHECK_EQ(ipa_addr(sipa), 0x2000);
	CHECK(pa_ptr(pa_of(&spa)) == &spa);

	/* arithmetic that keeps the type */
	CHECK_EQ(pa_diff(pa_init(0x48201000), pa_init(RAM_PA)), 0x1000);
	CHECK_EQ(ipa_diff(ipa_init(RAM_IPA + RAM_SIZE), ipa_init(RAM_IPA)), RAM_SIZE);
	CHECK_EQ(pa_addr(pa_align_up(pa_init(0x40000001), 2 << 20)), 0x40200000);
	CHECK_EQ(pa_addr(pa_align_up(pa_init(0x40200000), 2 << 20)), 0x40200000);
	CHECK(ipa_aligned(ipa_init(0x1230), 16) && !ipa_aligned(ipa_init(0x1232), 4));
	CHECK(ipa_aligned(ipa_init(0x1232), 2) && ipa_aligned(ipa_init(0), 4096));

	/* inside: the whole ram, its first and last byte, a page in the middle */
	CHECK_EQ(xlate(RAM_IPA, RAM_SIZE), RAM_PA);
	CHECK_EQ(xlate(RAM_IPA, 1), RAM_PA);
	CHECK_EQ(xlate(RAM_IPA + RAM_SIZE - 1, 1), RAM_PA + RAM_SIZE - 1);
	CHECK_EQ(xlate(RAM_IPA + 0x10000, 4096), RAM_PA + 0x10000);
	CHECK_EQ(xlate(RAM_IPA + 0x10000, 0), RAM_PA + 0x10000);

	/* outside, or hanging over an edge */
	CHECK_EQ(xlate(RAM_IPA - 1, 1), ~0ull);
	CHECK_EQ(xlate(RAM_IPA - 1, 2), ~0ull);
	CHECK_EQ(xlate(0, 4096), ~0ull);
	CHECK_EQ(xlate(RAM_IPA + RAM_SIZE, 0), ~0ull);
	CHECK_EQ(xlate(RAM_IPA + RAM_SIZE, 1), ~0ull);
	CHECK_EQ(xlate(RAM_IPA + RAM_SIZE - 1, 2), ~0ull);
	CHECK_EQ(xlate(RAM_IPA, RAM_SIZE + 1), ~0ull);

	/* sums that would wrap: an ipa + size past 2^64 lands nowhere */
	CHECK_EQ(xlate(RAM_IPA + 0x1000, ~0ull), ~0ull);
	CHECK_EQ(xlate(RAM_IPA + 0x1000, ~0ull - 0xfff), ~0ull);
	CHECK_EQ(xlate(~0ull, 2), ~0ull);
	CHECK_EQ(xlate(~0ull - RAM_IPA, RAM_IPA + 2), ~0ull);
	return check_done("test_addr");
}
