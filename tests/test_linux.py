"""Debian's stock armmp-lpae kernel under the hypervisor: shell, traps, reboot."""
import re
import subprocess

import pytest

from harness import (HYP_BIN, ICOUNT, PLATFORM, ROOT, Board, Run, boot, command, consts, neighbour_untouched,
                     poweroff_and_wait, qemu, spawn)

PROMPT = "guest# "


def run_cmd(q, cmd):
    """Types cmd into the guest's shell; returns what it printed (prefixes removed)."""
    q.sendline(cmd)
    q.expect_exact(PROMPT)
    lines = q.before.replace("\r", "").split("\n")[1:]      # drop the echoed command
    return "\n".join(re.sub(r"^\[linux\] ", "", l) for l in lines)


def test_shell_commands_and_poweroff():
    """make run's default: one Debian guest, a shell on the console."""
    q = spawn()
    try:
        q.expect_exact("vms       1 configured: linux (256 MiB, 1 vcpu)")
        q.expect_exact(PROMPT)
        cpuinfo = run_cmd(q, "cat /proc/cpuinfo")
        assert "model name\t: ARMv7 Processor rev %d (v7l)" % Board.midr_rev in cpuinfo
        assert re.search(r"Features\t:.* vfpv4 .*lpae", cpuinfo)
        assert "CPU part\t: %#x" % Board.midr_part in cpuinfo       # the board's cpu
        ticks = []
        for _ in range(2):
            irqs = run_cmd(q, "sleep 1; cat /proc/interrupts")
            m = re.search(r"^\s*\d+:\s+(\d+)\s+GIC-0\s+27 Level\s+arch_timer$", irqs, re.M)
            assert m, irqs
            ticks.append(int(m.group(1)))
            assert re.search(r"GIC-0\s+33 Level\s+uart-pl011", irqs), irqs
        # the kernel is tickless when idle: across a sleep the count rises, by a
        # few ticks (about 10 a second, the same on bare qemu)
        assert ticks[1] > ticks[0], ticks
        uname = run_cmd(q, "uname -a")
        assert re.match(r"Linux \(none\) 6\.1\.0-\d+-armmp-lpae #1 SMP Debian .* armv7l GNU/Linux",
                        uname.strip()), uname
        psci = run_cmd(q, "dmesg | grep -i psci")
        assert "psci: PSCIv1.0 detected in firmware." in psci, psci
        assert "psci: SMC Calling Convention v1.1" in psci, psci
        assert run_cmd(q, "echo typed-$((6 * 7))").strip() == "typed-42"
        assert poweroff_and_wait(q, "guest: powering off",
                                 "hyp: vm 0 (linux) stopped: system off") == 0
    finally:
        q.close(force=True)


def test_reboot_restarts_the_vm_from_pristine_images():
    q = spawn()
    try:
        q.expect_exact(PROMPT)
        run_cmd(q, "echo scribble > /tmp/mark; ls /tmp")
        q.sendline("reboot")
        q.expect_exact("hyp: vm 0 (linux) reset: reloading its images")
        q.expect_exact("guest: init started")
        q.expect_exact(PROMPT)
        assert "mark" not in run_cmd(q, "ls /tmp")
        assert poweroff_and_wait(q) == 0
    finally:
        q.close(force=True)


PSCI_IDS = {"PSCI_VERSION", "PSCI_MIGRATE_INFO_TYPE", "PSCI_FEATURES", "PSCI_SYSTEM_OFF",
            "PSCI_CPU_ON", "PSCI_CPU_OFF", "PSCI_AFFINITY_INFO", "PSCI_SYSTEM_RESET"}


def test_boot_and_poweroff_trap_table():
    """The seed's experiment: a guest that boots and powers off at once."""
    run = boot("linux-off", timeout=120)
    assert run.rc == 0 and "guest: powering off" in run.out, run.tail()
    t = run.tables["vm 0 (linux-off)"]
    assert sum(t["ec"].values()) + t["irq"] == t["total"], run.tail()
    assert 0x00 not in t["ec"] and t["injected"] == 0, run.tail()   # nothing unknown
    assert t["irq"] > 300, run.tail()                                # timer ticks at least
    # every abort emulated, or a first touch of a 2 MiB block of its ram (the images' blocks
    # are populated at load, without one)
    assert t["ec"][0x24] + t["ec"].get(0x20, 0) == sum(t["mmio"].values()) + t["ram_faults"], \
        run.tail()
    assert 0 < t["ram_faults"] < t["ram_blocks"] < 256 // 2, run.tail()
    m = re.search(r"^  calls by function: (.*)$", run.out, re.M)
    calls = dict(re.findall(r"(\S+) (\d+)", m.group(1)))
    psci = sum(int(n) for f, n in calls.items() if f in PSCI_IDS)
    assert psci == t["hvc"]["psci"], (calls, t["hvc"])               # PSCI counted = made
    assert calls["PSCI_SYSTEM_OFF"] == "1", calls
    assert sum(int(n) for n in calls.values()) == t["ec"][0x12], (calls, t["ec"])
    trace = re.findall(r"^ +\d+\.\d{6}: vcpu 0 PC: 0x[0-9a-f]{8}; (.+); exit count: (\d+)"
                       r"(?:; cost: \d+ cycles)?$",
                       run.out, re.M)
    assert len(trace) == 8 and trace[-1] == ("HVC", str(t["total"])), trace
    assert [int(c) for _, c in trace] == list(range(t["total"] - 7, t["total"] + 1))


