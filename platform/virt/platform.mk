# qemu -M virt,virtualization=on (no network: -nic none, so no rom is needed)
LOAD_ADDR	:= 0x40010000
PLAT_SRCS	:= platform/virt/platform.c
UART		:= pl011
QEMU_MACHINE	:= -M virt,virtualization=on -cpu cortex-a15 -nic none
BOARD_DTB_CMD	= qemu-system-arm $(QEMU_MACHINE) -machine dumpdtb=$@ >/dev/null 2>&1
# a PL031 the rtc tests' VMs own (vms/rtc.conf, vms/passthrough.conf)
PL031		:= yes
