"""Guests that attack the switch between the VMs' network cards (netsw.c), and what the
others keep: guest-stubs/attack-net.c's modes, vms/test.conf's net-* VMs."""
import os
import re
import socket
import subprocess
import time

from harness import HYP_BIN, ICOUNT, QEMU, Run, boot_and_dump, cpus, free_port, needs_virtio, neighbour_untouched, qemu

NET = re.compile(r"^  net (\S+): in (\d+) \((\d+) bytes\), out (\d+) \((\d+) bytes\), dropped: "
                 r"full (\d+) spoofed (\d+) bad (\d+) unknown (\d+)$", re.M)
UPLINK = re.compile(r"^  uplink (\S+): in (\d+) \((\d+) bytes\), out (\d+) \((\d+) bytes\), "
                    r"dropped: full (\d+) spoofed (\d+) bad (\d+) unknown (\d+)$", re.M)
SINK = re.compile(r"^attack-net: sink got A (\d+), B (\d+), C (\d+) from its sender, "
                  r"(\d+) from other addresses$")


def ports(run):
    """{mac: (in, in bytes, out, out bytes, full, spoofed, bad, unknown)} from the VMs' tables"""
    return {m[0]: tuple(int(x) for x in m[1:]) for m in NET.findall(run.out)}


def uplink(run):
    up = [tuple(int(x) for x in m[1:]) for m in UPLINK.findall(run.out)]
    return up[-1] if up else None


def test_source_rewritten_while_the_switch_forwards():
    """net-spoof's second vcpu rewrites the source of the frame its first is sending, 80
    frames in each phase: A, its own at the kick and a foreign one as soon as the switch has
    the frame; B, the reverse; C, flipped all along. The switch forwards a frame as it
    checked it, from one copy: A all delivered, B all dropped as spoofed, C either; the sink
    never sees a foreign source. Real time, two cpus: the race needs them."""
    run = qemu([], append="hyp.vms=net-spoof,net-sink", smp=2, timeout=600)
    assert run.rc == 0, run.tail()
    assert run.guest_lines("net-spoof") == ["attack-net: spoof sent 80 frames in each of 3 phases"], \
        run.tail()
    m = SINK.match(run.guest_lines("net-sink")[-1])
    assert m, run.tail()
    a, b, c, other = map(int, m.groups())
    assert (a, b, other) == (80, 0, 0), run.tail()
    p = ports(run)
    spoofer, sink = p["02:68:79:70:01:20"], p["02:68:79:70:01:21"]
    # 240 frames and END in; those not delivered were dropped as spoofed, nothing else
    assert spoofer[0] == 241 and spoofer[5] == 80 + 80 - c, run.tail()
    assert spoofer[2:5] == (0, 0, 0) and spoofer[6:] == (0, 0), run.tail()
    assert sink[2] == a + c + 1 and sink[4] == 0, run.tail()


def rx_attack(receiver, sender):
    run, _ = boot_and_dump("%s,%s,neighbour" % (receiver, sender), timeout=900, args=ICOUNT)
    assert run.guest_lines(sender) == ["attack-net: sent 1000 frames"], run.tail()
    neighbour_untouched(run)
    got = re.fullmatch(r"attack-net: rx took (\d+) frames through chains of (\d+) descriptors",
                       run.guest_lines(receiver)[-1])
    assert got, run.tail()
    p = ports(run)
    rx = [v for k, v in p.items() if v[2] or v[4]][0]
    # every frame, END too, either delivered into a chain or dropped for want of one
    assert rx[2] == int(got.group(1)) and rx[2] + rx[4] == 1001, run.tail()
    return run, rx


def test_receive_chains_of_128_descriptors():
    """net-rx's receive chains are the longest the transport takes: 128 one-byte buffers
    in an indirect table. net-send sends it 1000 frames, 64 a kick, on the same cpu as the
    neighbour: each frame walks one chain of the receiver's on the sender's cpu, and the
    neighbour keeps its ticks"""
    run, rx = rx_attack("net-rx", "net-send")
    assert rx[2] > 0, run.tail()


def test_receive_chains_of_empty_descriptors():
    """net-rx0's chains: an indirect table of 65,535 empty descriptors, then a buffer.
    The walk of one chain is bounded by the transport (the vq branch), so a frame sent
    to it costs its sender at most one bounded chain, and the neighbour keeps its ticks"""
    rx_attack("net-rx0", "net-send0")


# the board's card, its transmit side slowed to one frame a millisecond of virtual time
# (QEMU's tx timer, one frame a flush): the uplink's 64 buffers stay in use
SLOW_NIC = ["-netdev", "user,id=net0,restrict=on",
            "-device", "virtio-net-device,netdev=net0,tx=timer,x-txtimer=1000000,x-txburst=1",
            "-global", "virtio-mmio.force-legacy=false"]


