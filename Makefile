# armv7 type-1 hypervisor: build, run, test, debug. `make help` prints this list.
#   make              build build/$(PLATFORM)/$(CFG)/hyp.bin (PLATFORM=virt, vexpress-a15 or orangepi-pc)
#   make run          boot the default manifest's guests in qemu (CONFIG=, VMS=a,b), with
#                     the board's disk, disks/board.img: made once, kept (DISK=), and
#                     its network card: http://127.0.0.1:8080/ is linux0's (HTTP_PORT=)
#   make test         unit tests, then every test in qemu on each board (PLATFORMS=virt: one)
#   make unit         only the host unit tests
#   make format-check the hypervisor's C against .clang-format (make test runs it); make format fixes
#   make check-seam   core, vdev and drivers reach arch only through the contract (docs/seam.md)
#   make check-fresh  make test in a clean Debian 12 root (mmdebstrap, chroot), as a new machine
#   make setup        install and check the Debian packages everything needs
#   make debug        qemu halted with its gdbstub on :1234
#   make gdb          gdb-multiarch attached, with the hyp commands
#   make bench-traps  instructions per trap round trip, under -icount (bench/traps.md)
#   make bench-boot   instructions from the hypervisor's start to its first guest's,
#                     per VM and per MiB of ram, under -icount (bench/boot.md)
#   make bench-linux  the debian guest's boot on bare qemu, under the hypervisor and
#                     under xen 4.17 (bench/linux.md; PAIRS=5 rounds)
#   make bench-sched  vm-to-vm switch cost and time-slice fairness, under -icount
#   make bench-fuzz   every fuzzer for a million operations or more (bench/fuzz.md)
#   make bench-attack the attacking suite beside a victim: its worst tick, its CPU share,
#                     the worst trap by class, under -icount (bench/attack.md)
#   make bench-blk    the guest's disk (dd) against bare qemu and a disk passed through
#                     to an identity VM, the console's exits on hvc0 against the PL011
#                     (bench/blk.md)
#   make bench-net    tcp throughput vm to vm, vm to host, host to vm (iperf3) and
#                     ping latency, against bare qemu (bench/net.md; ROUNDS=3)
#   make bench        the seed's benchmark table: five workloads natively, on bare
#                     qemu, in one and two guests (bench/results/)
#   make bench-quick  the same harness with tiny inputs (build/bench/quick/), in make test
#                     every bench runs the hypervisor on PLATFORM's board (bare qemu and
#                     xen on virt): bench/NAME-BOARD.md but on virt
#   make clean        remove build/ (disks/ stays)

PLATFORM	?= virt
BUILD		:= build/$(PLATFORM)
CROSS		?= arm-none-eabi-
CC		:= $(CROSS)gcc
OBJCOPY		:= $(CROSS)objcopy
OBJDUMP		:= $(CROSS)objdump
NM		:= $(CROSS)nm
PYTHON		:= /usr/bin/python3
VERSION		:= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

include platform/$(PLATFORM)/platform.mk
# the VM manifest: which guests hyp.bin carries. the guests see the same
# board on every host board (hyp/core/include/guest_board.h, vms/guest.dts.in)
CONFIG		?= vms/default.conf
CFG		:= $(basename $(notdir $(CONFIG)))
OUT		:= $(BUILD)/$(CFG)
BOARD_MEM	:= $(shell sed -n 's/^board memory=\([^ ]*\) cpus=.*/\1/p' $(CONFIG))
BOARD_CPUS	:= $(shell sed -n 's/^board memory=[^ ]* cpus=\([0-9]*\).*/\1/p' $(CONFIG))

# armv7ve = armv7-a with the virtualization, lpae and divide extensions
# (cortex-a15). tuned as for cortex-a7: the a15 tuning turns push/pop into
# ldrd/strd pairs, 8 more instructions on every trap. soft float: the
# hypervisor never touches the guests' vfp registers except to switch them.
ARCHFLAGS	:= -march=armv7ve -mtune=cortex-a7 -marm -mfloat-abi=soft -mno-unaligned-access
WARN		:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wpointer-arith -Wundef -Wvla
CFLAGS		:= $(ARCHFLAGS) $(WARN) -std=gnu11 -O2 -g -ffreestanding \
		   -fno-common -fno-pie -fno-stack-protector -MD
