#!/usr/bin/python3
"""The bench initramfs: the guest's busybox initramfs, hypstat, the programs
tools/fetch-bench.sh unpacked (build/bench/root), the workloads, the inputs and
a runner, /bench/init, which the kernel starts with rdinit=/bench/init.

Inputs are generated here, deterministically (no randomness but a fixed LCG):
  tones.wav  8 kHz 16-bit mono: two swept tones under a slow envelope, and noise
  image.ppm  a 24-bit picture of gradients, bands, waves and tiles
in two sizes, build/bench/in/full and build/bench/in/quick (the runner picks
one with bench.size= on the kernel command line).

The runner runs each workload bench.runs= times (default 1) under
`hypstat -t`, which prints its time and the traps it caused, and powers off.
Usage: tools/mkbench.py OUT.cpio.gz
"""
import array
import math
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import mkcpio  # noqa: E402

B = os.path.join(ROOT, "build/bench")
G = os.path.join(ROOT, "build/guest")
# seconds of audio and image size per input set: about 2-4 s of guest time
# per workload on QEMU's TCG for "full", a blink for "quick"
SIZES = {"full": (120, 1600, 1200), "quick": (2, 128, 96)}
RATE = 8000

RUNNER = r"""#!/bin/sh
# the bench guest's init (written by tools/mkbench.py)
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
runs=1 size=full
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	bench.runs=*) runs=${arg#bench.runs=} ;;
	bench.size=*) size=${arg#bench.size=} ;;
	esac
done
export IN=/bench/in/$size T=/tmp
echo "bench: start size=$size runs=$runs workloads=$(sh /bench/workloads.sh list)"
if sh /bench/workloads.sh prep; then
	for w in $(sh /bench/workloads.sh list); do
		i=1
		while [ $i -le "$runs" ]; do
			# the result goes to a file first: printing it costs traps too
			hypstat -t $w.$i sh /bench/workloads.sh $w >/tmp/result 2>&1
			cat /tmp/result
			i=$((i + 1))
		done
	done
	echo "bench: done"
else
	echo "bench: prep failed"
fi
poweroff -f
"""


def tones(path, secs):
    samples = array.array("h")
    x = 12345
    for i in range(RATE * secs):
        t = i / RATE
        env = 0.55 + 0.45 * math.sin(2 * math.pi * 0.7 * t)
        sweep = 660 + 200 * math.sin(2 * math.pi * 0.3 * t)
        v = env * (0.35 * math.sin(2 * math.pi * 440 * t) + 0.25 * math.sin(2 * math.pi * sweep * t))
        x = (x * 1103515245 + 12345) & 0x7fffffff
        v += ((x >> 16) / 32768.0 - 0.5) * 0.05
        samples.append(int(max(-1.0, min(1.0, v)) * 32000))
    if sys.byteorder != "little":
        samples.byteswap()
    data = samples.tobytes()
    hdr = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + \
        struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16) + b"data" + struct.pack("<I", len(data))
    with open(path, "wb") as f:
        f.write(hdr + data)


def image(path, w, h):
    wave = [int(128 + 120 * math.sin(i * 0.02)) for i in range(w + h)]
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h))
        for y in range(h):
            row = bytearray(w * 3)
            band = (y // 48) * 37 & 0xff
            row[0::3] = bytes(((x * 255 // w) + band) & 0xff for x in range(w))
            row[1::3] = bytes(wave[x + y // 2] for x in range(w))
            row[2::3] = bytes(((x // 16) * 29 + (y // 16) * 13) & 0xff for x in range(w))
            f.write(row)


def main():
    out = sys.argv[1]
    files = []
    for size, (secs, w, h) in SIZES.items():
        d = os.path.join(B, "in", size)
        os.makedirs(d, exist_ok=True)
        stamp = os.path.join(d, ".%d-%d-%d" % (secs, w, h))
        if not os.path.exists(stamp) or os.path.getmtime(stamp) < os.path.getmtime(__file__):
            tones(os.path.join(d, "tones.wav"), secs)
            image(os.path.join(d, "image.ppm"), w, h)
            open(stamp, "w").close()
        files += [("bench/in/%s/%s" % (size, n), os.path.join(d, n)) for n in ("tones.wav", "image.ppm")]
    init = os.path.join(B, "init")
    with open(init, "w") as f:
        f.write(RUNNER)
    os.chmod(init, 0o755)
    files += [("bench/init", init), ("bench/workloads.sh", os.path.join(ROOT, "tools/bench_workloads.sh"))]
    root = os.path.join(B, "root")
    for dirpath, _, names in sorted(os.walk(root)):
        for n in sorted(names):
            if n != ".done":
                p = os.path.join(dirpath, n)
                files.append((os.path.relpath(p, root), p))
    overlay = os.path.join(B, "overlay.cpio.gz")
    mkcpio.write(overlay, files)
    with open(out + ".tmp", "wb") as f:
        for part in (os.path.join(G, "initramfs.cpio.gz"), os.path.join(G, "hypstat.cpio.gz"), overlay):
            f.write(open(part, "rb").read())
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