@needs_virtio
def test_uplink_flood_beside_a_well_behaved_sender():
    """net-flood keeps the uplink's transmit ring full (256 frames a kick to an address
    nobody has) while net-arp, on the same cpu, sends 10 rounds of 16 ARP requests to
    QEMU's user network and counts the replies: with a fair share of the uplink's
    buffers each, every request goes out and is answered"""
    run = qemu(SLOW_NIC + ICOUNT, append="hyp.vms=net-flood,net-arp", timeout=900)
    assert run.rc == 0, run.tail()
    assert run.guest_lines("net-arp") == ["attack-net: arp sent 160 requests, 160 replies"], \
        run.tail()
    up = uplink(run)
    assert up is not None and up[4] > 0, run.tail()     # the flood was dropped, in part


@needs_virtio
def test_flood_from_outside_through_the_uplink():
    """the host sends 20,000 UDP datagrams as fast as it can through QEMU's user network
    (a port forwarded from the host's loopback) to net-listen, on the cpu that takes the
    uplink's interrupt, beside the neighbour. a receive pass takes at most 16 frames and
    leaves the rest to the next interrupt: the neighbour keeps its ticks, and every frame
    the card gave the switch reached the listener or was counted dropped"""
    port = free_port()
    nic = ["-netdev", "user,id=net0,restrict=on,hostfwd=udp:127.0.0.1:%d-10.0.2.15:9" % port,
           "-device", "virtio-net-device,netdev=net0", "-global", "virtio-mmio.force-legacy=false"]
    cmd = [*QEMU, *ICOUNT, *nic, *cpus(1, "hyp.vms=net-listen,neighbour"),
           "-kernel", str(HYP_BIN)]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out, sent = b"", 0
    try:
        os.set_blocking(p.stdout.fileno(), False)
        deadline = time.time() + 600
        while b"attack-net: listening" not in out:
            assert time.time() < deadline and p.poll() is None, out.decode()[-3000:]
            out += p.stdout.read() or b""
            time.sleep(0.05)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for i in range(20000):
            try:
                s.sendto(i.to_bytes(4, "little") * 8, ("127.0.0.1", port))
                sent += 1
            except BlockingIOError:
                pass
        s.close()
        while p.poll() is None:
            assert time.time() < deadline, out.decode()[-3000:]
            out += p.stdout.read() or b""
            time.sleep(0.05)
        out += p.stdout.read() or b""
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    run = Run(out.decode(errors="replace"), p.returncode)
    assert run.rc == 0, run.tail()
    print("host sent %d datagrams" % sent, *run.guest_lines("net-listen"),
          *run.guest_lines("neighbour"), *UPLINK.findall(run.out), *NET.findall(run.out), sep="\n")
    got = re.fullmatch(r"attack-net: listen got (\d+) frames", run.guest_lines("net-listen")[-1])
    assert got and 0 < int(got.group(1)) <= sent, run.tail()
    neighbour_untouched(run)
    lst = ports(run)["02:68:79:70:01:26"]
    up = uplink(run)
    # the ARP reply and the datagrams it counted went into its chains; none was lost between
    assert lst[2] >= int(got.group(1)) + 1 and up[0] >= lst[2] + lst[4], run.tail()


def test_broadcast_storm():
    """net-bcast sends 1000 broadcast frames, 64 a kick, and END; net-bsink, on the same
    cpu, takes what reaches it. A port may send 128 group frames back to back and 2000 a
    second: the rest are dropped at the sender (full), whatever room the receivers have"""
    run, _ = boot_and_dump("net-bcast,net-bsink,neighbour", timeout=900, args=ICOUNT)
    m = re.fullmatch(r"attack-net: sent 1000 frames to the broadcast address in (\d+) us",
                     run.guest_lines("net-bcast")[-1])
    assert m, run.tail()
    us = int(m.group(1))
    neighbour_untouched(run)
    p = ports(run)
    storm, sink = p["02:68:79:70:01:27"], p["02:68:79:70:01:2a"]
    allowed = 128 + 2000 * us // 1000000 + 1
    passed = 1001 - storm[4]
    assert storm[0] == 1001 and storm[5:] == (0, 0, 0), run.tail()
    # every frame the bucket let through reached the sink, or its port counted it full
    assert 128 <= passed <= allowed and sink[2] + sink[4] == passed, run.tail()


def test_frames_of_every_length_cut_across_descriptors():
    """net-shapes sends frames of 60, 61, 1000, 1514 and 1518 bytes, each whole, then cut
    in three descriptors (its header alone, a cut in the destination, one in the source),
    and three of 1519 bytes: the copy once takes them as they are; the 15 arrive intact,
    the 3 too long are dropped as bad without being copied"""
    run = qemu([], append="hyp.vms=net-shapes,net-check", timeout=300)
    assert run.rc == 0, run.tail()
    assert run.guest_lines("net-shapes") == ["attack-net: shapes sent 18 frames"], run.tail()
    assert run.guest_lines("net-check")[-2:] == [
        "attack-net: sink got 15 data frames, 0 of them wrong",
        "attack-net: sink got A 0, B 0, C 0 from its sender, 0 from other addresses"], run.tail()
    p = ports(run)
    size = 3 * (60 + 61 + 1000 + 1514 + 1518 + 1519) + 60
    assert p["02:68:79:70:01:2b"] == (19, size, 0, 0, 0, 0, 3, 0), run.tail()
    assert p["02:68:79:70:01:2c"][2:5] == (16, size - 3 * 1519, 0), run.tail()