# the arch-neutral hypervisor by role: core, the devices guests see (vdev),
# the drivers of the board's own devices (drivers)
NEUTRAL		:= hyp/core hyp/vdev hyp/drivers
NEUTRAL_INC	:= $(NEUTRAL:%=-I%/include)
HYP_INC		:= $(NEUTRAL_INC) -Ihyp/arch/armv7/include \
		   -Iplatform/$(PLATFORM) -I$(BUILD)/include
LDFLAGS		:= -nostdlib -static -Wl,--build-id=none -Wl,-z,noexecstack

# the board's uart is the one driver of these that platform.mk names (UART :=)
UART_DRIVERS	:= hyp/drivers/pl011.c hyp/drivers/ns16550.c
HYP_SRCS	:= $(filter-out %/consts.c $(UART_DRIVERS),$(wildcard $(NEUTRAL:%=%/*.c))) \
		   hyp/drivers/$(UART).c \
		   $(filter-out %/asm_defs.c,$(wildcard hyp/arch/armv7/*.c)) \
		   $(wildcard hyp/arch/armv7/*.S) $(PLAT_SRCS)
HYP_OBJS	:= $(patsubst %,$(BUILD)/%.o,$(HYP_SRCS))

STUB_NAMES	:= $(basename $(notdir $(wildcard guest-stubs/*.c)))
STUB_LIB	:= guest-stubs/lib/start.S guest-stubs/lib/stub.c hyp/core/fmt.c hyp/core/lib.c \
		   hyp/core/fdt.c
STUB_BINS	:= $(STUB_NAMES:%=build/stubs/%.bin)

QEMU		:= qemu-system-arm $(QEMU_MACHINE) -m $(BOARD_MEM) -nographic \
		   -semihosting-config enable=on,target=native
SMP		?= $(BOARD_CPUS)
# a board whose qemu takes one cpu count only (platform.mk's QEMU_CPUS) gets
# that, and the hypervisor runs on $(SMP) of them (hyp.cpus=)
SMP_ARGS	:= -smp $(or $(QEMU_CPUS),$(SMP))
RUN_BOOTARGS	:= $(strip $(if $(VMS),hyp.vms=$(VMS)) $(if $(QEMU_CPUS),hyp.cpus=$(SMP)))
RUN_APPEND	:= $(if $(RUN_BOOTARGS),-append "$(RUN_BOOTARGS)")

# the board's disk, which VMs with "disk = SIZE" get ranges of: made by
# tools/mkdisk.py when missing, never written by a build step (it holds what the
# guests saved), kept by make clean. QEMU 7.2 offers virtio-mmio version 2 only
# when asked.
DISK		?= disks/board.img
HAS_DISK	:= $(shell grep -qE '^[[:space:]]+disk[[:space:]]*=' $(CONFIG) && echo yes)
DISK_QEMU	:= -drive file=$(DISK),if=none,format=raw,id=disk \
		   -device virtio-blk-device,drive=disk -global virtio-mmio.force-legacy=false
DISK_ARGS	:= $(if $(HAS_DISK),$(DISK_QEMU))

# the board's network card, the uplink of the hypervisor's switch, when a VM has
# "net = yes": qemu's user network, closed to the outside (restrict=on), with
# 127.0.0.1:$(HTTP_PORT) on the host forwarded to port 80 of the first address
# its dhcp server gives (10.0.2.15: linux0's). after the disk's -device, so the
# disk stays in the last virtio-mmio slot
HTTP_PORT	?= 8080
HAS_NET		:= $(shell grep -qE '^[[:space:]]+net[[:space:]]*=[[:space:]]*yes' $(CONFIG) && echo yes)
NET_QEMU	:= -netdev user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:$(HTTP_PORT)-:80 \
		   -device virtio-net-device,netdev=net0 \
		   $(if $(HAS_DISK),,-global virtio-mmio.force-legacy=false)
NET_ARGS	:= $(if $(HAS_NET),$(NET_QEMU))
# a board without virtio-mmio slots (platform.mk: VIRTIO := no) has neither
ifeq ($(VIRTIO),no)
HAS_DISK	:=
DISK_ARGS	:=
NET_ARGS	:=
endif

.SECONDARY:		# keep the stubs' .elf files, for gdb
.PHONY: FORCE all help setup check-fresh check-seam format-check format run debug disk gdb test unit test-qemu bench-traps \
	bench-boot bench-linux bench-sched bench-fuzz bench-attack bench-blk bench-net bench bench-quick clean
all: $(OUT)/hyp.bin $(OUT)/hyp.dis $(OUT)/hyp.sym $(if $(filter default,$(CFG)),$(BUILD)/hyp.bin)

help:
	@sed -n 's/^#   make /make /p; s/^#   \(  \)/\1/p' Makefile

setup:
	@tools/setup.sh

# formatting is mechanical: .clang-format (clang-format 14, Debian 12's)
FORMAT_SRCS	= $(shell find hyp platform -name '*.[ch]')
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRCS)

format:
	clang-format -i $(FORMAT_SRCS)

# the seam (docs/seam.md): no arch header or arch layout in neutral code, and
# every arch_ function neutral code calls declared in a contract block
check-seam:
	$(PYTHON) tools/check_seam.py

# the README's promise checked on a new machine: a clean root, a clone, make test
check-fresh:
	tools/check-fresh.sh

# --- numbers shared with python and make ------------------------------------
# hyp/core/consts.c, compiled to assembly, holds "->NAME value" lines taken
# from the C headers; sed turns them into build/include/consts.py (read by
# tools/mkguests.py, tools/traplog.py and the tests) and consts.mk (read
# here). one copy for both boards: the guests' board and the trap log are
# the same on each. -MD lists the headers it reads, in consts.d.
CONSTS		:= build/include/consts
CONSTS_LINE	:= ^->\([A-Z0-9_]*\) \(-\{0,1\}[0-9]*\)$$

$(CONSTS).s: hyp/core/consts.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MF $(CONSTS).d -MT $@ $(NEUTRAL_INC) -Ihyp/arch/armv7/include \
		-S -o $@.tmp $<
	@if grep -e '^->' $@.tmp | grep -v -e '$(CONSTS_LINE)'; then \
		echo "$<: the lines above are not NAME value"; exit 1; fi
	mv $@.tmp $@

$(CONSTS).py: $(CONSTS).s
	(echo '# generated from hyp/core/consts.c by the Makefile: do not edit'; \
	 sed -n 's/$(CONSTS_LINE)/\1 = \2/p' $<) > $@.tmp && mv $@.tmp $@

$(CONSTS).mk: $(CONSTS).s
	(echo '# generated from hyp/core/consts.c by the Makefile: do not edit'; \
	 sed -n 's/$(CONSTS_LINE)/\1 := \2/p' $<) > $@.tmp && mv $@.tmp $@

-include $(CONSTS).d
# read only by the goals that build with it: the others build nothing with
# it, or hand over to `make setup` and a sub-make (the compiler may not be
# installed yet when they start)
ifneq ($(filter-out help setup check-fresh check-seam format-check format clean run debug gdb test unit bench%,$(or $(MAKECMDGOALS),all)),)
include $(CONSTS).mk
endif
# the stubs' link address: where qemu -kernel puts an image on virt
GUEST_LOAD	= $(GUEST_KERNEL_IPA)

# --- the hypervisor --------------------------------------------------------
$(BUILD)/include/asm_defs.h: hyp/arch/armv7/asm_defs.c $(wildcard hyp/*/include/*.h hyp/arch/armv7/include/arch/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HYP_INC) -S -o $(BUILD)/asm_defs.s $<
	sed -n 's/^[[:space:]]*->\([A-Z0-9_]*\) #\?\([0-9-]*\).*/#define \1 \2/p' \
		$(BUILD)/asm_defs.s > $@.tmp && mv $@.tmp $@

# rewritten only when `git describe` changes, so the banner's version is honest
$(BUILD)/include/version.h: FORCE
	@mkdir -p $(@D)
	@echo '#define HYP_VERSION "$(VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(BUILD)/hyp/core/main.c.o: $(BUILD)/include/version.h

$(BUILD)/%.c.o: %.c $(BUILD)/include/asm_defs.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HYP_INC) -c -o $@ $<

$(BUILD)/%.S.o: %.S $(BUILD)/include/asm_defs.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HYP_INC) -D__ASSEMBLER__ -c -o $@ $<

# the VMs of $(CONFIG): kernels, initrds, device trees and their table. a VM given
# devices of the board (docs/passthrough.md) needs the board's device tree
# (BOARD_DTB_CMD, platform.mk) and platform.h's numbers (plat.py)
GUEST_FILES	:= $(filter build/%,$(shell sed -n 's/^ *\(kernel\|initrd\) *= *//p' $(CONFIG)))
HAS_PT		:= $(shell grep -qE '^[[:space:]]+(passthrough|forward|mmio)[[:space:]]*=' $(CONFIG) && echo yes)
$(BUILD)/board.dtb: platform/$(PLATFORM)/platform.mk
	@mkdir -p $(@D)
	$(BOARD_DTB_CMD)

$(BUILD)/include/plat.py: platform/$(PLATFORM)/platform.h
	@mkdir -p $(@D)
	$(CC) -dM -E $< | sed -n 's/^#define \(PLAT_[A-Z0-9_]*\) \([0-9a-fx]*\)u\{0,1\}$$/\1 = \2/p' > $@

$(OUT)/images.S: $(CONFIG) vms/guest.dts.in tools/mkguests.py tools/boardtree.py $(CONSTS).py \
		$(GUEST_FILES) $(BUILD)/include/plat.py $(if $(HAS_PT),$(BUILD)/board.dtb)
	@mkdir -p $(@D)
	$(PYTHON) tools/mkguests.py $(CONFIG) vms/guest.dts.in $(OUT)/guests $(BUILD)/board.dtb \
		$(BUILD)/include/plat.py
	mv $(OUT)/guests/images.S $@

# the debian guest: kernel and initramfs from debian's armhf packages, cached
build/guest/zImage build/guest/initramfs.cpio.gz build/guest/rootfs/init &: tools/fetch-guest.sh
	tools/fetch-guest.sh

# hypstat, the guest's view of the trap log, added to the initramfs
GUEST_CC	:= arm-linux-gnueabihf-gcc
build/guest/hypstat: guest-tools/hypstat.c hyp/core/include/traplog.h hyp/core/include/types.h
	@mkdir -p $(@D)
	$(GUEST_CC) -static -O2 $(WARN) -std=gnu11 -Ihyp/core/include -o $@ $<

# hypctl, the control VM's tool (docs/control.md), beside it
build/guest/hypctl: guest-tools/hypctl.c hyp/core/include/hypercall.h hyp/core/include/traplog.h \
		hyp/core/include/guest_board.h hyp/core/include/types.h
	@mkdir -p $(@D)
	$(GUEST_CC) -static -O2 $(WARN) -std=gnu11 -Ihyp/core/include -o $@ $<

build/guest/hypstat.cpio.gz: build/guest/hypstat build/guest/hypctl tools/mkcpio.py
	$(PYTHON) tools/mkcpio.py $@ bin/hypstat=build/guest/hypstat bin/hypctl=build/guest/hypctl

build/guest/initramfs-hyp.cpio.gz: build/guest/initramfs.cpio.gz build/guest/hypstat.cpio.gz
	cat build/guest/initramfs.cpio.gz build/guest/hypstat.cpio.gz > $@

# the bench guests' initramfs: that one, the programs of tools/fetch-bench.sh,
# the inputs and the runner of tools/mkbench.py
build/bench/root/.done: tools/fetch-bench.sh
	tools/fetch-bench.sh

build/bench/initramfs-bench.cpio.gz: build/guest/initramfs.cpio.gz build/guest/hypstat.cpio.gz \
		build/bench/root/.done tools/mkbench.py tools/mkcpio.py tools/bench_workloads.sh
	$(PYTHON) tools/mkbench.py $@

# make bench-net's guests: that initramfs and hypstat, with iperf3 and its libraries
build/bench/net-root/.done: tools/fetch-bench.sh
	tools/fetch-bench.sh net

build/bench/initramfs-net.cpio.gz: build/guest/initramfs.cpio.gz build/guest/hypstat.cpio.gz \
		build/bench/net-root/.done tools/mkcpio.py
	$(PYTHON) tools/mkcpio.py $@.iperf $$(cd build/bench/net-root && find * -type f | \
		sed 's|.*|&=build/bench/net-root/&|')
	cat build/guest/initramfs.cpio.gz build/guest/hypstat.cpio.gz $@.iperf > $@.tmp
	rm $@.iperf && mv $@.tmp $@

$(OUT)/images.S.o: $(OUT)/images.S
	$(CC) $(CFLAGS) -c -o $@ $<

$(OUT)/hyp.elf: $(HYP_OBJS) $(OUT)/images.S.o linker/hyp.ld
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,--defsym=LOAD_ADDR=$(LOAD_ADDR) \
		-T linker/hyp.ld -o $@ $(HYP_OBJS) $(OUT)/images.S.o -lgcc

$(OUT)/hyp.bin: $(OUT)/hyp.elf
	$(OBJCOPY) -O binary $< $@

# the board's image with the default manifest, where the design card looks
$(BUILD)/hyp.bin: $(BUILD)/default/hyp.bin
	cp $< $@

$(OUT)/hyp.dis: $(OUT)/hyp.elf
	$(OBJDUMP) -d $< > $@

$(OUT)/hyp.sym: $(OUT)/hyp.elf
	$(NM) -n $< > $@

# --- guest stubs: built once, for the guests' board, whatever the host's ----
STUB_CFLAGS	:= $(ARCHFLAGS) $(WARN) -std=gnu11 -O2 -g -ffreestanding -fno-common \
		   -fno-pie -fno-stack-protector -Iguest-stubs/lib -Ihyp/core/include -Ihyp/vdev/include

build/stubs/%.elf: guest-stubs/%.c $(STUB_LIB) guest-stubs/lib/stub.h $(wildcard hyp/core/include/*.h hyp/vdev/include/*.h) \
		linker/stub.ld $(CONSTS).mk
	@mkdir -p $(@D)
	$(CC) $(STUB_CFLAGS) $(LDFLAGS) -Wl,--defsym=GUEST_LOAD=$(GUEST_LOAD) \
		-T linker/stub.ld -o $@ $(STUB_LIB) $< -lgcc

build/stubs/%.bin: build/stubs/%.elf
	$(OBJCOPY) -O binary $< $@

# --- running ---------------------------------------------------------------
run: setup
	$(MAKE) all $(if $(HAS_DISK),disk)
	$(QEMU) $(SMP_ARGS) -kernel $(OUT)/hyp.bin $(RUN_APPEND) $(DISK_ARGS) $(NET_ARGS)

debug: setup
	$(MAKE) all $(if $(HAS_DISK),disk)
	$(QEMU) $(SMP_ARGS) -kernel $(OUT)/hyp.bin $(RUN_APPEND) $(DISK_ARGS) $(NET_ARGS) -s -S

# checks it is big enough for $(CONFIG)'s disks; makes it only if it is missing
disk: build/guest/rootfs/init build/guest/hypstat build/guest/hypctl
	$(PYTHON) tools/mkdisk.py $(CONFIG) $(DISK) build/guest/rootfs bin/hypstat=build/guest/hypstat \
		bin/hypctl=build/guest/hypctl

gdb: setup
	$(MAKE) all
	gdb-multiarch -q -x tools/gdb/hyp.gdb $(OUT)/hyp.elf

# --- tests -----------------------------------------------------------------
include tests/unit/unit.mk

# setup first, alone: the compilers may not be there yet. the tests boot the
# test manifest's guests, the three shipped manifests, passthrough.conf's and bench.conf's guests
# (tests/test_bench.py runs make bench-quick's harness), on each board (passthrough.conf's
# and rtc.conf's on boards with a PL031: platform.mk's PL031 := yes); and
# vms/board-BOARD.conf and board-BOARD-*.conf on its board: VMs given devices only
# that board has.
TEST_CONFIGS	:= test default shared smp bench passthrough rtc
PLATFORMS	?= virt vexpress-a15 orangepi-pc	# make test PLATFORMS=virt: one board only
test: setup
	$(MAKE) format-check
	$(MAKE) check-seam
	for p in $(PLATFORMS); do for c in $(TEST_CONFIGS) \
		$$(cd vms && ls board-$$p.conf board-$$p-*.conf 2>/dev/null | sed 's/\.conf$$//'); do \
		if [ $$c = passthrough -o $$c = rtc ] && ! grep -q '^PL031.*yes' platform/$$p/platform.mk; \
		then continue; fi; \
		$(MAKE) all PLATFORM=$$p CONFIG=vms/$$c.conf || exit 1; done; done
	$(MAKE) unit
	$(MAKE) test-qemu

# every board runs, whatever the one before gave: a failure on one hides none on the next
test-qemu:
	rc=0; for p in $(PLATFORMS); do echo "== $$p"; \
		PLATFORM=$$p $(PYTHON) -m pytest -q tests || rc=1; done; exit $$rc

# bench-linux's third column: xen 4.17 from debian's armhf package, cached
build/xen/xen-4.17-armhf: tools/fetch-xen.sh
	tools/fetch-xen.sh

# the benchmarks run on PLATFORM's board, through tools/harness.py (bare QEMU, where a
# benchmark compares with it, on virt: the guests' board). virt's figures go to
# bench/NAME.md, another board's to bench/NAME-BOARD.md (bench/README.md).
BENCH_MD	= bench/$(1)$(if $(filter-out virt,$(PLATFORM)),-$(PLATFORM)).md
BENCH_DIR	= $(1)$(if $(filter-out virt,$(PLATFORM)),-$(PLATFORM))
BENCH_PY	:= PLATFORM=$(PLATFORM) $(PYTHON)
BENCH_ALL	:= $(MAKE) all PLATFORM=$(PLATFORM)

# bench-linux: PAIRS=n rounds of bare qemu, hypervisor, xen (5 if not given)
bench-linux: setup
	$(BENCH_ALL) CONFIG=vms/linux-bench.conf
	$(BENCH_ALL) CONFIG=vms/test.conf
	$(MAKE) build/xen/xen-4.17-armhf
	$(BENCH_PY) tools/bench_linux.py $(call BENCH_MD,linux) $(PAIRS)

bench-sched: setup
	$(BENCH_ALL) CONFIG=vms/test.conf
	$(BENCH_PY) tools/bench_sched.py $(BUILD)/test/hyp.bin $(call BENCH_MD,sched)

bench-traps: setup
	$(BENCH_ALL) CONFIG=vms/test.conf
	$(BENCH_PY) tools/bench_traps.py $(BUILD)/test/hyp.bin $(call BENCH_MD,traps)

bench-boot: setup
	$(BENCH_ALL) CONFIG=vms/test.conf
	$(BENCH_PY) tools/bench_boot.py $(BUILD)/test/hyp.bin $(call BENCH_MD,boot)

bench-fuzz: setup
	$(BENCH_ALL) CONFIG=vms/fuzz.conf
	$(BENCH_PY) tools/bench_fuzz.py $(BUILD)/fuzz/hyp.bin $(call BENCH_MD,fuzz)

bench-attack: setup
	$(BENCH_ALL) CONFIG=vms/test.conf
	$(BENCH_PY) tools/bench_attack.py $(BUILD)/test/hyp.bin $(call BENCH_MD,attack)

bench-blk: setup
	$(BENCH_ALL) CONFIG=vms/test.conf
	$(if $(filter virt,$(PLATFORM)),$(BENCH_ALL) CONFIG=vms/board-virt.conf)
	$(BENCH_PY) tools/bench_blk.py $(call BENCH_MD,blk)

# bench-net: ROUNDS=n interleaved rounds of bare qemu and the hypervisor (3 if not given)
bench-net: setup
	$(BENCH_ALL) CONFIG=vms/net-bench.conf
	$(BENCH_PY) tools/bench_net.py $(call BENCH_MD,net) $(ROUNDS)

# bench.conf's hyp.bin carries the bench initramfs; the Local column runs the
# same programs natively (tools/setup.sh installs their amd64 builds)
bench: setup
	$(BENCH_ALL) CONFIG=vms/bench.conf
	$(BENCH_PY) tools/bench_mibench.py full $(call BENCH_DIR,bench/results)

bench-quick: setup
	$(BENCH_ALL) CONFIG=vms/bench.conf
	$(BENCH_PY) tools/bench_mibench.py quick $(call BENCH_DIR,build/bench/quick)

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
