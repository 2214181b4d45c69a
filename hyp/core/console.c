/*
 * console output, the Ctrl-] escape keys, panics. output from several cpus
 * is serialized a whole message at a time.
 */
#include <stdarg.h>
#include "console.h"
#include "fmt.h"
#include "hypercall.h"
#include "lib.h"
#include "mmio.h"
#include "percpu.h"
#include "platform_if.h"
#include "spinlock.h"
#include "traplog.h"
#include "trapprint.h"
#include "uart.h"
#include "virtio_mmio.h"
#include "vm.h"

static spinlock_t console_spin; /* the screen: whole messages, and partial */

/*
 * the keyboard's state is console_rx's alone, which only the board uart's
 * interrupt calls: the gic gives that interrupt to one cpu at a time, and
 * it stays active until irq_handle deactivates it after uart_irq.
 */
static bool escape_pending;
static char cmd[48];	 /* the prompt's line (Ctrl-] :) */
static int cmd_len = -1; /* -1: no prompt open */
static u32 focus_vm;	 /* who gets the keyboard */
static u32 keys_dropped; /* keys a guest's full input could not take (Ctrl-] h shows it) */
static bool dropping;	 /* the drop was said, and no key taken since */

void console_init(void)
{
	uart_init(PLAT_UART_BASE);
}

void console_lock(void)
{
	spin_lock(&console_spin);
}
void console_unlock(void)
{
	spin_unlock(&console_spin);
}

/* the line buffer (a VM's uart or hvc0) whose unfinished line is on the screen */
static const void *partial;

static void write_unlocked(const char *s, size_t n)
{
	while (n--) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s++);
	}
}

void console_write(const char *s, size_t n)
{
	console_lock();
	if (partial) { /* finish the guest's unfinished line first */
		write_unlocked("\n", 1);
		partial = NULL;
	}
	write_unlocked(s, n);
	console_unlock();
}

/*
 * a VM's output line, "[name] text", or the rest of one that the same source
 * left unfinished: src is the line's buffer, so a VM's uart line never goes on
 * behind its hvc0 prompt
 */
void console_guest_line(const void *src, const char *name, const char *text, bool newline)
{
	console_lock();
	if (partial && partial != src) {
		write_unlocked("\n", 1);
		partial = NULL;
	}
	if (!partial) {
		write_unlocked("[", 1);
		write_unlocked(name, strlen(name));
		write_unlocked("] ", 2);
	}
	write_unlocked(text, strlen(text));
	if (newline)
		write_unlocked("\n", 1);
	partial = newline ? NULL : src;
	console_unlock();
}

static int vprint(bool lock, const char *fmt, va_list ap)
{
	char buf[256];
	int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (lock)
		console_write(buf, n);
	else
		write_unlocked(buf, n);
	return n;
}

int console_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(true, fmt, ap);
	va_end(ap);
	return n;
}

/* unlocked: for panics, which must print even if the lock holder died */
void panic_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(false, fmt, ap);
	va_end(ap);
}

static void print_help(void)
{
	console_printf(
		"\nhyp keys: Ctrl-] then\n"
		"  s        every VM's trap table, side by side\n"
		"  t        the last 16 trap records\n"
		"  :        a command: list, start VM, shutdown VM, destroy VM, reset VM,\n");
	console_printf(/* in two: console_printf's buffer is 256 bytes */
		       "           pin VM VCPU CPU, stats [VM], help (Enter runs it, Ctrl-C drops "
		       "it)\n"
		       "  0-7      give VM n the keyboard\n"
		       "  h        this help\n"
		       "  Ctrl-]   send a literal Ctrl-] to the guest\n"
		       "keyboard: VM %u (%s), %u keys dropped (its input full)\n",
		       focus_vm, nr_vms ? vms[focus_vm].name : "none", keys_dropped);
}

