/* device register access for the hypervisor, and emulated mmio for guests. */
#ifndef MMIO_H
#define MMIO_H

#include "types.h"
#include "addr.h"
#include "guest_board.h"

static inline u32 mmio_read32(uintptr_t a)
{
	return *(volatile u32 *)a;
}

static inline void mmio_write32(uintptr_t a, u32 v)
{
	*(volatile u32 *)a = v;
}

static inline void mmio_write8(uintptr_t a, u8 v)
{
	*(volatile u8 *)a = v;
}

static inline u32 mmio_read16(uintptr_t a)
{
	return *(volatile u16 *)a;
}

static inline u32 mmio_read8(uintptr_t a)
{
	return *(volatile u8 *)a;
}

static inline void mmio_write16(uintptr_t a, u16 v)
{
	*(volatile u16 *)a = v;
}

struct vcpu;
struct vm;

/*
 * an emulated device: dev is its state, handed back to read and write with
 * each access; they return false to have the access aborted. the vcpu
 * making the access comes last: few devices look at it, and the fifth
 * argument travels on the stack.
 */
struct mmio_dev {
	const char *name;
	ipaddr_t base;
	u32 size;
	bool (*read)(void *dev, u32 off, u32 width, u32 *val, struct vcpu *vcpu);
	bool (*write)(void *dev, u32 off, u32 width, u32 val, struct vcpu *vcpu);
	void *dev;
};

/*
 * one guest load or store, decoded from a data abort syndrome into a word
 * that travels in a register beside the ipa (no memory on the way):
 *   bits 3:0  the transfer register
 *   bit 4     ignored
 *   bit 5     a sign-extending load (ldrsb, ldrsh)
 *   bits 7:6  log2 of the access's width in bytes: 1, 2 or 4
 *   bit 8     a store
 * (bits 7:0 are where armv7's syndrome has them, 16 bits up: one ubfx.)
 * the ipa is below 4 GiB, as every device is (vm_add_mmio).
 */
#define MMIO_ACCESS(reg, log2_width) ((reg) | (log2_width) << 6)
#define MMIO_SIGNED		     (1u << 5)
#define MMIO_WRITE		     (1u << 8)
#define MMIO_REG(acc)		     ((acc)&15)
#define MMIO_LOG2_WIDTH(acc)	     ((acc) >> 6 & 3)

/* returns false when no device of the vcpu's VM takes the access */
bool mmio_emulate(struct vcpu *vcpu, u32 ipa, u32 acc);

/* devices */
#define VUART_IRQ GUEST_UART_IRQ


#endif
