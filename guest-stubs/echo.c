/*
 * echo: an interactive guest. it reads the emulated uart (polling, with a
 * wfi between polls) and echoes each byte in hex until it reads 'q'. the
 * console tests use it to drive the Ctrl-] keys and keyboard input.
 */
#include "stub.h"

#define UART_FR		(UART_DR + 0x18)
#define FR_RXFE		(1u << 4)

int main(void)
{
	u32 c;

	printf("echo: ready\n");
	do {
		while (*(volatile u32 *)UART_FR & FR_RXFE)
			asm volatile("wfi");
		c = *(volatile u32 *)UART_DR & 0xff;
		printf("echo: got %#04x\n", c);
	} while (c != 'q');
	return 0;
}
