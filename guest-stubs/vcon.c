/*
 * vcon: the virtio console (slot 0) from a stub's side. it brings the device
 * up, prints through hvc0 (lines split over several buffers, and several
 * lines in one), checks that the transmit queue's notification waits until
 * the vcpu waits, and that EVENT_IDX then leaves it out; refuses features
 * without VERSION_1; gets DEVICE_NEEDS_RESET for rings outside its RAM and
 * comes back from a reset. "input=1": then echoes what is typed until 'q'.
 * its own report goes through the PL011, hvc0's tests through hvc0.
 */
#include "fmt.h"
#include "lib.h"
#include "stub.h"
#include "vio.h"

#define BASE	VIO_BASE(0)
#define GICD_ISENABLER1	0x104

static struct vio_q rxq, txq;
static char rxbuf[16];
static u32 kicks;

/* a chain of the strings given, one descriptor each; waits until it is used */
static void send(const char *const *parts, u32 n)
{
	u16 head = 0;
	u32 i, len;

	for (i = 0; i < n; i++) {
		u16 d = vio_desc(&txq, parts[i], strlen(parts[i]), 0, i + 1 < n);

		if (i == 0)
			head = d;
	}
	vio_kick(BASE, VIRTIO_CONSOLE_TX, &txq, head);
	kicks++;
	while (vio_used(&txq, &len) != head)
		;
}

static void say(const char *s)
{
	send(&s, 1);
}

static u32 setup(u64 features)
{
	u64 offered = vio_probe(BASE, VIRTIO_ID_CONSOLE);

	if (!vio_features(BASE, features))
		return 0;
	vio_queue(BASE, VIRTIO_CONSOLE_RX, &rxq);
	vio_queue(BASE, VIRTIO_CONSOLE_TX, &txq);
	vio_driver_ok(BASE);
	return (u32)(offered >> 28);	/* INDIRECT_DESC, EVENT_IDX, ..., VERSION_1 */
}

static void input(void)
{
	char c = 0, msg[40];
	u32 len;

	while (c != 'q') {
		rxq.avail.used_event = rxq.last_used;	/* EVENT_IDX: tell me of the next one */
		vio_kick(BASE, VIRTIO_CONSOLE_RX, &rxq, vio_desc(&rxq, rxbuf, sizeof(rxbuf),
								 VIRTQ_DESC_F_WRITE, 0));
		while (vio_used(&rxq, &len) < 0)
			asm volatile("wfi");
		vio_write(BASE, VIRTIO_MMIO_INTERRUPT_ACK, vio_read(BASE, VIRTIO_MMIO_INTERRUPT_STATUS));
		c = rxbuf[0];
		fmt_snprintf(msg, sizeof(msg), "vcon: got %u byte(s), 0x%02x\n", len, (u8)c);
		say(msg);
	}
}

int main(void)
{
	static const char *const split[] = { "vcon: a line in ", "three ", "buffers\n" };
	static const char *const two[] = { "vcon: two lines\nvcon: in one buffer\n" };
	u32 bits, isr_before, isr_after, isr_event, refused, bad, ready, after_reset;

	/* VERSION_1 left out: FEATURES_OK refused */
	vio_probe(BASE, VIRTIO_ID_CONSOLE);
	refused = !vio_features(BASE, 0);
	bits = setup(1ull << VIRTIO_F_VERSION_1);
	say("vcon: hello through hvc0\n");
	send(split, 3);
	send(two, 1);
	/*
	 * each kick had the device look at the notifications it deferred: the
	 * earlier buffers' one is out. the last buffer's waits for a wfi.
	 */
	vio_write(BASE, VIRTIO_MMIO_INTERRUPT_ACK, vio_read(BASE, VIRTIO_MMIO_INTERRUPT_STATUS));
	isr_before = vio_read(BASE, VIRTIO_MMIO_INTERRUPT_STATUS);
	*(volatile u32 *)(GICD + GICD_ISENABLER1) = 1u << (VIO_IRQ(0) - 32);
	stub_gic_on(IRQ_VTIMER);
	asm volatile("wfi");
	isr_after = vio_read(BASE, VIRTIO_MMIO_INTERRUPT_STATUS);
	vio_write(BASE, VIRTIO_MMIO_INTERRUPT_ACK, isr_after);
	/* with EVENT_IDX and the buffer taken back, none at all */
	setup(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_EVENT_IDX);
	txq.avail.used_event = 0;
	say("vcon: with event index\n");
	txq.avail.used_event = txq.last_used;
	vio_write(BASE, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_CONSOLE_RX);	/* deferred ones looked at */
	isr_event = vio_read(BASE, VIRTIO_MMIO_INTERRUPT_STATUS);
	/* a queue outside its RAM: DEVICE_NEEDS_RESET, not ready */
	vio_probe(BASE, VIRTIO_ID_CONSOLE);
	vio_features(BASE, 1ull << VIRTIO_F_VERSION_1);
	vio_queue_at(BASE, 0, VIO_QSIZE, 0x20000000u, 0x20001000u, 0x20002000u);
	bad = vio_read(BASE, VIRTIO_MMIO_STATUS);
	ready = vio_read(BASE, VIRTIO_MMIO_QUEUE_READY);
	vio_write(BASE, VIRTIO_MMIO_STATUS, 0);
	after_reset = vio_read(BASE, VIRTIO_MMIO_STATUS);
	setup(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_EVENT_IDX);
	say("vcon: back after the reset\n");
	printf("vcon: features %#x, without VERSION_1 refused %u; isr %u, after wfi %u, "
	       "with event index %u\n", bits, refused, isr_before, isr_after, isr_event);
	printf("vcon: rings outside RAM: status %#x, ready %u; after reset %#x; %u kicks\n", bad,
	       ready, after_reset, kicks);
	if (stub_bootarg("input=", 0))
		input();
	return 0;
}
