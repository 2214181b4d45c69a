# host unit test for hyp/core/fdt.c: dumps two qemu virt dtbs and checks what we read from them.
# run from the repo root: make -f tests/unit/fdt.mk unit-fdt (or via the top Makefile).

FDT_HOST	:= build/host
FDT_DTB1	:= $(FDT_HOST)/virt-1g-2cpu.dtb
FDT_DTB2	:= $(FDT_HOST)/virt-512m-4cpu.dtb
FDT_QEMU	?= qemu-system-arm
HOSTCC		?= gcc

.PHONY: unit-fdt

unit-fdt: $(FDT_HOST)/test_fdt $(FDT_DTB1) $(FDT_DTB2)
	$(FDT_HOST)/test_fdt $(FDT_DTB1) $(FDT_DTB2)

$(FDT_HOST)/test_fdt: tests/unit/test_fdt.c tests/unit/check.h hyp/core/fdt.c hyp/core/include/fdt.h \
		hyp/core/include/lib.h hyp/core/include/types.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -Wall -Wextra -Werror -Ihyp/core/include -o $@ \
		tests/unit/test_fdt.c hyp/core/fdt.c

# -append needs a -kernel; qemu exits right after writing the dtb, so any 4 bytes do.
$(FDT_HOST)/k.bin:
	@mkdir -p $(@D)
	printf '\0\0\0\0' > $@

$(FDT_DTB1): $(FDT_HOST)/k.bin
	$(FDT_QEMU) -M virt,virtualization=on,dumpdtb=$@ -cpu cortex-a15 -m 1G -smp 2 \
		-nographic -nic none -kernel $(FDT_HOST)/k.bin -append "hyp.vms=hvc" </dev/null

$(FDT_DTB2):
	@mkdir -p $(@D)
	$(FDT_QEMU) -M virt,virtualization=on,dumpdtb=$@ -cpu cortex-a15 -m 512M -smp 4 \
		-nographic -nic none </dev/null
