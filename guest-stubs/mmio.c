/*
 * mmio: loads and stores of 8, 16 and 32 bits on the emulated test device,
 * zero- and sign-extending, then write-back forms the hypervisor cannot
 * emulate from the syndrome, which must come back as data aborts.
 */
#include "stub.h"

#define SCRATCH	(TESTDEV + 0x40)

static u32 accesses, fails;
static volatile u32 aborts, abort_far;

#define LOAD(insn, addr) ({ u32 _v; asm volatile(insn " %0, [%1]" : "=r"(_v) : "r"(addr) : "memory"); accesses++; _v; })
#define STORE(insn, addr, v) do { asm volatile(insn " %0, [%1]" :: "r"(v), "r"(addr) : "memory"); accesses++; } while (0)

static void expect(const char *what, u32 got, u32 want)
{
	if (got != want) {
		printf("FAIL: %s = %08x, want %08x\n", what, got, want);
		fails++;
	}
}

static void on_abort(enum exc_kind kind, struct exc_frame *f)
{
	if (kind != EXC_DABT) {
		printf("FAIL: exception %u at %08x\n", kind, f->pc);
		power_off();
	}
	aborts++;
	asm volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(abort_far));	/* DFAR */
	f->pc += 4;		/* skip the access */
}

int main(void)
{
	u32 base = SCRATCH, v;

	exc_hook = on_abort;
	expect("id", LOAD("ldr", TESTDEV), 0x54444556);

	STORE("strb", SCRATCH + 0, 0x80);
	STORE("strb", SCRATCH + 1, 0x7f);
	expect("ldrb", LOAD("ldrb", SCRATCH + 0), 0x80);
	expect("ldrsb neg", LOAD("ldrsb", SCRATCH + 0), 0xffffff80);
	expect("ldrsb pos", LOAD("ldrsb", SCRATCH + 1), 0x7f);

	STORE("strh", SCRATCH + 2, 0x8001);
	expect("ldrh", LOAD("ldrh", SCRATCH + 2), 0x8001);
	expect("ldrsh", LOAD("ldrsh", SCRATCH + 2), 0xffff8001);

	STORE("str", SCRATCH + 4, 0xdeadbeef);
	expect("ldr", LOAD("ldr", SCRATCH + 4), 0xdeadbeef);
	expect("ldrb low", LOAD("ldrb", SCRATCH + 4), 0xef);
	expect("ldrb high", LOAD("ldrb", SCRATCH + 7), 0xde);
	expect("ldrh high", LOAD("ldrh", SCRATCH + 6), 0xdead);
	expect("word of bytes", LOAD("ldr", SCRATCH + 0), 0x80017f80);
	printf("mmio: %u emulated accesses, %u wrong values\n", accesses, fails);

	/* pre-indexed with write-back: no syndrome (ISV = 0) */
	asm volatile("ldr %0, [%1, #4]!" : "=r"(v), "+r"(base) :: "memory");
	expect("write-back abort far", abort_far, SCRATCH + 4);
	/* post-indexed store: also write-back */
	base = SCRATCH;
	asm volatile("str %1, [%0], #4" : "+r"(base) : "r"(v) : "memory");
	expect("post-index abort far", abort_far, SCRATCH);
	/* load multiple: never has a syndrome */
	asm volatile("ldm %0, {r4, r5}" :: "r"(SCRATCH) : "r4", "r5", "memory");
	printf("mmio: %u write-back or multiple accesses aborted\n", aborts);

	/* the device's own count, read last: it includes this read */
	printf("mmio: device saw %u accesses, %u wrong values\n",
	       LOAD("ldr", TESTDEV + 4), fails);
	return 0;
}
