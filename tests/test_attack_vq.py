"""A guest that attacks the virtqueue walk and the notify loops (guest-stubs/attack-vq.c),
beside the neighbour stub on the same cpu and on the other one, under ICOUNT: every chain
reads at most min(QueueNum, 128) descriptors and an indirect table no longer than that,
every pass over a queue takes at most 16 chains, what is left is done later without a new
kick, and the neighbour keeps its memory and its ticks."""
import re

from hyp import ICOUNT, disk_args, disk_ranges, qemu

BATCH = 16      # chains per pass (VIRTQ_BATCH, virtio_mmio.h)


def neighbour_ok(run, vm):
    """neighbour_untouched (hyp.py), for either neighbour: no checksum changed, no tick
    lost, none later than 20 ms of virtual time"""
    lines = run.guest_lines(vm)
    assert len(lines) == 3, run.tail()
    assert re.fullmatch(r"neighbour: \d+ checksums of 8 MiB, 0 differ from the first", lines[0]), \
        run.tail()
    m = re.fullmatch(r"neighbour: (\d+) timer ticks for (\d+) deadlines, none lost; "
                     r"latest (\d+) us late", lines[1])
    assert m and m.group(1) == m.group(2) and int(m.group(1)) > 0, run.tail()
    assert int(m.group(3)) <= 20000, run.tail()
    return int(m.group(3))


def attack(vms, tmp_path, smp):
    ranges, size = disk_ranges()
    img = tmp_path / "board.img"
    with open(img, "wb") as f:
        f.truncate(size)
    return qemu(ICOUNT + disk_args(img), append="hyp.vms=" + vms, smp=smp, timeout=1800)


def us(text):
    return int(re.search(r"\((\d+) us\)", text).group(1))


def check_attack(run, vm, most):
    """what attack-vq printed; most: the chains one kick may see come back (on two cpus,
    passes owed run on the other cpu meanwhile)"""
    lines = run.guest_lines(vm)
    assert len(lines) == 11 and lines[-1] == "attack-vq: done", run.tail()
    # refused at once, whatever the table's length: DEVICE_NEEDS_RESET, nothing used
    assert lines[0].startswith("attack-vq: net, 256 x a table of 65536 empty descriptors: "
                               "status 0x4f, used 0 ("), run.tail()
    assert lines[1].startswith("attack-vq: net, 256 x a table of 65536 whose entry 0 loops: "
                               "status 0x4f, used 0 ("), run.tail()
    assert us(lines[0]) < 1000 and us(lines[1]) < 1000, run.tail()
    assert lines[2:4] == [
        "attack-vq: net, 256 x a table of 16 whose entry 0 loops: status 0x4f, used 0",
        "attack-vq: net, 256 x a chain of 200 empty descriptors: status 0x4f, used 0"], run.tail()
    for reason in ["an indirect table of 65536 descriptors, 128 allowed",
                   "indirect table loops or nests", "chain 0 longer than 128 descriptors"]:
        assert "vm 0 (%s): vnet: chain 0: %s: device needs reset" % (vm, reason) in run.out or \
            "vm 0 (%s): vnet: %s (a loop?): device needs reset" % (vm, reason) in run.out, \
            run.tail()
    # the longest legal chain in every slot: one pass at the kick, the rest later, no kick
    for line, pat in zip(lines[4:7], [
            r"net, 256 x a table of 128 empty descriptors: status 0xf, used (\d+) at the kick "
            r"\((\d+) us\), 256 later",
            r"disk, 128 x a request past its end: status 0xf, used (\d+) at the kick "
            r"\((\d+) us\), 128 later, status byte 1",
            r"console, 64 x an empty buffer: status 0xf, used (\d+) at the kick \((\d+) us\), "
            r"64 later"]):
        m = re.fullmatch("attack-vq: " + pat, line)
        assert m and BATCH <= int(m.group(1)) <= most, run.tail()
    # recycled by the other vcpu: all come back, no kick sees more than a pass
    for line, what in zip(lines[7:10], ["console, empty buffers", "disk, requests past its end",
                                         "net, empty frames"]):
        m = re.fullmatch(r"attack-vq: %s, 1024 recycled: status 0xf, 1024 used, at most "
                         r"(\d+) by one kick" % what, line)
        assert m and 0 < int(m.group(1)) <= most, run.tail()
    assert "PANIC" not in run.out and "FAIL" not in run.out, run.tail()
    assert "hyp: no VM left running: powering off" in run.out, run.tail()
    return lines


def test_attack_vq_same_cpu(tmp_path):
    """both vcpus on cpu 0 beside the neighbour, one cpu: exact, as icount makes it"""
    run = attack("attack-vq0,neighbour", tmp_path, smp=1)
    lines = check_attack(run, "attack-vq0", BATCH)
    assert lines[0] == "attack-vq: net, 256 x a table of 65536 empty descriptors: status 0x4f, " \
                       "used 0 (6 us)", run.tail()
    assert all(" used 16 at the kick " in l for l in lines[4:7]), run.tail()
    assert all(l.endswith(", at most 16 by one kick") for l in lines[7:10]), run.tail()
    neighbour_ok(run, "neighbour")


def test_attack_vq_other_cpu(tmp_path):
    """the kicking vcpu on cpu 1; the board's disk interrupt (its completions) on cpu 0, where
    the neighbour runs beside the feeding vcpu"""
    run = attack("attack-vq1,neighbour", tmp_path, smp=2)
    check_attack(run, "attack-vq1", 4 * BATCH)
    neighbour_ok(run, "neighbour")


def test_attack_vq_beside_neighbour1(tmp_path):
    """both vcpus on cpu 0, the neighbour alone on cpu 1"""
    run = attack("attack-vq0,neighbour1", tmp_path, smp=2)
    check_attack(run, "attack-vq0", 4 * BATCH)
    neighbour_ok(run, "neighbour1")
