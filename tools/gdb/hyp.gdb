# gdb command file for the hypervisor: `make gdb` runs
#   gdb-multiarch -q -x tools/gdb/hyp.gdb build/virt/default/hyp.elf
# from the top of the repo (the path to hyp.py below is relative to it).
#
# it loads the `hyp` commands (tools/gdb/hyp.py; `help hyp` lists them) and
# then runs `hyp connect`, which attaches to qemu's gdbstub. where it
# connects is up to the environment variable HYP_GDB_REMOTE:
#   unset            localhost:1234, qemu's -s (what `make debug` starts)
#   PORT or H:PORT   that gdbstub, e.g. HYP_GDB_REMOTE=:5555 for -gdb tcp::5555
#   none             do not connect; type `hyp connect [PORT|HOST:PORT]` later
# (a script that wants its own port can also set HYP_GDB_REMOTE=none and pass
# -ex "hyp connect PORT" after this file.)

set architecture arm
set pagination off
source tools/gdb/hyp.py
hyp connect
