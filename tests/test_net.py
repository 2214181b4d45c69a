"""virtio-net and the switch between VMs (issue 14), from stubs' side, with exact counts:
guest-stubs/vnet.c's flooder, sink and hog (vms/test.conf)."""
import re

from harness import boot, needs_virtio, qemu

NET = re.compile(r"^  net (\S+): in (\d+) \((\d+) bytes\), out (\d+) \((\d+) bytes\), dropped: "
                 r"full (\d+) spoofed (\d+) bad (\d+) unknown (\d+)$", re.M)
UPLINK = re.compile(r"^  uplink (\S+): in (\d+) \((\d+) bytes\), out (\d+) \((\d+) bytes\), "
                    r"dropped: full (\d+) spoofed (\d+) bad (\d+) unknown (\d+)$", re.M)
SINK = ("vnet: sink got unicast 100, broadcast 50, multicast 50, end 1; random 0, spoofed 0, "
        "short 0, other 0; 0 bad")
# QEMU's user network, closed to the outside; the board's card as make run gives it
NIC = ["-netdev", "user,id=net0,restrict=on", "-device", "virtio-net-device,netdev=net0",
       "-global", "virtio-mmio.force-legacy=false"]


def ports(run):
    """{mac: (in, in bytes, out, out bytes, full, spoofed, bad, unknown)} from the VMs' tables"""
    return {m[0]: tuple(int(x) for x in m[1:]) for m in NET.findall(run.out)}


def flood(args):
    run = qemu(args, append="hyp.vms=vnet-a,vnet-b,vnet-c", smp=2, timeout=120)
    assert run.rc == 0, run.tail()
    for vm in ("vnet-a", "vnet-b", "vnet-c"):
        assert "[%s] vnet: mac 02:68:79:70:01:%s, link up" % (vm, "0" + vm[-1]) in run.out, \
            run.tail()
    assert run.guest_lines("vnet-a")[-1] == "vnet: flooder sent 1303 frames", run.tail()
    assert run.guest_lines("vnet-b")[-1] == SINK, run.tail()
    assert run.guest_lines("vnet-c")[-1] == "vnet: hog got 4 frames, left them all in its queue", \
        run.tail()
    return run


def test_switch_forwards_floods_and_drops():
    """no uplink: 1000 frames to random addresses and one to itself are unknown, 100 from a
    spoofed source and one too short dropped; the sink gets exactly its 100 unicast frames
    and the 101 broadcast and multicast ones, each checked; the hog, whose 4 buffers are
    never given back, takes 4 and drops the other 97, and the others lose nothing by it"""
    run = flood([])
    assert "hyp: net:" not in run.out, run.tail()
    assert ports(run) == {
        "02:68:79:70:01:0a": (1303, 1302 * 60 + 10, 0, 0, 0, 100, 1, 1001),
        "02:68:79:70:01:0b": (1, 60, 201, 201 * 60, 0, 0, 0, 1),
        "02:68:79:70:01:0c": (1, 60, 4, 4 * 60, 97, 0, 0, 1),
    }, run.tail()
    assert "  uplink" not in run.out, run.tail()


@needs_virtio
def test_switch_with_the_boards_card_as_uplink():
    """with the board's virtio-net: its banner line; unicast to unknown addresses goes out
    through it, broadcast and multicast too, and nothing else changes for the VMs. the
    uplink's transmit ring may fill faster than QEMU empties it: sent and dropped add up"""
    run = flood(NIC)
    assert re.search(r"^hyp: net: virtio-net at 0x[0-9a-f]+ \(irq \d+\), mac 52:54:00:12:34:56$",
                     run.out, re.M), run.tail()
    assert ports(run) == {
        "02:68:79:70:01:0a": (1303, 1302 * 60 + 10, 0, 0, 0, 100, 1, 1),
        "02:68:79:70:01:0b": (1, 60, 201, 201 * 60, 0, 0, 0, 0),
        "02:68:79:70:01:0c": (1, 60, 4, 4 * 60, 97, 0, 0, 0),
    }, run.tail()
    up = [tuple(int(x) for x in m[1:]) for m in UPLINK.findall(run.out)]
    assert up and up[-1][0] == 0 and up[-1][4] + up[-1][2] == 1000 + 50 + 50 + 1 + 2, run.tail()
    assert up[-1][2] > 0 and up[-1][3] == up[-1][2] * 60 and up[-1][5:] == (0, 0, 0), run.tail()


def test_reset_with_frames_in_flight():
    """vnet-e resets its VM with three frames in its transmit queue: they are lost, its card
    comes back as new, and the sink on the other cpu gets exactly the frames before and after"""
    run = qemu([], append="hyp.vms=vnet-e,vnet-d", smp=2, timeout=120)
    assert run.rc == 0, run.tail()
    assert run.guest_lines("vnet-e") == [
        "vnet: mac 02:68:79:70:01:0e, link up",
        "vnet: first boot: a frame sent, 3 left in its queue: reset",
        "vnet: mac 02:68:79:70:01:0e, link up",
        "vnet: after the reset: status 0x0, queues ready 0x0; 2 more frames sent"], run.tail()
    assert run.out.count("hyp: vm 0 (vnet-e) reset: reloading its images") == 1, run.tail()
    assert run.guest_lines("vnet-d")[-1] == SINK.replace("unicast 100, broadcast 50, multicast 50",
                                                         "unicast 2, broadcast 0, multicast 0")
    assert ports(run) == {"02:68:79:70:01:0e": (3, 180, 0, 0, 0, 0, 0, 0),
                          "02:68:79:70:01:0d": (1, 60, 3, 180, 0, 0, 0, 1)}, run.tail()
