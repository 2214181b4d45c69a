/* the trap tables on the console (trapprint.c). */
#ifndef TRAPPRINT_H
#define TRAPPRINT_H

#include "types.h"

struct vm;

const char *traplog_class(u32 ec);
void vm_print_table(const struct vm *vm);
#define VM_TRACE_LINES 8
void vm_print_calls(const struct vm *vm);
void vm_print_trace(const struct vm *vm, u32 n);
void vm_print_board_table(void);
void vm_print_side_by_side(void);

#endif
