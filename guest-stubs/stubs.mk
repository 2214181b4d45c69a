# the guest stubs packed into hyp.bin: name:ram_mib:vcpus:flags, one per
# guest-stubs/<name>.c. flags (comma separated, or -):
#   testdev  the VM gets the mmio test device at 0x0b000000
#   default  the VM runs when the board's command line has no hyp.vms=
STUB_TABLE := \
	hvc:16:1:default		\
	smc:16:1:-			\
	mmio:16:1:testdev,default	\
	wfx:16:1:-			\
	sysreg:16:1:-			\
	undef:16:1:-			\
	vfp:16:1:default		\
	abort:16:1:default		\
	bench:16:1:testdev		\
	echo:16:1:default
