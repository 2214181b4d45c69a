/* boot in C: read the board, turn on the mmu, print the banner, start the VMs. */
#include "atomic.h"
#include "atags.h"
#include "boot.h"
#include "console.h"
#include "fdt.h"
#include "irq.h"
#include "lib.h"
#include "percpu.h"
#include "platform_if.h"
#include "sched.h"
#include "traplog.h"
#include "netsw.h"
#include "virtio_drv.h"
#include "vm.h"

#include "version.h" /* generated: git describe */

extern char __image_start[], __image_end[];

u32 nr_cpus = 1; /* cpus the hypervisor runs on */
_Static_assert(PLAT_MAX_CPUS <= TRAPLOG_MAX_CPUS, "a trap-log ring per cpu");

static const char *const entry_names[] = {
	[BOOT_ENTERED_HYP] = "hyp mode",
	[BOOT_ENTERED_SECURE_SVC] = "secure svc, switched to non-secure hyp by monitor",
};

static void banner(const struct fdt_board *b, u32 entered)
{
	u32 i;

	/* the version on a line of its own, which the docs leave out of what they quote */
	console_write("\n", 1);
	log_info("version %s\n", HYP_VERSION);
	log_info("armv7-a type-1 hypervisor, %s\n", PLAT_CPU);
	console_printf("  board     %s, entered in %s\n", PLAT_NAME, entry_names[entered]);
	console_printf("  ram       %llu MiB at %#llx; hypervisor %p-%p\n", b->ram_size / MiB,
		       pa_addr(b->ram_base), (void *)__image_start, (void *)__image_end);
	console_printf("  cpus      %u, the hypervisor on %u\n", b->ncpus, nr_cpus);
	console_printf("  trap log  %p, %u bytes, version %u\n", (void *)&traplog, traplog.size,
		       traplog.version);
	console_printf("  vms       %u configured:", nr_vms);
	for (i = 0; i < nr_vms; i++)
		console_printf(" %s (%llu MiB, %u vcpu%s)", vms[i].name, vms[i].ram_size / MiB,
			       vms[i].nr_vcpus,
			       atomic_read(&vms[i].state) == VM_STOPPED ? ", stopped" : "");
	console_printf("\n  keys      Ctrl-] h for help; keyboard goes to vm 0\n\n");
}

/* a recursion deeper than any stack: it runs into the guard page */
static volatile u32 overflow_limit = ~0u;

static u32 overflow(u32 depth)
{
	volatile u32 frame[64];

	if (depth == overflow_limit)
		return 0;
	frame[depth % 64] = depth;
	return overflow(depth + 1) + frame[(depth + 1) % 64];
}

/* the board's command line can ask the hypervisor to fault, to test panics */
static void selftest(const char *bootargs)
{
	if (strstr(bootargs, "hyp.selftest=dabt")) {
		log_info("selftest: reading an unmapped address\n");
		(void)*(volatile u32 *)0xfffff000u;
	}
	if (strstr(bootargs, "hyp.selftest=stack")) {
		log_info("selftest: overflowing the stack\n");
		overflow(0);
	}
}

/*
 * "hyp.cpus=N": the first N cpus only, the others left off. for a board
 * whose qemu takes one cpu count only (orangepi-pc: 4), so that a manifest
 * or a test can run on fewer.
 */
static u32 cpus_asked(const char *bootargs, u32 n)
{
	const char *p = strstr(bootargs, "hyp.cpus=");
	u32 want = p ? (u32)(p[9] - '0') : n;

	return want >= 1 && want < n ? want : n;
}

/*
 * the board's description: a device tree in r2 (qemu's virt; any board
 * given -dtb), else an ATAG list in r2 (a board without a device tree:
 * vexpress), else either of them where qemu leaves it when r2 holds
 * nothing (an elf -kernel). returns NULL, or what is wrong.
 */
static const void *board_fdt; /* the device tree board_info read, if any */

static const char *board_info(const void *boot, struct fdt_board *b)
{
	const void *at[] = {boot, (const void *)PLAT_BOOT_DATA};
	int err;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(at); i++) {
		if (!fdt_check(at[i], 1 * MiB)) {
			board_fdt = at[i];
			err = fdt_board_info(at[i], b);
			return err ? fdt_strerror(err) : NULL;
		}
		err = atags_board_info(at[i], 4096, b);
		if (err != ATAGS_ERR_CORE)
			return err ? atags_strerror(err) : NULL;
	}
	return "neither a device tree nor an ATAG list";
}

void hyp_main(const void *boot, u32 entered)
{
	static char bootargs[256];
	struct fdt_board board;
	const char *why;
	u32 i;

	this_cpu()->id = arch_cpu_id();
	console_init();
	why = board_info(boot, &board);
	if (why)
		panic("board description (r2 %p, else %#x): %s", boot, PLAT_BOOT_DATA, why);
	if (!board.ncpus)
		board.ncpus = arch_gic_nr_cpus();
	/* qemu puts its boot data in ram the VMs will get: keep what we need */
	for (i = 0; board.bootargs[i] && i < sizeof(bootargs) - 1; i++)
		bootargs[i] = board.bootargs[i];
	board.bootargs = bootargs;
	arch_mmu_init(board.ram_base, board.ram_size);
	arch_stage2_cpu_init();
	nr_cpus = cpus_asked(bootargs, board.ncpus < PLAT_MAX_CPUS ? board.ncpus : PLAT_MAX_CPUS);
	/* firmware's to set, in secure state: qemu gives 62.5 MHz on each board, the H3 counts 24 */
	if (!arch_counter_freq())
		panic("CNTFRQ is 0: no firmware set the timer's frequency");
	traplog_init(arch_counter_freq(), nr_cpus);
	arch_gic_init();
	arch_gic_enable_irq(PLAT_UART_IRQ);
	arch_vgic_hw_init();
	vdrv_init(board_fdt); /* the board's disk, before the VMs that use it */
	uplink_init();	      /* and its network card */
	vms_create(board.bootargs, pa_of(__image_end), pa_add(board.ram_base, board.ram_size));
	sched_init(board.bootargs);
	banner(&board, entered);
	selftest(board.bootargs);
	for (i = 1; i < nr_cpus; i++)
		platform_cpu_on(i, pa_init((uintptr_t)arch_secondary_entry));
	sched_start();
}

/* the other cpus: the same hyp mmu and stage-2 setup, their own gic interface */
void hyp_secondary_main(void)
{
	arch_mmu_enable();
	arch_stage2_cpu_init();
	arch_gic_cpu_init();
	arch_vgic_hw_init();
	sched_start();
}
