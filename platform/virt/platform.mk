# qemu -M virt,virtualization=on
LOAD_ADDR	:= 0x40010000
PLAT_SRCS	:= platform/virt/platform.c
QEMU_MACHINE	:= -M virt,virtualization=on -cpu cortex-a15
