/* the hypervisor's own stage-1 mmu and the VMs' stage-2 tables. */
#include "arch/arch.h"
#include "arch/lpae.h"
#include "arch/sysregs.h"
#include "boot.h"
#include "vm.h"
#include "console.h"
#include "lib.h"
#include "platform.h"

#define PT_POOL_PAGES 128

/* one stack per cpu; boot.S points sp at the top of this cpu's, hyp_map skips its guard */
char hyp_stacks[PLAT_MAX_CPUS * HYP_STACK_SIZE] __attribute__((section(".stacks"), aligned(4096)));
char hyp_fault_stack[HYP_FAULT_STACK] __attribute__((aligned(8)));

static u8 pt_pool[PT_POOL_PAGES][4096] __attribute__((aligned(4096)));
static u32 pt_used;
static u64 *hyp_root;

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

void *pt_alloc(void)
{
	void *p;

	if (pt_used == PT_POOL_PAGES)
		return NULL;
	p = pt_pool[pt_used++];
	memset(p, 0, 4096);
	return p;
}

/* hyp va == pa: the tables' addresses are their own physical addresses */
static u64 ident_pa(const void *t)
{
	return (uintptr_t)t;
}
static u64 *ident_va(u64 pa)
{
	return (u64 *)(uintptr_t)pa;
}
static const struct lpae_ops ident_ops = {pt_alloc, ident_pa, ident_va};

static void hyp_map(u64 start, u64 end, u64 attr, const char *what)
{
	if (end > start && lpae_map(&ident_ops, hyp_root, start, start, end - start, attr))
		panic("hyp mmu: cannot map %s [%llx, %llx)", what, start, end);
}

/*
 * HTCR (B4.1.76): T0SZ 0 (the whole 4 GiB), table walks inner shareable
 * and write-back cacheable. bit 31 is RES1.
 */
#define HTCR_VALUE (1u << 31 | 3u << 12 | 1u << 10 | 1u << 8)
#define HSCTLR_WXN (1u << 19)

void arch_mmu_init(paddr_t ram_base, u64 ram_size)
{
	u64 ram_end = pa_addr(ram_base) + ram_size;
	u32 i;

	if (ram_end > 0x100000000ull)
		ram_end = 0x100000000ull; /* beyond the 32-bit hyp va */
	hyp_root = pt_alloc();
	hyp_map(PLAT_DEV_BASE, PLAT_DEV_BASE + PLAT_DEV_SIZE, HYP_DEVICE, "devices");
	hyp_map(pa_addr(ram_base), (uintptr_t)__image_start, HYP_MEM_RW, "ram below image");
	hyp_map((uintptr_t)__image_start, (uintptr_t)__text_end, HYP_MEM_RX, "text");
	hyp_map((uintptr_t)__text_end, (uintptr_t)__rodata_end, HYP_MEM_RO, "rodata");
	/* data and stacks; the lowest page of each cpu's stack stays unmapped */
	hyp_map((uintptr_t)__rodata_end, (uintptr_t)hyp_stacks, HYP_MEM_RW, "data");
	for (i = 0; i < PLAT_MAX_CPUS; i++)
		hyp_map((uintptr_t)hyp_stacks + i * HYP_STACK_SIZE + HYP_GUARD_SIZE,
			(uintptr_t)hyp_stacks + (i + 1) * HYP_STACK_SIZE, HYP_MEM_RW, "stack");
	hyp_map((uintptr_t)hyp_stacks + PLAT_MAX_CPUS * HYP_STACK_SIZE, (uintptr_t)__image_end,
		HYP_MEM_RW, "ram after stacks");
	hyp_map((uintptr_t)__image_end, ram_end, HYP_MEM_RW, "ram");
	arch_mmu_enable();
}

/* per cpu: the tables are shared, the registers are not */
void arch_mmu_enable(void)
{
	dsb();
	sysreg_write32(HMAIR0, HMAIR0_VALUE);
	sysreg_write32(HMAIR1, 0);
	sysreg_write32(HTCR, HTCR_VALUE);
	sysreg_write64(HTTBR, (uintptr_t)hyp_root);
	isb();
	sysreg_write32(TLBIALLH, 0);
	dsb();
	/* caches on only once coherent (cortex-a7 and a15 TRMs: ACTLR.SMP first; NSACR.NS_SMP) */
	sysreg_write32(ACTLR, sysreg_read32(ACTLR) | ACTLR_SMP);
	isb();
	sysreg_write32(HSCTLR, sysreg_read32(HSCTLR) | SCTLR_M | SCTLR_C | SCTLR_I | HSCTLR_WXN);
	isb();
}

/*
 * VTCR (B4.1.159): T0SZ 0 (a 4 GiB ipa space), SL0 1 (the walk starts at
 * level 1), walks inner shareable write-back. bit 31 is RES1.
 */
#define VTCR_VALUE (1u << 31 | 3u << 12 | 1u << 10 | 1u << 8 | 1u << 6)

/*
 * CNTHCTL (B4.1.26): PL1PCTEN lets guests read the physical counter;
 * PL1PCEN clear traps their physical timer registers, which belong to the
 * hypervisor (guests have the virtual timer).
 */
#define CNTHCTL_PL1PCTEN (1u << 0)

void arch_stage2_cpu_init(void)
{
	sysreg_write32(VTCR, VTCR_VALUE);
	sysreg_write32(CNTHCTL, CNTHCTL_PL1PCTEN);
	sysreg_write64(CNTVOFF, 0);
	isb();
	pmu_init();
}

void arch_stage2_init(struct vm *vm)
{
	vm->s2_root = pt_alloc();
	if (!vm->s2_root)
		panic("stage 2: out of table pages for vm %s", vm->name);
}

int arch_stage2_map(struct vm *vm, ipaddr_t ipa, paddr_t pa, u64 size, enum s2_kind kind)
{
	static const u64 attr[] = {
		[S2_RAM] = S2_MEM,
		[S2_MMIO] = S2_DEVICE,
		[S2_READ_ONLY] = (S2_MEM & ~S2_HAP_W) | LPAE_XN,
	};

	int err = lpae_map(&ident_ops, vm->s2_root, ipa_addr(ipa), pa_addr(pa), size, attr[kind]);

	dsb(); /* the walks of a vcpu about to retry (on any cpu) see the entries */
	return err;
}

/*
 * the entries go, then every cpu's tlb entries that came from them: the
 * vm's vcpus ran on other cpus too. TLBIALLNSNHIS (B4.2.2, "hyp mode tlb
 * maintenance") drops every vmid's stage 1+2 entries in the inner shareable
 * domain, which is broader than this vmid but needs no VTTBR switch; a
 * reset is rare.
 */
void arch_stage2_unmap(struct vm *vm, ipaddr_t ipa, u64 size)
{
	lpae_unmap(&ident_ops, vm->s2_root, ipa_addr(ipa), size);
	dsb();
	sysreg_write32(TLBIALLNSNHIS, 0);
	dsb();
	isb();
}

u64 stage2_vttbr(const struct vm *vm)
{
	return (uintptr_t)vm->s2_root | (u64)vm->vmid << 48;
}

/* clean [pa, pa + size) to the point of coherency (B4.2.1, DCCMVAC) */
void arch_dcache_clean(paddr_t pa, u64 size)
{
	u32 line = 4u << ((sysreg_read32(CTR) >> 16) & 0xf), a;

	dsb();
	for (a = ALIGN_DOWN((u32)pa_addr(pa), line); a < pa_addr(pa) + size; a += line)
		sysreg_write32(DCCMVAC, a);
	dsb();
}
