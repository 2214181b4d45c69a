# host unit tests of the arch-neutral pieces, built with the host compiler.
HOSTCC		?= gcc
HOST		:= build/host
HOST_CFLAGS	:= -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
		   -Ihyp/core/include -Ihyp/arch/armv7/include -Iplatform/virt

include tests/unit/fdt.mk

UNIT_TESTS	:= test_hsr test_lpae test_traplog test_atags

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

unit: unit-fdt $(UNIT_TESTS:%=$(HOST)/%)
	@for t in $(UNIT_TESTS); do $(HOST)/$$t || exit 1; done
