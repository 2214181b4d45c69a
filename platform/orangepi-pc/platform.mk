# qemu -M orangepi-pc (allwinner h3). qemu takes 1 GiB and 4 cortex-a7s only: the
# manifest's cpu count goes by hyp.cpus= (QEMU_CPUS). a raw image is entered in hyp,
# qemu's psci answering smc as on virt, so virt's platform.c serves. no virtio-mmio
# slots: no board disk, no uplink (VIRTIO). the h3's emac always exists:
# -nic user,restrict=on gives it a closed network (-nic none leaves qemu warning)
LOAD_ADDR	:= 0x40010000
PLAT_SRCS	:= platform/orangepi-pc/platform.c
UART		:= ns16550
QEMU_CPUS	:= 4
VIRTIO		:= no
QEMU_MACHINE	:= -M orangepi-pc -cpu cortex-a7 -nic user,restrict=on
# qemu makes no device tree for this board (dumpdtb: none): debian's for it, the same
# map (tools/fetch-guest.sh). no PL031: vms/rtc.conf and passthrough.conf are not built here
BOARD_DTB_CMD	= tools/fetch-guest.sh && cp build/guest/pkg/usr/lib/linux-image-*/sun8i-h3-orangepi-pc.dtb $@
