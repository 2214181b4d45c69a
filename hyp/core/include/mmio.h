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

struct vcpu;
struct vm;

/* one guest load or store, decoded from a data abort syndrome */
struct mmio_access {
	ipaddr_t ipa;
	u32 width; /* 1, 2 or 4 bytes */
	bool write;
	bool sign_extend; /* ldrsb/ldrsh */
	u32 reg;	  /* the transfer register */
};

/* returns false when no device of the vcpu's VM takes the access */
bool mmio_emulate(struct vcpu *vcpu, const struct mmio_access *acc);

/* devices */
#define VUART_IRQ GUEST_UART_IRQ

void vuart_attach(struct vm *vm);
void vuart_rx(struct vm *vm, char c);
void vuart_flush(struct vm *vm);
bool vuart_rx_room(struct vm *vm);
void testdev_attach(struct vm *vm);

#endif
