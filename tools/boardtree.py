"""The host board's device tree, read for tools/mkguests.py's passthrough keys.

Reads a flattened device tree (devicetree.org spec v0.4, chapter 5: header, structure
block of BEGIN_NODE/PROP/END_NODE tokens, strings block) into nodes, and answers what
the manifest's checks ask: a node's registers as CPU physical addresses (through every
parent bus's `ranges`, 2.3.8) and its interrupts as GIC ids (through its interrupt
parent, and an `interrupt-map` on the way, 2.4).
"""
import struct

FDT_MAGIC, BEGIN, END, PROP, NOP, FDT_END = 0xd00dfeed, 1, 2, 3, 4, 9


class Node:
    def __init__(self, name, parent):
        self.name, self.parent, self.props, self.children = name, parent, {}, []

    def path(self):
        return "/" if self.parent is None else \
            (self.parent.path().rstrip("/") + "/" + self.name)

    def cells(self, prop):
        v = self.props.get(prop, b"")
        return list(struct.unpack(">%dI" % (len(v) // 4), v[:len(v) // 4 * 4]))

    def cell(self, prop, default):
        c = self.cells(prop)
        return c[0] if c else default

    def strings(self, prop):
        return [s.decode() for s in self.props.get(prop, b"").split(b"\0") if s]


def read(path):
    """the tree's root node; raises ValueError if the file is no device tree"""
    blob = open(path, "rb").read()
    magic, _, off_struct, off_strings = struct.unpack(">4I", blob[:16])
    if magic != FDT_MAGIC:
        raise ValueError("%s is not a flattened device tree" % path)
    pos, node, root = off_struct, None, None
    while True:
        tok, = struct.unpack(">I", blob[pos:pos + 4])
        pos += 4
        if tok == BEGIN:
            end = blob.index(b"\0", pos)
            node = Node(blob[pos:end].decode(), node)
            if node.parent:
                node.parent.children.append(node)
            root = root or node
            pos = (end + 4) & ~3
        elif tok == END:
            node = node.parent
        elif tok == PROP:
            size, name_off = struct.unpack(">II", blob[pos:pos + 8])
            name = blob[off_strings + name_off:blob.index(b"\0", off_strings + name_off)].decode()
            node.props[name] = blob[pos + 8:pos + 8 + size]
            pos = (pos + 8 + size + 3) & ~3
        elif tok == FDT_END:
            return root
        elif tok != NOP:
            raise ValueError("%s: bad token %d at %#x" % (path, tok, pos - 4))


def walk(node):
    yield node
    for c in node.children:
        yield from walk(c)


def find(root, path):
    """a node by its full path ("/pl031@9010000"), an alias ("serial1"), or the first
    with a compatible string ("arm,pl031": one manifest for both boards); None if none"""
    aliases = next((c for c in root.children if c.name == "aliases"), None)
    if aliases and not path.startswith("/") and path in aliases.props:
        path = aliases.strings(path)[0]
    for n in walk(root):
        if n.path() == path or not path.startswith("/") and path in n.strings("compatible"):
            return n
    return None


def number(cells):
    v = 0
    for c in cells:
        v = v << 32 | c
    return v


def regs(node):
    """[(base, size)] of the node, in the CPU's physical address space"""
    parent = node.parent
    ac, sc = parent.cell("#address-cells", 2), parent.cell("#size-cells", 1)
    c, out = node.cells("reg"), []
    for i in range(0, len(c) - ac - sc + 1, ac + sc):
        addr, size = c[i:i + ac], number(c[i + ac:i + ac + sc])
        bus = parent
        while bus.parent is not None:          # up through each bus's ranges
            if "ranges" not in bus.props:
                addr = None                    # not mapped into the cpu's space
                break
            up = bus.parent
            pac, bac, bsc = up.cell("#address-cells", 2), len(addr), bus.cell("#size-cells", 1)
            r, hit = bus.cells("ranges"), not bus.cells("ranges")
            for j in range(0, len(r), bac + pac + bsc):
                child, par, rsize = r[j:j + bac], r[j + bac:j + bac + pac], \
                    number(r[j + bac + pac:j + bac + pac + bsc])
                if child[:-1] == addr[:-1] and child[-1] <= addr[-1] < child[-1] + rsize:
                    addr, hit = par[:-1] + [par[-1] + addr[-1] - child[-1]], True
                    break
            if not hit:
                addr = None
                break
            bus = up
        if addr is not None:
            out.append((number(addr), size))
    return out


def by_phandle(root, ph):
    return next((n for n in walk(root) if n.cell("phandle", None) == ph), None)


def irqs(root, node):
    """the node's interrupts as GIC ids (SPI n: 32 + n, PPI n: 16 + n), with their flags"""
    spec, child, out = node.cells("interrupts"), node, []
    par = node
    while True:                                # its interrupt parent (2.4.1)
        ph = par.cell("interrupt-parent", None)
        par = by_phandle(root, ph) if ph is not None else par.parent
        if par is None or "#interrupt-cells" in par.props:
            break
    while par is not None and spec:
        n = par.cell("#interrupt-cells", 1)
        if "interrupt-controller" in par.props:
            for i in range(0, len(spec) - 2, 3):
                out.append(((32 if spec[i] == 0 else 16) + spec[i + 1], spec[i + 2]))
            return out
        mapped, target = [], None              # through the nexus's interrupt-map (2.4.3)
        ac = par.cell("#address-cells", 0)
        unit = (child.cells("reg") + [0] * ac)[:ac]
        mask, imap = par.cells("interrupt-map-mask"), par.cells("interrupt-map")
        for k in range(0, len(spec), n):
            key = [a & m for a, m in zip(unit + spec[k:k + n], mask)]
            j = 0
            while j < len(imap):
                target = by_phandle(root, imap[j + ac + n])
                tac, tn = target.cell("#address-cells", 0), target.cell("#interrupt-cells", 1)
                if imap[j:j + ac + n] == key:
                    mapped += imap[j + ac + n + 1 + tac:j + ac + n + 1 + tac + tn]
                    break
                j += ac + n + 1 + tac + tn
            else:
                target = None
        spec, child, par = mapped, par, target
    return out
