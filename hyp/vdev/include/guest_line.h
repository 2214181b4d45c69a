/* a guest's console output, a line at a time: the PL011's (vuart.c) and hvc0's */
#ifndef GUEST_LINE_H
#define GUEST_LINE_H

#include "types.h"

struct vm;

#define VUART_LINE 200
/* keys a guest's input holds while it is not reading: a pasted line or
 * two (the PL011's 16-byte fifo would drop them: we have no flow control) */
#define GUEST_KEYS 1024

/* c into line (VUART_LINE + 1 chars, *len used): a newline or a full line sends it */
void guest_line_put(struct vm *vm, char *line, u32 *len, char c);
void guest_line_emit(struct vm *vm, char *line, u32 *len, bool newline);

#endif
