"""Write a VBA project (xl/vbaProject.bin) from module source text, on any OS.

Excel keeps a workbook's macros in an OLE compound file (MS-CFB) holding the streams of
MS-OVBA: `PROJECT` (text), `PROJECTwm`, `VBA/dir` (compressed records), `VBA/_VBA_PROJECT`
and one stream per module (compressed source). A project written with no compiled
p-code (`_VBA_PROJECT` version 0xFFFF, every module's source at offset 0) is what the
spec asks writers to produce; Excel compiles it from source when the workbook opens.
xlwings' own quickstart_standalone.xlsm ships such a project, and it is the template
here: its project information, references, protection fields and the xlwings and
Dictionary modules are taken from it as they are, and our modules are added to them.

Everything is deterministic (no timestamps, no random GUIDs): the same input gives the
same bytes, so the built workbooks can be checked in and rebuilt reproducibly.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile
from oletools.olevba import decompress_stream

DOCUMENT, PROCEDURAL, CLASS = "document", "procedural", "class"


@dataclass
class Module:
    """One VBA module: its name, kind and full source (Attribute lines included)."""
    name: str
    kind: str
    source: str
    docstring: str = ""


# --- MS-OVBA 2.4.1 compression ---------------------------------------------------------

def _copy_token_layout(difference: int) -> tuple[int, int]:
    """(bit count of the length part, maximum match length) at this distance into a chunk."""
    bit_count = max((difference - 1).bit_length(), 4)
    length_bits = 16 - bit_count
    return length_bits, (1 << length_bits) - 1 + 3


def _compress_chunk(data: bytes) -> bytes:
    out = bytearray()
    pos, end = 0, len(data)
    seen: dict[bytes, list[int]] = {}
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len, best_off = 0, 0
            if pos > 0 and pos + 3 <= end:
                length_bits, max_len = _copy_token_layout(pos)
                limit = min(max_len, end - pos)
                for cand in reversed(seen.get(data[pos:pos + 3], ())):
                    n = 3
                    while n < limit and data[cand + n] == data[pos + n]:
                        n += 1
                    if n > best_len:
                        best_len, best_off = n, pos - cand
                        if n == limit:
                            break
            if best_len >= 3:
                token = ((best_off - 1) << length_bits) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for i in range(pos, pos + step):
                if i + 3 <= end:
                    seen.setdefault(data[i:i + 3], []).append(i)
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """MS-OVBA compressed container of `data`."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start:start + 4096]
        packed = _compress_chunk(chunk)
        if len(packed) <= 4096:
            out += struct.pack("<H", 0xB000 | (len(packed) + 2 - 3)) + packed
        elif len(chunk) == 4096:  # incompressible: stored raw
            out += struct.pack("<H", 0x3FFF) + chunk
        else:
            raise ValueError("an incompressible last chunk cannot be stored without padding")
    return bytes(out)


# --- MS-CFB compound file writer -------------------------------------------------------

FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list | None = None
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    black: bool = True
    start: int = ENDOFCHAIN
    size: int = 0


def _cfb_key(name: str):
    return (len(name), name.upper())


def _balanced(ids: list[int], entries: list[_Entry], depth: int, last_level: int) -> int:
    """Root of a balanced sibling tree over `ids` (sorted); the deepest level is red when
    it is not full, which keeps every path's black count equal (a valid red-black tree)."""
    if not ids:
        return NOSTREAM
    mid = len(ids) // 2
    node = entries[ids[mid]]
    node.black = depth != last_level
    node.left = _balanced(ids[:mid], entries, depth + 1, last_level)
    node.right = _balanced(ids[mid + 1:], entries, depth + 1, last_level)
    return ids[mid]


