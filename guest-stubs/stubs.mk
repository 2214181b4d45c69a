# the guest stubs packed into hyp.bin: name, ram (MiB), vcpus, flags.
# each guest-stubs/<name>.c becomes a VM image; flags: testdev = give it
# the mmio test device.
STUB_TABLE := \
	hvc:16:1:-		\
	smc:16:1:-		\
	mmio:16:1:testdev	\
	wfx:16:1:-		\
	sysreg:16:1:-		\
	undef:16:1:-		\
	vfp:16:1:-		\
	abort:16:1:-		\
	bench:16:1:testdev
