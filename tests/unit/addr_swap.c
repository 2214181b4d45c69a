/*
 * must NOT compile. make unit (tests/unit/unit.mk) checks that the compiler
 * refuses arch_stage2_map() with its ipa and pa swapped, naming the type
 * mismatch, and that the same call the right way round (-DUNSWAPPED)
 * compiles: the refusal is the address types' doing, nothing else's.
 */
#include "vm.h"

int map_swapped(struct vm *vm, ipaddr_t ipa, paddr_t pa);

int map_swapped(struct vm *vm, ipaddr_t ipa, paddr_t pa)
{
#ifdef UNSWAPPED
	return arch_stage2_map(vm, ipa, pa, 4096, S2_RAM);
#else
	return arch_stage2_map(vm, pa, ipa, 4096, S2_RAM);
#endif
}
