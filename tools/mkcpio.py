#!/usr/bin/python3
"""Writes a gzip'd newc cpio archive holding the given files, without root;
each file's parent directories come first (the kernel creates none itself).
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


def write(out_path, files):
    """files: [(path in the archive, file on the host)]"""
    with gzip.GzipFile(out_path, "wb", mtime=0) as out:
        ino, dirs = 1, set()
        for name, path in files:
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                d = "/".join(parts[:i])
                if d not in dirs:
                    dirs.add(d)
                    entry(out, ino, d, 0o40755, b"")
                    ino += 1
            mode = 0o100000 | (os.stat(path).st_mode & 0o777)
            entry(out, ino, name, mode, open(path, "rb").read())
            ino += 1
        entry(out, ino, "TRAILER!!!", 0, b"")


def main():
    write(sys.argv[1], [arg.split("=", 1) for arg in sys.argv[2:]])


if __name__ == "__main__":
    main()
