/*
 * the board's uart, the hypervisor's console: one driver a board, the one
 * platform/<board>/platform.mk names (UART := pl011 or ns16550). polled
 * output; input by its receive interrupt (PLAT_UART_IRQ), which irq.c
 * drains with uart_getc.
 */
#ifndef UART_H
#define UART_H

#include "types.h"

void uart_init(u32 base); /* receive interrupt on; the line as firmware or qemu left it */
void uart_putc(char c);
int uart_getc(void); /* a received byte, or -1 */

#endif
