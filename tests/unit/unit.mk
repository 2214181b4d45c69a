# host unit tests of the arch-neutral pieces, built with the host compiler.
HOSTCC		?= gcc
HOST		:= build/host
HOST_CFLAGS	:= -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
		   -Ihyp/core/include -Ihyp/arch/armv7/include -Iplatform/virt

include tests/unit/fdt.mk

UNIT_TESTS	:= test_hsr test_lpae test_traplog test_atags test_addr

$(HOST)/test_hsr: tests/unit/test_hsr.c hyp/arch/armv7/hsr.c hyp/core/fmt.c tests/unit/check.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

$(HOST)/test_lpae: tests/unit/test_lpae.c hyp/arch/armv7/lpae.c tests/unit/check.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

$(HOST)/test_traplog: tests/unit/test_traplog.c hyp/core/traplog.c tests/unit/check.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

$(HOST)/test_atags: tests/unit/test_atags.c hyp/core/atags.c hyp/core/include/atags.h tests/unit/check.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

$(HOST)/test_addr: tests/unit/test_addr.c hyp/core/include/addr.h tests/unit/check.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

# typed addresses: arch_stage2_map() with its ipa and pa swapped must not
# compile, and be refused for the types (the errors name them), while the
# same call the right way round compiles (tests/unit/addr_swap.c). the
# hypervisor's own compiler and flags, only the syntax checked.
SWAP_CC		= $(CC) $(ARCHFLAGS) $(WARN) -std=gnu11 -ffreestanding -fsyntax-only \
		  -Ihyp/core/include -Ihyp/arch/armv7/include -Iplatform/virt

.PHONY: unit-addr-swap
unit-addr-swap:
	@mkdir -p $(HOST)
	@$(SWAP_CC) -DUNSWAPPED tests/unit/addr_swap.c || \
		{ echo "addr_swap: the call the right way round does not compile"; exit 1; }
	@if LC_ALL=C $(SWAP_CC) tests/unit/addr_swap.c 2> $(HOST)/addr_swap.err; then \
		echo "addr_swap: a swapped ipa and pa compiled: paddr_t and ipaddr_t mix"; exit 1; fi
	@grep -q "incompatible type for argument 2 of .arch_stage2_map." $(HOST)/addr_swap.err && \
	 grep -q "expected .ipaddr_t. but argument is of type .paddr_t." $(HOST)/addr_swap.err && \
	 grep -q "expected .paddr_t. but argument is of type .ipaddr_t." $(HOST)/addr_swap.err || \
		{ cat $(HOST)/addr_swap.err; echo "addr_swap: refused, but not for the address types"; \
		  exit 1; }
	@echo "addr_swap: arch_stage2_map with ipa and pa swapped: refused, type mismatch"

unit: unit-fdt unit-addr-swap $(UNIT_TESTS:%=$(HOST)/%)
	@for t in $(UNIT_TESTS); do $(HOST)/$$t || exit 1; done
