/* the hypervisor's console: the physical uart, printing, the Ctrl-] keys. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "types.h"

#define CONSOLE_ESCAPE 0x1d /* Ctrl-] */

void console_init(void);
void console_write(const char *s, size_t n);
int console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_rx(char c);
void console_guest_line(const void *src, const char *name, const char *text, bool newline);
void console_lock(void);
void console_unlock(void);

/*
 * the hypervisor's messages, each a line of its own that starts "hyp: ":
 * log_info for what it and the guests do, log_err for what is wrong with
 * the board or the configuration it was given (often stopping it).
 */
#define log_info(fmt, ...) console_printf("hyp: " fmt, ##__VA_ARGS__)
#define log_err(fmt, ...)  console_printf("hyp: " fmt, ##__VA_ARGS__)

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* without the console lock: for panics, which must print even if its holder died */
void panic_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --- implemented by arch ------------------------------------------------ */
bool arch_halting(void); /* the board is being stopped: a panic now stays quiet */

#endif
