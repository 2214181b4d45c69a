/*
 * the PL011 each VM sees at 0x09000000 (ARM DDI 0183): output goes to the
 * hypervisor console a line at a time, prefixed with the VM's name; input
 * comes from the console when the VM has the keyboard.
 */
#include "console.h"
#include "guest_line.h"
#include "lib.h"
#include "mmio.h"
#include "vm.h"

#define DR	0x000
#define FR	0x018
#define IBRD	0x024
#define FBRD	0x028
#define LCRH	0x02c
#define CR	0x030
#define IFLS	0x034
#define IMSC	0x038
#define RIS	0x03c
#define MIS	0x040
#define ICR	0x044
#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)
#define INT_RX	(1u << 4)
#define INT_TX	(1u << 5)
#define INT_RT	(1u << 6)

/* PeriphID0-3 and PCellID0-3 at 0xfe0-0xffc: a pl011 r1p5 */
static const u8 vuart_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/*
 * whole lines, so output from several VMs never interleaves mid-line. a
 * line the guest leaves unfinished (a shell prompt) goes out when the
 * guest waits (vuart_flush); its rest follows without a new prefix if
 * nothing else was printed in between.
 */
void guest_line_emit(struct vm *vm, char *line, u32 *len, bool newline)
{
	line[*len] = '\0';
	console_guest_line(line, vm->name, line, newline);
	*len = 0;
	/* linux's last panic line: "---[ end Kernel panic - not syncing: ... ]---" */
	if (strstr(line, "---[ end Kernel panic"))
		vm_crash(vm, "kernel panic");
}

/*
 * what a guest may put on the board's terminal: printable ascii and tabs as
 * they are; a carriage return dropped (linux ends its lines "\r\n"; a lone
 * one would go back over the "[name] " prefix); every other byte shown as
 * "\xNN": ESC, so no escape sequence draws a fake line or asks the terminal
 * to answer into the keyboard; backspace, nul and the other controls; and
 * bytes >= 0x80, since utf-8 brings C1 controls and bidi marks that move
 * text too. the form is for the eye and not reversible (a guest's own text
 * "\x1b" looks the same), which forges nothing: it stays behind the prefix.
 * an escape is never cut by the line limit, and a line split there goes on
 * without a prefix only while nothing else was printed (console_guest_line).
 */
static bool shown_as_is(u8 b)
{
	return (b >= 0x20 && b < 0x7f) || b == '\t';
}

void guest_line_put(struct vm *vm, char *line, u32 *len, char c)
{
	static const char hex[] = "0123456789abcdef";
	u8 b = (u8)c;

	if (b == '\r')
		return;
	if (b == '\n') {
		guest_line_emit(vm, line, len, true);
		return;
	}
	if (shown_as_is(b)) {
		line[(*len)++] = c;
	} else {
		if (*len + 4 > VUART_LINE)
			guest_line_emit(vm, line, len, false);
		line[(*len)++] = '\\';
		line[(*len)++] = 'x';
		line[(*len)++] = hex[b >> 4];
		line[(*len)++] = hex[b & 15];
	}
	if (*len == VUART_LINE) /* (it was below VUART_LINE before this byte) */
		guest_line_emit(vm, line, len, false);
}

void vuart_flush(struct vm *vm)
{
	spin_lock(&vm->uart.lock);
	if (vm->uart.line_len)
		guest_line_emit(vm, vm->uart.line, &vm->uart.line_len, false);
	spin_unlock(&vm->uart.lock);
}

/*
 * raw interrupt status: receive (and receive timeout) while bytes wait,
 * transmit always, since output leaves at once. the line to the vgic is
 * the masked status, level-sensitive like the real one.
 */
static u32 vuart_ris(const struct vuart *u)
{
	return (u->rx_count ? INT_RX | INT_RT : 0) | INT_TX;
}

static void update_irq(struct vm *vm)
{
	arch_vgic_set_level(vm, VUART_IRQ, (vuart_ris(&vm->uart) & vm->uart.imsc) != 0);
}

/*
 * a key for the VM; false when its receive fifo is full and the key is
 * dropped (console.c counts it). room is looked at and taken under the one
 * lock the guest's reads take too: no other cpu acts between the two.
 */
bool vuart_rx(struct vm *vm, char c)
{
	struct vuart *u = &vm->uart;
	bool room;

	spin_lock(&u->lock);
	room = u->rx_count < sizeof(u->rx);
	if (room) {
		u->rx[(u->rx_head + u->rx_count++) % sizeof(u->rx)] = c;
		update_irq(vm);
	}
	spin_unlock(&u->lock);
	return room;
}

static bool vuart_read(void *dev, u32 off, u32 width, u32 *val, struct vcpu *vcpu)
{
	struct vuart *u = dev;
	u32 ris;

	(void)width;
	spin_lock(&u->lock);
	ris = vuart_ris(u);
	*val = 0; /* reserved and test registers read as zero */
	switch (off) {
	case DR:
		if (u->rx_count) {
			*val = (u8)u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % sizeof(u->rx);
			u->rx_count--;
			update_irq(vcpu->vm);
		}
		break;
	case FR: *val = FR_TXFE | (u->rx_count ? 0 : FR_RXFE); break;
	case IBRD: *val = u->ibrd; break;
	case FBRD: *val = u->fbrd; break;
	case LCRH: *val = u->lcrh; break;
	case CR: *val = u->cr; break;
	case IFLS: *val = u->ifls; break;
	case IMSC: *val = u->imsc; break;
	case RIS: *val = ris; break;
	case MIS: *val = ris & u->imsc; break;
	default:
		if (off >= 0xfe0 && off < 0x1000 && !(off & 3))
			*val = vuart_id[(off - 0xfe0) / 4];
	}
	spin_unlock(&u->lock);
	return true;
}

/* ICR and read-only registers ignore writes */
static bool vuart_write(void *dev, u32 off, u32 width, u32 val, struct vcpu *vcpu)
{
	struct vuart *u = dev;

	(void)width;
	spin_lock(&u->lock);
	switch (off) {
	case DR: guest_line_put(vcpu->vm, u->line, &u->line_len, (char)val); break;
	case IBRD: u->ibrd = val & 0xffff; break;
	case FBRD: u->fbrd = val & 0x3f; break;
	case LCRH: u->lcrh = val & 0xff; break;
	case CR: u->cr = val & 0xffff; break;
	case IFLS: u->ifls = val & 0x3f; break;
	case IMSC:
		u->imsc = val & 0x7ff;
		update_irq(vcpu->vm);
		break;
	}
	spin_unlock(&u->lock);
	return true;
}

void vuart_attach(struct vm *vm)
{
	const struct mmio_dev dev = {
		.name = "uart",
		.base = IPA_INIT(GUEST_UART_IPA),
		.size = 0x1000,
		.read = vuart_read,
		.write = vuart_write,
		.dev = &vm->uart,
	};

	vm->uart = (struct vuart){.cr = 0x300, .ifls = 0x12};
	vm_add_mmio(vm, &dev);
}
