# qemu -M virt,virtualization=on
LOAD_ADDR	:= 0x40010000
GUEST_LOAD	:= 0x40010000	# where qemu -kernel puts an image, with or without us
PLAT_SRCS	:= platform/virt/platform.c
QEMU_MACHINE	:= -M virt,virtualization=on -cpu cortex-a15
