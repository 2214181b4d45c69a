/*
 * the fake board (tests/unit/fake): the host as a board. its devices are
 * host memory, so code that reaches them by address (vgic.c's GICH) runs
 * on the host as it is; its ram is whatever a test hands vms_create.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdint.h>

#define PLAT_NAME		"fake"
#define PLAT_CPU		"fake-cpu"
#define PLAT_MAX_CPUS		4
#define PLAT_UART_BASE		0x09000000u	/* never touched: the fake's uart is a buffer */
#define PLAT_UART_IRQ		33
#define PLAT_BOOT_DATA		0u		/* no boot: the tests never call hyp_main */

/* what a test points them at: host arrays standing for the registers */
extern unsigned int fake_gicd[0x1000 / 4], fake_gich[0x200 / 4];
extern uintptr_t fake_ram_base;			/* the VM pool's start (fake_ram) */
#define PLAT_GICD_BASE		((uintptr_t)fake_gicd)
#define PLAT_GICH_BASE		((uintptr_t)fake_gich)
#define PLAT_GICV_BASE		0x08040000u	/* only mapped, never read */
#define PLAT_RAM_BASE		fake_ram_base
/* one slot, never probed: the tests never start the board disk driver */
#define PLAT_VIRTIO_BASE	0x0a000000u
#define PLAT_VIRTIO_SLOTS	1
#define PLAT_VIRTIO_IRQ		48

#endif
