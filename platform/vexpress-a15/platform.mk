# qemu -M vexpress-a15,virtualization=on (no sound card output, no network)
LOAD_ADDR	:= 0x80010000
PLAT_SRCS	:= platform/vexpress-a15/platform.c
UART		:= pl011
QEMU_MACHINE	:= -M vexpress-a15,virtualization=on -cpu cortex-a15 \
		   -audiodev none,id=snd -global pl041.audiodev=snd -nic none
# qemu makes no device tree for this board: debian's for it (tools/fetch-guest.sh)
BOARD_DTB_CMD	= tools/fetch-guest.sh && cp build/guest/pkg/usr/lib/linux-image-*/vexpress-v2p-ca15-tc1.dtb $@
# a PL031 the rtc tests' VMs own (vms/rtc.conf, vms/passthrough.conf)
PL031		:= yes
