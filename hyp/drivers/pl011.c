/*
 * the physical PL011 the hypervisor owns (ARM DDI 0183): polled tx, irq rx,
 * its receive interrupt always on (irq.c takes every byte).
 */
#include "mmio.h"
#include "uart.h"

#define UART_DR	  0x000
#define UART_FR	  0x018
#define UART_CR	  0x030
#define UART_IMSC 0x038
#define UART_ICR  0x044
#define FR_RXFE	  (1u << 4)
#define FR_TXFF	  (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE	  (1u << 8)
#define CR_RXE	  (1u << 9)
#define IMSC_RXIM (1u << 4)
#define IMSC_RTIM (1u << 6)

static u32 uart;

void uart_init(u32 base)
{
	uart = base;
	/* qemu and firmware leave the line set up; we only enable it */
	mmio_write32(uart + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
	mmio_write32(uart + UART_ICR, 0x7ff);
	mmio_write32(uart + UART_IMSC, IMSC_RXIM | IMSC_RTIM);
}

void uart_putc(char c)
{
	while (mmio_read32(uart + UART_FR) & FR_TXFF)
		;
	mmio_write32(uart + UART_DR, (u8)c);
}

int uart_getc(void)
{
	if (mmio_read32(uart + UART_FR) & FR_RXFE)
		return -1;
	return mmio_read32(uart + UART_DR) & 0xff;
}
