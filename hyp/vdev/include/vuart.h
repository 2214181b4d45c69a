/* the emulated PL011 every VM has, the MMIO test device (their state in struct vm), forwarding. */
#ifndef VUART_H
#define VUART_H

#include "types.h"
#include "guest_line.h"
#include "spinlock.h"

struct vm;

/* the emulated pl011's state (vuart.c): all of it covered by lock */
struct vuart {
	spinlock_t lock; /* the VM's vcpus may share it across cpus */
	u32 ibrd, fbrd, lcrh, cr, ifls, imsc;
	char rx[GUEST_KEYS];
	u32 rx_head, rx_count;
	char line[VUART_LINE + 1];
	u32 line_len;
};

/* the mmio test device's state (testdev.c): no lock, a test's vcpus take turns */
struct testdev {
	u32 accesses;
	union { /* little-endian views of one 64 bytes */
		u8 b[64];
		u16 h[32];
		u32 w[16];
	} scratch;
};

void vuart_attach(struct vm *vm);
bool vuart_rx(struct vm *vm, char c); /* false: its fifo is full, c dropped */
void vuart_flush(struct vm *vm);
void testdev_attach(struct vm *vm);

struct guest_pt;
void forward_attach(struct vm *vm, const struct guest_pt *p); /* forward.c */

#endif
