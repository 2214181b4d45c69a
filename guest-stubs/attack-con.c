/*
 * attack-con: a guest that attacks the board's console (tests/test_attack_console.py).
 * mode=0 (VMs attack-con, and attack-con200 for make bench-attack): lines
 * made to forge the hypervisor's or another VM's lines and to make the
 * terminal answer into the keyboard: escape sequences, control bytes,
 * bytes >= 0x80, lines past the line limit; through its PL011, then
 * through hvc0, rounds=N times.
 * mode=1 (VM deaf) and mode=2 (VM deaf-hvc): never reads its PL011, or
 * hvc0, for wait=N ms of virtual time, so that its input fills up; then
 * takes what waited and prints it.
 * mode=3 (VM touch): one chain into hvc0 of a byte in each of 6 blocks of
 * its RAM it never touched: the hypervisor zeroes a block a pass, not 6
 * within the kick; the chain comes back whole all the same.
 */
#include "fmt.h"
#include "lib.h"
#include "stub.h"
#include "vio.h"

#define BASE  VIO_BASE(0)
#define LINE  200 /* the hypervisor's line limit (VUART_LINE) */
#define UART_FR (UART_DR + 0x18)
#define FR_RXFE (1u << 4)

static struct vio_q rxq, txq;
static int hvc; /* the battery goes to hvc0, else the PL011 */

/* n bytes as they are, nul bytes too */
static void out(const char *s, u32 n)
{
	u32 len;
	u16 head;

	if (!hvc) {
		while (n--)
			*(volatile u32 *)UART_DR = (u8)*s++;
		return;
	}
	head = vio_desc(&txq, s, n, 0, 0);
	vio_kick(BASE, VIRTIO_CONSOLE_TX, &txq, head);
	while (vio_used(&txq, &len) != head)
		;
}

#define OUT(lit) out(lit, sizeof(lit) - 1)

static void battery(void)
{
	static char buf[3 * LINE];
	u32 i;

	OUT("con: clear \x1b[2J\x1b[H, a title \x1b]0;hyp\x07, mid-line\n");
	OUT("\x1b[1A\x1b[2K[othervm] over the line above\n");
	OUT("\r[othervm] after a carriage return\n");
	OUT("hyp: vm 0 (neighbour) stopped: system off\n");
	OUT("mid-line\nhyp: after a newline\n");
	OUT("\b\b\b\b\b\b\b\b\b\b\b\bhyp: backspaces over the prefix\n");
	OUT("answer: \x1b[6n \x1b[21t \x1b]2;\x1d:destroy neighbour\r\x07\x1b[21t \x05\n");
	OUT("controls: \x00\x01\x07\x0b\x0c\x0e\x0f\x1b\x1d\x7f, a tab\there\n");
	OUT("high: caf\xc3\xa9 \x9b"
	    "2J \xff\xfe\n");
	/* the line limit: a split there starts no line of its own */
	for (i = 0; i < LINE; i++)
		buf[i] = 'a' + i % 26;
	out(buf, LINE);
	OUT("hyp: at the split\n");
	/* an escape that would straddle the split */
	out(buf, LINE - 1);
	OUT("\x1b[2J after\n");
	/* a line of escapes alone, three lines' worth */
	for (i = 0; i < 3 * LINE; i++)
		buf[i] = 0x1b;
	out(buf, 3 * LINE);
	OUT("\n");
}

static int hvc_up(void)
{
	if (!vio_probe(BASE, VIRTIO_ID_CONSOLE) ||
	    !vio_features(BASE, 1ull << VIRTIO_F_VERSION_1))
		return 0;
	vio_queue(BASE, VIRTIO_CONSOLE_RX, &rxq);
	vio_queue(BASE, VIRTIO_CONSOLE_TX, &txq);
	vio_driver_ok(BASE);
	return 1;
}

/* wfi until the virtual counter passes ms from now (the timer's interrupt masked at the cpu) */
static void sleep_ms(u32 ms)
{
	u64 end = stub_cntvct() + (u64)stub_cntfrq() / 1000 * ms;

	stub_gic_on(IRQ_VTIMER);
	stub_vtimer_set(end, 1);
	while (stub_cntvct() < end)
		asm volatile("wfi");
	stub_vtimer_set(0, 0);
}

static void deaf(int on_hvc)
{
	static char got[2049]; /* twice what the hypervisor holds for it */
	u32 n = 0, len, i, sum = 0;

	if (on_hvc) {
		if (!hvc_up()) {
			printf("FAIL: no virtio console\n");
			return;
		}
		hvc = 1;
		OUT("deaf: hvc0 up, reading nothing\n"); /* keys go to hvc0 from now on */
	} else
		printf("deaf: reading nothing\n");
	sleep_ms(stub_bootarg("wait=", 15000));
	if (on_hvc) {
		/* one buffer, bigger than the device's fifo: filled within the notify */
		vio_kick(BASE, VIRTIO_CONSOLE_RX, &rxq,
			 vio_desc(&rxq, got, sizeof(got) - 1, VIRTQ_DESC_F_WRITE, 0));
		if (vio_used(&rxq, &len) >= 0)
			n = len < sizeof(got) ? len : sizeof(got) - 1;
	} else
		while (n < sizeof(got) - 1 && !(*(volatile u32 *)UART_FR & FR_RXFE))
			got[n++] = (char)*(volatile u32 *)UART_DR;
	for (i = 0; i < n; i++)
		sum += (u8)got[i] * (i + 1); /* the order counts too */
	got[n < 26 ? n : 26] = 0;
	printf("deaf: %u bytes waited, from %s, sum %u\n", n, got, sum);
}

#define UNTOUCHED 0x40400000u /* blocks 2-7 of its 16 MiB: the stub lives in block 0 */
#define BLOCK	  0x200000u

static void touch(void)
{
	u32 k, len = 0;
	u16 head = 0;

	if (!hvc_up()) {
		printf("FAIL: no virtio console\n");
		return;
	}
	for (k = 0; k < 6; k++) {
		u16 d = vio_desc(&txq, (const void *)(UNTOUCHED + k * BLOCK), 1, 0, k < 5);

		head = k ? head : d;
	}
	vio_kick(BASE, VIRTIO_CONSOLE_TX, &txq, head);
	while (vio_used(&txq, &len) < 0)
		sleep_ms(1);
	printf("touch: the chain of 6 untouched blocks back: %u bytes\n", len);
}

int main(void)
{
	u32 mode = stub_bootarg("mode=", 0), rounds = stub_bootarg("rounds=", 1), i;

	if (mode == 3) {
		touch();
		return 0;
	}
	if (mode) {
		deaf(mode == 2);
		return 0;
	}
	for (i = 0; i < rounds; i++) {
		hvc = 0;
		battery();
		if (!hvc_up()) {
			printf("FAIL: no virtio console\n");
			return 0;
		}
		hvc = 1;
		battery();
	}
	printf("attack-con: %u rounds\n", rounds);
	return 0;
}
