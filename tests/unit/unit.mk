# host unit tests, built with the host compiler: the arch-neutral pieces,
# core as a whole on the fake architecture (tests/unit/fake), and armv7's
# vgic on the fake board.
HOSTCC		?= gcc
HOST		:= build/host
HOST_CFLAGS	:= -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
		   $(NEUTRAL_INC) -Ihyp/arch/armv7/include -Iplatform/virt

include tests/unit/fdt.mk

UNIT_TESTS	:= test_hsr test_lpae test_traplog test_atags test_addr

$(HOST)/test_hsr: tests/unit/test_hsr.c hyp/arch/armv7/hsr.c hyp/core/fmt.c tests/unit/check.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

$(HOST)/test_lpae: tests/unit/test_lpae.c hyp/arch/armv7/lpae.c tests/unit/check.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

# the trap log's counters as the fake architecture bumps them (arch/cpu.h)
$(HOST)/test_traplog: tests/unit/test_traplog.c hyp/core/traplog.c tests/unit/check.h \
		tests/unit/fake/board/arch/cpu.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -iquote tests/unit/fake/board -o $@ $(filter %.c,$^)

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
		  $(NEUTRAL_INC) -Ihyp/arch/armv7/include -Iplatform/virt

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

# --- core on the fake architecture (tests/unit/fake) ----------------------
# core's .c files built for the host against the fake's headers, and not
# one of hyp/arch/armv7's: that they compile and link is the first check.
# left out: consts.c (never linked), the uart drivers (the board's uart: the fake's
# is a buffer), lib.c (libc's stand-in: the host has libc). -iquote, so
# that core's sched.h is not <sched.h>; and core's sched_yield() is POSIX's
# name too, renamed here so that libc's, which the sanitizers call, stays.
FAKE_INC	:= -iquote tests/unit -iquote tests/unit/fake -iquote tests/unit/fake/board \
		   -iquote tests/unit/fake/include $(NEUTRAL:%=-iquote %/include)
FAKE_CFLAGS	:= $(filter-out -I%,$(HOST_CFLAGS)) -Dsched_yield=core_sched_yield $(FAKE_INC)
FAKE_CORE	:= $(filter-out %/consts.c $(UART_DRIVERS) %/lib.c,$(wildcard $(NEUTRAL:%=%/*.c)))
FAKE_OBJS	:= $(patsubst %.c,$(HOST)/fake/%.o,$(FAKE_CORE) tests/unit/fake/fake.c)
FAKE_TESTS	:= test_mmio test_psci test_sched test_images test_console

$(HOST)/fake/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(FAKE_CFLAGS) -MMD -c -o $@ $<

-include $(FAKE_OBJS:.o=.d) $(FAKE_TESTS:%=$(HOST)/fake/tests/unit/%.d)

$(FAKE_TESTS:%=$(HOST)/%): $(HOST)/%: $(HOST)/fake/tests/unit/%.o $(FAKE_OBJS)
	$(HOSTCC) $(FAKE_CFLAGS) -o $@ $(filter %.o,$^)

# test_images: tests/unit/images.conf through tools/mkguests.py, its
# images.S assembled and linked by the hypervisor's tools with the table at
# address 0 (tests/unit/images.ld), read back on the host a word at each
# offset consts.c exports (image_offsets.h, from consts.py)
IMG		:= $(HOST)/images
IMG_FILES	:= $(IMG)/alpha.bin $(IMG)/beta.bin $(IMG)/initrd.bin

$(IMG)/alpha.bin:
	@mkdir -p $(@D)
	yes alpha-kernel | head -c 5000 > $@
$(IMG)/beta.bin:
	@mkdir -p $(@D)
	printf 'beta' > $@
$(IMG)/initrd.bin:
	@mkdir -p $(@D)
	yes initrd | head -c 3000 > $@

$(IMG)/images.S: tests/unit/images.conf vms/guest.dts.in tools/mkguests.py $(CONSTS).py $(IMG_FILES) \
		$(BUILD)/include/plat.py
	$(PYTHON) tools/mkguests.py $< vms/guest.dts.in $(IMG) "" $(BUILD)/include/plat.py

$(IMG)/images.bin: $(IMG)/images.S tests/unit/images.ld
	$(CC) $(ARCHFLAGS) -c -o $(IMG)/images.o $<
	$(CROSS)ld -T tests/unit/images.ld -o $(IMG)/images.elf $(IMG)/images.o
	$(OBJCOPY) -O binary $(IMG)/images.elf $@

$(IMG)/image_offsets.h: $(CONSTS).py
	@mkdir -p $(@D)
	sed -n 's/^\(GUEST_IMAGE_[A-Z_]*\) = \(.*\)/#define \1 \2/p' $< > $@.tmp && mv $@.tmp $@

$(HOST)/fake/tests/unit/test_images.o: FAKE_CFLAGS += -iquote $(IMG)
$(HOST)/fake/tests/unit/test_images.o: $(IMG)/image_offsets.h
$(HOST)/test_images: $(IMG)/images.bin

UNIT_TESTS	+= $(FAKE_TESTS)

# test_vgic: armv7's vgic.c as it is, on the fake board alone (its GICH a
# host array); the test plays the hardware and what vgic.c calls
VGIC_CFLAGS	:= $(filter-out -I%,$(HOST_CFLAGS)) -Dsched_yield=core_sched_yield \
		   -iquote tests/unit -iquote tests/unit/fake/board $(NEUTRAL:%=-iquote %/include) \
		   -iquote hyp/arch/armv7/include

$(HOST)/test_vgic: tests/unit/test_vgic.c hyp/arch/armv7/vgic.c tests/unit/check.h \
		$(wildcard tests/unit/fake/board/*.h tests/unit/fake/board/arch/*.h \
			   $(NEUTRAL:%=%/include/*.h) hyp/arch/armv7/include/arch/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) $(VGIC_CFLAGS) -o $@ $(filter %.c,$^)

UNIT_TESTS	+= test_vgic

unit: unit-fdt unit-addr-swap $(UNIT_TESTS:%=$(HOST)/%)
	@for t in $(UNIT_TESTS); do $(HOST)/$$t || exit 1; done