def _link_siblings(entries: list[_Entry]) -> None:
    for entry in entries:
        if entry.children:
            ids = sorted(entry.children, key=lambda i: _cfb_key(entries[i].name))
            deepest = len(ids).bit_length() - 1  # a midpoint tree fills every level above it
            full = len(ids) == 2 ** (deepest + 1) - 1
            entry.child = _balanced(ids, entries, 0, -1 if full else deepest)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding `streams` ({'VBA/dir': bytes, 'PROJECT': …})."""
    entries = [_Entry("Root Entry", 5, children=[])]
    storages = {"": 0}
    for path in sorted(streams):
        parts = path.split("/")
        parent = ""
        for depth, part in enumerate(parts[:-1]):
            key = "/".join(parts[:depth + 1])
            if key not in storages:
                entries.append(_Entry(part, 1, children=[]))
                storages[key] = len(entries) - 1
                entries[storages[parent]].children.append(storages[key])
            parent = key
        entries.append(_Entry(parts[-1], 2, data=streams[path], size=len(streams[path])))
        entries[storages[parent]].children.append(len(entries) - 1)
    _link_siblings(entries)

    # small streams live in the mini stream (64-byte sectors), the rest in 512-byte sectors
    mini = bytearray()
    mini_fat: list[int] = []
    big = [e for e in entries if e.kind == 2 and e.size >= MINI_CUTOFF]
    for e in entries:
        if e.kind == 2 and e.size < MINI_CUTOFF and e.size:
            count = -(-e.size // MINI_SECTOR)
            e.start = len(mini_fat)
            mini_fat += list(range(e.start + 1, e.start + count)) + [ENDOFCHAIN]
            mini += e.data + b"\0" * (count * MINI_SECTOR - e.size)

    def sectors(n_bytes: int) -> int:
        return -(-n_bytes // SECTOR)

    n_dir = sectors(len(entries) * 128)
    n_minifat = sectors(len(mini_fat) * 4)
    n_mini = sectors(len(mini))
    n_big = sum(sectors(e.size) for e in big)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_dir + n_minifat + n_mini + n_big:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for a header-only DIFAT")

    fat = [FATSECT] * n_fat
    data = bytearray()

    def place(payload: bytes, count: int) -> int:
        first = len(fat)
        fat.extend(list(range(first + 1, first + count)) + [ENDOFCHAIN] if count else [])
        data.extend(payload + b"\0" * (count * SECTOR - len(payload)))
        return first if count else ENDOFCHAIN

    dir_start = len(fat)
    fat.extend(list(range(dir_start + 1, dir_start + n_dir)) + [ENDOFCHAIN])
    minifat_start = place(b"".join(struct.pack("<I", v) for v in mini_fat), n_minifat)
    entries[0].start = place(bytes(mini), n_mini)
    entries[0].size = len(mini)
    for e in big:
        e.start = place(e.data, sectors(e.size))
    fat += [FREESECT] * (n_fat * (SECTOR // 4) - len(fat))

    directory = bytearray()
    for e in entries:
        name = e.name.encode("utf-16-le") + b"\0\0"
        directory += name + b"\0" * (64 - len(name))
        directory += struct.pack("<HBBIII", len(name), e.kind, 1 if e.black else 0, e.left, e.right, e.child)
        directory += b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16
        if e.kind == 1:  # a storage has no data of its own
            start, size = 0, 0
        else:
            start, size = (e.start if e.size else ENDOFCHAIN), e.size
        directory += struct.pack("<IQ", start, size)
    while len(directory) % SECTOR:
        directory += b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 48

    header = bytearray(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, MINI_CUTOFF,
                          minifat_start if n_minifat else ENDOFCHAIN, n_minifat, ENDOFCHAIN, 0)
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    header += b"".join(struct.pack("<I", v) for v in difat)
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    body = fat_bytes + bytes(directory) + bytes(data)
    assert len(body) == (n_fat + n_dir + n_minifat + n_mini + n_big) * SECTOR
    # directory sectors sit right after the FAT; the data sectors were numbered after them
    return bytes(header) + body


# --- reading the template project ------------------------------------------------------

@dataclass
class Template:
    info_and_references: bytes  # dir records before PROJECTMODULES, as Excel wrote them
    project_lines: list[str]  # PROJECT stream lines that are not about modules
    vba_project: bytes  # the _VBA_PROJECT stream (no performance cache)
    modules: dict[str, Module]
    codepage: str


def _records(dir_bytes: bytes):
    """(id, payload, raw) for each record of a decompressed dir stream."""
    i = 0
    while i < len(dir_bytes):
        rid, size = struct.unpack_from("<HI", dir_bytes, i)
        if rid == 0x0009:  # PROJECTVERSION: Reserved(4) + major(4) + minor(2)
            size = 6
        yield rid, dir_bytes[i + 6:i + 6 + size], dir_bytes[i:i + 6 + size]
        i += 6 + size


_KINDS = {"Document": DOCUMENT, "Module": PROCEDURAL, "Class": CLASS}


def read_template(vba_bin: bytes) -> Template:
    ole = olefile.OleFileIO(io.BytesIO(vba_bin))
    dir_bytes = decompress_stream(bytearray(ole.openstream("VBA/dir").read()))
    codepage = "cp1252"
    for rid, payload, _ in _records(dir_bytes):
        if rid == 0x0003:
            codepage = f"cp{struct.unpack('<H', payload)[0]}"
            break
    project = ole.openstream("PROJECT").read().decode(codepage)
    kinds, lines = {}, []
    for line in project.split("\r\n"):
        if line.startswith("[Workspace]"):
            break
        m = re.match(r"^(Document|Module|Class|Package|BaseClass)=([^/]+)", line)
        if m:
            kinds[m[2]] = _KINDS.get(m[1], DOCUMENT)
        else:
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()

    head = bytearray()
    modules: dict[str, Module] = {}
    current: dict = {}
    in_modules = False
    for rid, payload, raw in _records(dir_bytes):
        if rid == 0x000F:
            in_modules = True
        if not in_modules:
            head += raw
        elif rid == 0x0019:
            current = {"name": payload.decode(codepage), "doc": ""}
        elif rid == 0x001A:
            current["stream"] = payload.decode(codepage)
        elif rid == 0x001C:
            current["doc"] = payload.decode(codepage)
        elif rid == 0x0031:
            current["offset"] = struct.unpack("<I", payload)[0]
        elif rid == 0x002B:
            stream = ole.openstream("VBA/" + current["stream"]).read()
            source = decompress_stream(bytearray(stream[current["offset"]:])).decode(codepage)
            name = current["name"]
            modules[name] = Module(name, kinds.get(name, PROCEDURAL), source, current["doc"])
    return Template(bytes(head), lines, ole.openstream("VBA/_VBA_PROJECT").read(), modules, codepage)


def template_from_xlsm(path: Path) -> Template:
    with zipfile.ZipFile(path) as zf:
        return read_template(zf.read("xl/vbaProject.bin"))


# --- writing ---------------------------------------------------------------------------

def _record(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


def _module_records(module: Module, codepage: str) -> bytes:
    name = module.name.encode(codepage)
    wide = module.name.encode("utf-16-le")
    return (_record(0x0019, name) + _record(0x0047, wide)
            + _record(0x001A, name) + _record(0x0032, wide)
            + _record(0x001C, module.docstring.encode(codepage))
            + _record(0x0048, module.docstring.encode("utf-16-le"))
            + _record(0x0031, struct.pack("<I", 0))  # source at offset 0: no p-code
            + _record(0x001E, struct.pack("<I", 0))
            + _record(0x002C, struct.pack("<H", 0xFFFF))
            + _record(0x0021 if module.kind == PROCEDURAL else 0x0022, b"")
            + _record(0x002B, b""))


def _crlf(text: str) -> str:
    return re.sub(r"\r?\n", "\r\n", text)


def build(template: Template, modules: list[Module]) -> bytes:
    """vbaProject.bin bytes holding `modules` (documents first, as Excel orders them)."""
    cp = template.codepage
    dir_stream = (template.info_and_references
                  + _record(0x000F, struct.pack("<H", len(modules)))
                  + _record(0x0013, struct.pack("<H", 0xFFFF))
                  + b"".join(_module_records(m, cp) for m in modules)
                  + struct.pack("<HI", 0x0010, 0))
    streams = {"VBA/dir": compress(dir_stream), "VBA/_VBA_PROJECT": template.vba_project}
    for m in modules:
        streams[f"VBA/{m.name}"] = compress(_crlf(m.source).encode(cp))
    lines = [template.project_lines[0]]  # ID="{...}"
    for m in modules:
        lines.append({DOCUMENT: f"Document={m.name}/&H00000000", PROCEDURAL: f"Module={m.name}",
                      CLASS: f"Class={m.name}"}[m.kind])
    lines += template.project_lines[1:]
    lines += ["", "[Workspace]"] + [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    streams["PROJECT"] = ("\r\n".join(lines) + "\r\n").encode(cp)
    streams["PROJECTwm"] = b"".join(m.name.encode(cp) + b"\0" + m.name.encode("utf-16-le") + b"\0\0"
                                    for m in modules) + b"\0\0"
    return compound_file(streams)


def document_module(template: Template, name: str, like: str) -> Module:
    """A worksheet/workbook module named `name`, made from the template's module `like`."""
    source = template.modules[like].source.replace(f'VB_Name = "{like}"', f'VB_Name = "{name}"', 1)
    return Module(name, DOCUMENT, source)


def standard_module(name: str, code: str) -> Module:
    return Module(name, PROCEDURAL, f'Attribute VB_Name = "{name}"\n{code}')
