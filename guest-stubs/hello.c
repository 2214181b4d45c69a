/*
 * hello: a bare-metal image for the virt board, linked at 0x40010000 as
 * qemu -kernel loads it. it reports what the boot protocol handed it (r0,
 * r1, the device tree in r2: its memory and bootargs) and powers off by
 * PSCI. it prints the same lines on bare qemu -M virt and under the
 * hypervisor.
 */
#include "fdt.h"
#include "stub.h"

extern u32 boot_r0, boot_r1, boot_r2;

int main(void)
{
	const void *dtb = (const void *)boot_r2;
	struct fdt_board b;
	u32 mode;
	int err;

	asm volatile("mrs %0, cpsr" : "=r"(mode));
	printf("hello: entered in mode %#x with r0 = %#x, r1 = %#x\n", mode & 0x1f,
	       boot_r0, boot_r1);
	err = fdt_check(dtb, 0x100000);
	if (!err)
		err = fdt_board_info(dtb, &b);
	if (err) {
		printf("hello: no device tree at r2: %s\n", fdt_strerror(err));
		return 1;
	}
	printf("hello: %llu MiB of ram at %#llx, bootargs '%s'\n", b.ram_size >> 20,
	       pa_addr(b.ram_base), b.bootargs);
	return 0;
}
