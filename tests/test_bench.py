"""make bench-quick: the benchmark harness end to end, with tiny inputs and one run per
cell. It asserts that the table is complete and the trap profile adds up, not speed."""
import csv
import subprocess

import pytest

from harness import PLATFORM, ROOT

CONFIGS = {("local", "A"), ("bare", "A"), ("one", "A"), ("shared", "A"), ("shared", "B"),
           ("parallel", "A"), ("parallel", "B")}
WORKLOADS = ["adpcm", "gsm", "crc32", "fft", "jpeg"]


@pytest.mark.skipif(PLATFORM != "virt", reason="bench-quick's harness, the same on each board: tested on virt")
def test_bench_quick_fills_every_cell(tmp_path):
    p = subprocess.run(["/usr/bin/python3", str(ROOT / "tools/bench_mibench.py"), "quick", str(tmp_path)],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    rows = list(csv.DictReader(open(tmp_path / "results.csv")))
    cells = {(r["config"], r["guest"], r["workload"], r["metric"]): r for r in rows}
    for config, guest in CONFIGS:
        for w in WORKLOADS:
            for m in ("real", "user", "sys") + (("icount",) if config != "local" else ()):
                r = cells[(config, guest, w, m)]
                assert r["runs"] == "1" and float(r["median"]) >= 0, r
            assert float(cells[(config, guest, w, "real")]["median"]) > 0
            # the guests under the hypervisor count the traps each workload caused,
            # and the classes add up to the total; bare qemu has no trap log
            traps = {k[3][6:]: float(r["median"]) for k, r in cells.items()
                     if k[:3] == (config, guest, w) and k[3].startswith("traps:")}
            if config in ("local", "bare"):
                assert not traps
            else:
                assert traps["total"] > 0 and traps["irq"] > 0, traps
                assert traps["total"] == traps["irq"] + sum(v for k, v in traps.items()
                                                             if k.startswith("ec")), traps
    md = open(tmp_path / "results.md").read()
    lines = md.splitlines()
    start = lines.index(next(l for l in lines if l.startswith("| workload | |"))) + 2
    table = lines[start:lines.index("", start)]
    assert len(table) == len(WORKLOADS) * 4, md
    for line in table:
        cols = [c.strip() for c in line.strip("|").split("|")][2:]
        assert len(cols) == 7 and all(c and c != "-" for c in cols), line
    assert md.count("| met |") + md.count("| MISSED |") == 5, md
    assert open(tmp_path / "slowdown.png", "rb").read(8) == b"\x89PNG\r\n\x1a\n"
