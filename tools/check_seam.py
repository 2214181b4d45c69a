#!/usr/bin/python3
"""make check-seam: the seam between the arch-neutral hypervisor and armv7 (docs/seam.md).

Fails, naming file:line, where
- a .c file of hyp/core, hyp/vdev or hyp/drivers includes an arch/ header;
- one of them reads the architecture's layouts (->arch. or ->vgic.) or a
  system register (sysreg_);
- neutral code calls an arch_ function that no contract block declares
  (the "--- implemented by arch" blocks of the neutral headers);
- the architecture or a board names a function arch_ that is not contract.
Usage: tools/check_seam.py [ROOT]
"""
import pathlib
import re
import sys

NEUTRAL = ["hyp/core", "hyp/vdev", "hyp/drivers"]
ARCH = ["hyp/arch", "platform"]
BLOCK_START = re.compile(r"--- implemented by arch\b")
BLOCK_END = re.compile(r"^/\* --- \*/")
CALL = re.compile(r"\b(arch_[a-z0-9_]+)\s*\(")
NAME = re.compile(r"\b(arch_[a-z0-9_]+)\b")


def code(line):
    """the line without its // and one-line /* */ comments (enough for this tree)"""
    return re.sub(r"/\*.*?\*/|//.*", "", line)


def files(root, dirs, exts):
    for d in dirs:
        for p in sorted((root / d).rglob("*")):
            if p.suffix in exts and p.is_file():
                yield p


def contract(root):
    """the arch_ names the neutral headers' contract blocks declare, and the block lines"""
    names, inside = set(), set()
    for p in files(root, NEUTRAL, {".h"}):
        lines = p.read_text().splitlines()
        start = None
        for i, line in enumerate(lines):
            if BLOCK_START.search(line):
                start = i
            elif start is not None and BLOCK_END.match(line):
                start = None
            if start is not None:
                inside.add((p, i))
                names.update(CALL.findall(code(line)))
    return names, inside


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    names, inside = contract(root)
    bad = []

    def at(p, i, why):
        bad.append("%s:%d: %s" % (p.relative_to(root), i + 1, why))

    for p in files(root, NEUTRAL, {".c", ".h"}):
        for i, line in enumerate(p.read_text().splitlines()):
            c = code(line)
            if p.suffix == ".c":
                if re.match(r'\s*#\s*include\s+"arch/', line):
                    at(p, i, "an arch/ header included in neutral code")
                for m in re.findall(r"->(?:arch|vgic)\.", c):
                    at(p, i, "%s: the architecture's layout read in neutral code" % m)
                if re.search(r"\bsysreg_", c):
                    at(p, i, "a system register read or written in neutral code")
            if (p, i) in inside:
                continue
            for n in CALL.findall(c):
                if n not in names:
                    at(p, i, "%s() called, but no contract block declares it" % n)
    for p in files(root, ARCH, {".c", ".h", ".S"}):
        for i, line in enumerate(p.read_text().splitlines()):
            for n in NAME.findall(code(line)):
                if n not in names:
                    at(p, i, "%s: arch_ names only the contract's functions" % n)
    for b in bad:
        print(b, flush=True)
    if bad:
        sys.exit("check-seam: %d violation%s of docs/seam.md" % (len(bad), "s"[:len(bad) > 1]))
    print("check-seam: %d contract functions, the seam holds" % len(names))


main()