def test_bare_metal_image_same_on_bare_qemu_and_under_the_hypervisor():
    bare = subprocess.run(command(kernel=ROOT / "build/stubs/hello.bin", mem=16, bare=True,
                                  append="hello from the boot protocol"),
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    assert bare.returncode == 0
    lines = bare.stdout.decode().replace("\r", "").splitlines()
    assert lines == ["hello: entered in mode 0x13 with r0 = 0x0, r1 = 0xffffffff",
                     "hello: 16 MiB of ram at %#x, bootargs 'hello from the boot protocol'" %
                     consts.GUEST_RAM_IPA]
    run = boot("hello")
    assert run.rc == 0 and run.guest_lines("hello") == lines, run.tail()


def test_kernel_panic_marks_the_vm_crashed_and_the_rest_carries_on():
    run = boot("linux-panic,hello", timeout=120)
    assert "---[ end Kernel panic - not syncing: VFS: Unable to mount root fs" in run.out, run.tail()
    assert "hyp: vm 0 (linux-panic) crashed: kernel panic" in run.out, run.tail()
    t = run.tables["vm 0 (linux-panic)"]
    assert sum(t["ec"].values()) + t["irq"] == t["total"], run.tail()
    crash = run.out.index("crashed: kernel panic")
    assert re.search(r"last 8 exits:\n( +\d+\.\d{6}: vcpu 0 PC: .*\n){8}", run.out[crash:]), run.tail()
    # the next VM runs after it, and the board still powers off cleanly
    assert run.guest_lines("hello")[1].startswith("hello: 16 MiB of ram"), run.tail()
    assert run.rc == 0 and "hyp: no VM left running: powering off" in run.out, run.tail()


def test_kernel_panic_beside_a_running_vm():
    """the neighbour runs through the Debian guest's boot and panic on the same cpu, and
    reports only after the crash, untouched"""
    run = qemu(ICOUNT, append="hyp.vms=linux-panic,neighbour", timeout=180)
    crash = run.out.index("hyp: vm 0 (linux-panic) crashed: kernel panic")
    assert run.out.index("[neighbour] neighbour: ") > crash, run.tail()
    neighbour_untouched(run)
    assert run.rc == 0 and "hyp: no VM left running: powering off" in run.out, run.tail()


def cpu_busy(stat):
    """{cpu: user + nice + system ticks} from /proc/stat's per-cpu lines"""
    return {int(c): int(u) + int(n) + int(s)
            for c, u, n, s in re.findall(r"^cpu(\d) (\d+) (\d+) (\d+) ", stat, re.M)}


def test_four_vcpus_on_two_cpus_busy_for_30_seconds():
    """Debian's kernel with 4 vcpus on 2 cpus (test.conf's linux-smp4, the scheduler's
    check on): at its shell, a busy shell loop pinned to each vcpu (taskset) forks date
    until 30 s of guest time have passed; every vcpu does rounds and spends time busy
    (/proc/stat), then the guest powers off."""
    q = spawn("hyp.vms=linux-smp4 hyp.check=sched", smp=2, timeout=120)
    try:
        q.expect_exact("smp: Brought up 1 node, 4 CPUs")
        q.expect_exact("[linux-smp4] guest# ")
        q.sendline("grep ^cpu /proc/stat; t0=$(date +%s); for c in 0 1 2 3; do taskset -c $c "
                   "sh -c 'n=0; while [ $(date +%s) -lt '$((t0 + 30))' ]; do n=$((n+1)); done; "
                   "echo load on cpu $0: $n rounds' $c & done; wait; "
                   "echo took $(($(date +%s) - t0)) s; grep ^cpu /proc/stat")
        q.expect(r"took (\d+) s\r")
        took, during = int(q.match.group(1)), q.before
        q.expect_exact("guest# ")
        during, after = (re.sub(r"\[linux-smp4\] ", "", t.replace("\r", ""))
                         for t in (during, q.before))
        rounds = dict(re.findall(r"^load on cpu (\d): (\d+) rounds$", during, re.M))
        assert sorted(rounds) == ["0", "1", "2", "3"], during
        assert all(int(n) > 0 for n in rounds.values()), rounds
        assert 30 <= took <= 35, took
        before, after = cpu_busy(during), cpu_busy(after)
        # each vcpu ran half of the time at most (4 on 2 cpus): at least 3 of its 30 s
        # were busy ticks (USER_HZ 100); ~10 s measured
        assert sorted(after) == [0, 1, 2, 3], after
        assert all(after[c] - before[c] >= 300 for c in after), (before, after)
        assert poweroff_and_wait(q, "guest: powering off",
                                 "hyp: vm 0 (linux-smp4) stopped: system off") == 0
    finally:
        q.close(force=True)


@pytest.mark.skipif(PLATFORM == "orangepi-pc", reason="orangepi-pc's QEMU takes -m 1G only")
def test_vm_larger_than_the_board_says_which_qemu_m_to_use():
    run = qemu_m("200M", "linux")
    # what is left depends on the size of hyp.bin with its guest images: the advice adds up
    m = re.search(r"^hyp: vm linux wants 256 MiB of ram, the board has 200 MiB and (\d+) MiB "
                  r"are left: start qemu with -m (\d+)M or more$", run.out, re.M)
    assert m and int(m.group(2)) == 256 + 200 - int(m.group(1)), run.tail()
    assert run.rc == 1, run.tail()


def qemu_m(m, vms):
    cmd = command(kernel=HYP_BIN, append="hyp.vms=" + vms, mem=m)
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    return Run(p.stdout.decode(errors="replace"), p.returncode)
