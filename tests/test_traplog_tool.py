"""tools/traplog: a real dump into a table, a CSV and a chart; bad dumps refused."""
import re
import subprocess

from harness import ROOT, boot_and_dump, consts
import traplog  # noqa: E402 (tools/, put on the path by harness)

TOOL = str(ROOT / "tools" / "traplog")


def dump(tmp_path):
    run, log = boot_and_dump("hvc,mmio", keep=tmp_path / "log.bin")
    return run, tmp_path / "log.bin", log


def test_table_csv_and_chart_from_a_real_dump(tmp_path):
    """counts as the UART printed them; hyp cycles as the dump holds them (the trap that
    stopped a VM is charged after its table was printed, for printing it)"""
    run, path, log = dump(tmp_path)
    p = subprocess.run([TOOL, str(path), "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    text = (tmp_path / "out.txt").read_text()
    for vm, idx in (("hvc", 0), ("mmio", 1)):
        t = run.tables["vm %d (%s)" % (idx, vm)]
        for ec, n in t["ec"].items():
            assert "  %#04x  " % ec in text and (" %d " % n) in text, (ec, n, text)
        s = traplog.vm_sum(log["vms"][idx])
        assert re.search(r"^ +total +%d +%d$" % (t["total"], s["total_cycles"]), text, re.M), text
        # the cycles of every class but the stopping HVC, as the UART printed them
        assert s["cycles"][0x24] == t["cycles"]["0x24"], text
    csv = (tmp_path / "out.csv").read_text().splitlines()
    assert csv[0] == "vm,vm_name,vcpu,ec,class,count,hyp_cycles,worst,worst_pc"
    hvc = traplog.vm_sum(log["vms"][0])["cycles"][0x12]
    h, m = log["vms"][0]["vcpus"][0], log["vms"][1]["vcpus"][0]
    assert "0,hvc,0,0x12,HVC,1005,%d,%d,%#010x" % (hvc, h["worst"][0x12], h["worst_pc"][0x12]) in csv
    assert "1,mmio,0,0x24,DABT (guest),%d,%d,%d,%#010x" % (
        run.tables["vm 1 (mmio)"]["ec"][0x24], run.tables["vm 1 (mmio)"]["cycles"]["0x24"],
        m["worst"][0x24], m["worst_pc"][0x24]) in csv
    # the worst trap of a class: the UART's row (cycles, pc, vm.vcpu) is the dump's
    assert run.tables["vm 1 (mmio)"]["worst"][0x24] == (m["worst"][0x24], m["worst_pc"][0x24], 1, 0)
    assert 0 < m["worst"][0x24] <= run.tables["vm 1 (mmio)"]["cycles"]["0x24"]
    assert (tmp_path / "out.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_truncated_and_wrong_version_dumps_are_refused(tmp_path):
    run, path, _ = dump(tmp_path)
    data = path.read_bytes()
    (tmp_path / "short.bin").write_bytes(data[:30000])
    p = subprocess.run([TOOL, str(tmp_path / "short.bin")], capture_output=True, text=True)
    assert p.returncode == 1
    assert p.stderr.strip() == "traplog: dump is 30000 bytes, the log is %d: truncated" % (
        consts.TRAPLOG_SIZE)
    (tmp_path / "v9.bin").write_bytes(data[:4] + b"\x09\x00" + data[6:])
    p = subprocess.run([TOOL, str(tmp_path / "v9.bin")], capture_output=True, text=True)
    assert p.stderr.strip() == "traplog: trap log version 9, this decoder reads version %d" % (
        consts.TRAPLOG_VERSION)
    (tmp_path / "junk.bin").write_bytes(b"\0" * 60000)
    p = subprocess.run([TOOL, str(tmp_path / "junk.bin")], capture_output=True, text=True)
    assert p.stderr.strip() == "traplog: bad magic 0x0 (want %#x): not a trap log" % (
        consts.TRAPLOG_MAGIC)
