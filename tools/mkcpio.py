#!/usr/bin/python3
"""Writes a gzip'd newc cpio archive holding the given files, without root.
Usage: tools/mkcpio.py OUT.cpio.gz PATH_IN_ARCHIVE=FILE ...
Linux unpacks several concatenated archives in one initramfs, so this one
can follow the base initramfs (cat base.cpio.gz extra.cpio.gz)."""
import gzip
import os
import sys


def entry(out, ino, name, mode, data):
    name = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0))
    out.write(hdr.encode() + name)
    out.write(b"\0" * (-(110 + len(name)) % 4))
    out.write(data)
    out.write(b"\0" * (-len(data) % 4))


def main():
    with gzip.GzipFile(sys.argv[1], "wb", mtime=0) as out:
        ino = 1
        for arg in sys.argv[2:]:
            name, path = arg.split("=", 1)
            mode = 0o100000 | (os.stat(path).st_mode & 0o777)
            entry(out, ino, name, mode, open(path, "rb").read())
            ino += 1
        entry(out, ino, "TRAILER!!!", 0, b"")


if __name__ == "__main__":
    main()
