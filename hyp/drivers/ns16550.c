/*
 * a 16550-compatible uart the hypervisor owns (the H3's UART0, a DesignWare
 * APB uart: 32-bit registers PLAT_UART_SHIFT apart): polled tx, irq rx, its
 * received-data interrupt always on (irq.c takes every byte).
 */
#include "mmio.h"
#include "platform.h"
#include "uart.h"

#define REG(n)	  ((u32)(n) << PLAT_UART_SHIFT)
#define UART_RBR  REG(0) /* read: the oldest received byte */
#define UART_THR  REG(0) /* write: a byte to send */
#define UART_IER  REG(1)
#define UART_FCR  REG(2) /* write only */
#define UART_LSR  REG(5)
#define IER_ERBFI (1u << 0) /* received data, and the fifo's character timeout */
#define FCR_FIFOE (1u << 0) /* fifos on, receive trigger at 1 byte */
#define LSR_DR	  (1u << 0)
#define LSR_THRE  (1u << 5)

static u32 uart;

void uart_init(u32 base)
{
	uart = base;
	/* qemu and firmware leave the line (rate, 8n1) set up: fifos and the interrupt only */
	mmio_write32(uart + UART_FCR, FCR_FIFOE);
	mmio_write32(uart + UART_IER, IER_ERBFI);
}

void uart_putc(char c)
{
	while (!(mmio_read32(uart + UART_LSR) & LSR_THRE))
		;
	mmio_write32(uart + UART_THR, (u8)c);
}

int uart_getc(void)
{
	if (!(mmio_read32(uart + UART_LSR) & LSR_DR))
		return -1;
	return mmio_read32(uart + UART_RBR) & 0xff;
}