static void print_ring(u32 n)
{
	struct traplog_rec rec[16];
	u32 i, got = traplog_last(rec, n < 16 ? n : 16);

	console_printf("\nlast %u trap records:\n%10s %14s %4s %-18s %8s %8s %10s %8s\n", got,
		       "seq", "cntpct", "vm.c", "class", "hsr", "pc", "ipa", "cycles");
	for (i = 0; i < got; i++)
		console_printf("%10u %14llu %2u.%u %-18s %08x %08x %10x %8u\n", rec[i].seq,
			       rec[i].timestamp, rec[i].vm, rec[i].vcpu, traplog_class(rec[i].ec),
			       rec[i].hsr, rec[i].pc, rec[i].ipa, rec[i].cost);
}

/*
 * to the VM's hvc0 once its kernel uses it (virtio_console.c), else its
 * PL011. no flow control: a key its full fifo cannot take is dropped and
 * counted, never left waiting in the board's uart, where it would hold up
 * the Ctrl-] behind it. (the flow control this replaces switched the
 * uart's receive interrupt off when the fifo looked full and on again when
 * the guest read it full -> not full, on another cpu and under no common
 * lock: a read between the look and the switch-off left it off for good.
 * the check and the store are now one step under the fifo's own lock.)
 */
static void guest_input(struct vm *vm, char c)
{
	bool taken = vcon_has_input(vm) ? vcon_rx(vm, c) : vuart_rx(vm, c);

	if (taken) {
		dropping = false;
		return;
	}
	keys_dropped++;
	if (!dropping) /* once a run of drops: a full guest costs a line, not a line a key */
		log_info("keyboard: vm %u (%s) takes no more: keys dropped until it reads\n",
			 vm->id, vm->name);
	dropping = true;
}

/* the prompt's line: backspace edits, Enter runs it (control.c), Ctrl-C drops it */
static void prompt_key(char c)
{
	if (c == '\r' || c == '\n' || c == 3) {
		console_write("\n", 1);
		cmd[cmd_len] = 0;
		cmd_len = -1;
		if (c != 3)
			ctl_command(cmd);
	} else if ((c == 0x7f || c == '\b') && cmd_len > 0) {
		cmd_len--;
		console_write("\b \b", 3);
	} else if (c >= ' ' && c < 0x7f && cmd_len < (int)sizeof(cmd) - 1) {
		cmd[cmd_len++] = c;
		console_write(&c, 1);
	}
}

/* a byte from the keyboard: ours after Ctrl-] or at the prompt, otherwise the focus VM's */
void console_rx(char c)
{
	if (cmd_len >= 0) {
		prompt_key(c);
		return;
	}
	if (escape_pending) {
		escape_pending = false;
		if (c == CONSOLE_ESCAPE)
			guest_input(&vms[focus_vm], c);
		else if (c == 's')
			vm_print_side_by_side();
		else if (c == 't')
			print_ring(16);
		else if (c == ':') {
			console_write("\nhyp> ", 6);
			cmd_len = 0;
		} else if (c >= '0' && c <= '7' && (u32)(c - '0') < nr_vms) {
			focus_vm = c - '0';
			dropping = false; /* its drops are said anew */
			console_write("\n", 1);
			log_info("keyboard to VM %u (%s)\n", focus_vm, vms[focus_vm].name);
		} else
			print_help();
		return;
	}
	if (c == CONSOLE_ESCAPE) {
		escape_pending = true;
		return;
	}
	if (nr_vms)
		guest_input(&vms[focus_vm], c);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	struct vcpu *v = this_cpu()->current;

	arch_irq_disable();
	if (arch_halting())
		for (;;)
			arch_wfi();
	panic_printf("\n*** HYPERVISOR PANIC on cpu %u: ", arch_cpu_id());
	va_start(ap, fmt);
	vprint(false, fmt, ap);
	va_end(ap);
	panic_printf("\n");
	if (v)
		panic_printf("running vm %u (%s), vcpu %u\n", v->vm->id, v->vm->name, v->id);
	platform_halt_error();
}
