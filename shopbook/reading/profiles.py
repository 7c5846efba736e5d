"""Source profiles: the export formats of the platforms, ERPs and couriers, as data.

A profile describes one export format (淘宝 ExportOrderList, 拼多多 订单导出, 顺丰 月结账单 …):
the headers that recognise it, which of its columns is which shopbook field, its status and
payment words mapped to shopbook's values, its empty-cell words, units and quirks. The
built-in profiles are TOML files in shopbook/data/profiles/; a manager adds or corrects one in
the rules workbook (sheet 来源格式, see `from_rules_table`).

Pure: header texts in, the best profile out (`detect`), with its score, the fields it could
not place and the nearest headers seen. Only header rows are looked at, never the data.
"""
from __future__ import annotations

import difflib
import functools
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from importlib import resources

from shopbook.reading.schema import SheetKind, normalise_header

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

KINDS = ("订单", "发货", "退换货", "快递账单")
# bill fields that are not columns of the 快递账单 sheet kind: read by shopbook.courier.formats
BILL_FIELDS = ("附加费", "服务")
# the refund states a 退款状态 value is mapped to (shopbook.sheets.orders.refund_state)
REFUND_STATES = ("无", "退款中", "已退款")
MIN_COVERAGE = 0.75  # share of a profile's signature headers a header row must show
SHORT_SIGNATURE = 4  # up to this many recognising headers, all must be shown


@dataclass(frozen=True)
class Profile:
    """One export format. Field headers are alternatives in order of preference."""

    id: str
    name: str
    kind: str
    platform: str = ""
    level: str = "line"  # "order": one row per order and no item lines
    join: str = ""  # an order-level and a line-level export with the same join are merged by 订单号
    courier: str = ""  # 快递账单: the courier of every line
    signature: tuple[tuple[str, ...], ...] = ()  # header groups (alternatives) that recognise it
    headers: tuple[str, ...] = ()  # the published header list
    fields: dict = field(default_factory=dict)  # canonical -> (header, …)
    sums: dict = field(default_factory=dict)  # canonical -> (header, …) added up
    ignore: tuple[str, ...] = ()  # headers never read as any field
    values: dict = field(default_factory=dict)  # canonical -> {platform word: shopbook value}
    prefixes: dict = field(default_factory=dict)  # canonical -> {leading mark: shopbook value}
    empty: tuple[str, ...] = ()  # cell texts that mean blank
    constants: dict = field(default_factory=dict)  # canonical -> value of every row
    extras: tuple[str, ...] = ()  # 快递账单: columns of extra charges on the parcel (上楼费, 保价费)
    weight_unit: str = "kg"
    amounts_checked: bool = True  # 实付 ≈ 数量 × 单价 − 优惠 holds for this format
    repeated_lines: bool = False  # identical lines are real repeated shipments, not duplicates
    attributes: str = ""  # the field holding 颜色分类:黑色;尺码:M (颜色/尺码 are taken from it)
    name_hints: tuple[str, ...] = ()  # words of its usual file name
    sourced: bool = True  # the layout was read in public code that parses it
    files: str = ""
    encoding: str = ""
    quirks: str = ""
    sources: tuple[str, ...] = ()
    origin: str = "内置"

    def all_headers(self) -> tuple[str, ...]:
        named = [h for hs in (*self.fields.values(), *self.sums.values()) for h in hs]
        return tuple(dict.fromkeys((*self.headers, *named, *self.extras, *self.ignore)))


@dataclass(frozen=True)
class Match:
    """A header row recognised as a profile."""

    profile: Profile
    placed: dict  # canonical -> the header text as the file has it
    missing: tuple[str, ...]  # fields the format should have (required or recognising) but the row lacks
    absent: tuple[str, ...]  # optional fields of the format the row lacks
    nearest: dict  # missing field -> headers of the row that look like its header
    not_carried: tuple[str, ...]  # required fields of the sheet kind this format has no column for
    coverage: float
    score: tuple
    other: Profile | None = None  # another profile that fits as well (ambiguous)
    extras: dict = field(default_factory=dict)  # extra-charge header -> header text in the file
    sums: dict = field(default_factory=dict)  # canonical -> header texts in the file

    @property
    def label(self) -> str:
        return self.profile.name

    def as_json(self) -> dict:
        return {"format": self.profile.id, "name": self.profile.name, "kind": self.profile.kind,
                "origin": self.profile.origin, "coverage": round(self.coverage, 2),
                "missing": list(self.missing), "not_carried": list(self.not_carried)}


def key(text) -> str:
    """A header as compared: the schema's normalisation, and the ="…" export wrapper removed."""
    if text is None:
        return ""
    return _key(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:  # (cached: every profile compares the same header texts)
    return normalise_header(text.replace("=", "").replace('"', "").replace("'", ""))


def _alternatives(value) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        out += [part.strip() for part in str(item).split("|") if part.strip()]
    return tuple(out)


def _word(text: str) -> str:
    """A cell word as compared: NFKC (，→, （）→()), no spaces."""
    return unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")


# --- loading --------------------------------------------------------------------------
def from_dict(data: dict, origin: str = "内置") -> Profile:
    """A profile from its TOML table (see shopbook/data/profiles/README.md)."""
    fields, sums = {}, {}
    for name, value in (data.get("fields") or {}).items():
        if isinstance(value, dict) and "sum" in value:
            sums[name] = _alternatives(value["sum"])
        else:
            fields[name] = _alternatives(value)
    values = {k: {_word(w): str(v) for w, v in m.items()} for k, m in (data.get("values") or {}).items()}
    prefixes = {k: {_word(w): str(v) for w, v in m.items()} for k, m in (data.get("prefixes") or {}).items()}
    return Profile(
        id=str(data["id"]), name=str(data["name"]), kind=str(data["kind"]), platform=str(data.get("platform", "")),
        level=str(data.get("level", "line")), join=str(data.get("join", "")), courier=str(data.get("courier", "")),
        signature=tuple(_alternatives(g) for g in data.get("signature", ())),
        headers=tuple(data.get("headers", ())), fields=fields, sums=sums,
        ignore=tuple(data.get("ignore", ())), values=values, prefixes=prefixes,
        empty=tuple(_word(w) for w in data.get("empty", ())),
        constants={k: str(v) for k, v in (data.get("constants") or {}).items()},
        extras=tuple(data.get("extras", ())), weight_unit=str(data.get("weight_unit", "kg")),
        amounts_checked=bool(data.get("amounts_checked", True)), repeated_lines=bool(data.get("repeated_lines", False)),
        attributes=str(data.get("attributes", "")),
        name_hints=tuple(data.get("name_hints", ())), sourced=bool(data.get("sourced", True)),
        files=str(data.get("files", "")), encoding=str(data.get("encoding", "")),
        quirks=str(data.get("quirks", "")), sources=tuple(data.get("sources", ())), origin=origin)


@functools.lru_cache(maxsize=1)
def builtin() -> tuple[Profile, ...]:
    """The profiles shipped in shopbook/data/profiles/*.toml, in file-name order."""
    folder = resources.files("shopbook") / "data" / "profiles"
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            out.append(from_dict(tomllib.loads(entry.read_text(encoding="utf-8"))))
    return tuple(out)


def by_id(profiles, wanted: str) -> Profile | None:
    for p in profiles:
        if p.id == wanted or p.name == wanted:
            return p
    return None


# --- detection ------------------------------------------------------------------------
def _present(row) -> dict[str, str]:
    """Normalised header -> the text as in the file (first occurrence)."""
    out: dict[str, str] = {}
    for value in row:
        if isinstance(value, str) and value.strip():
            out.setdefault(key(value), value.strip())
    return out


def _first(alternatives, present: dict[str, str]) -> str | None:
    for alt in alternatives:
        hit = present.get(key(alt))
        if hit is not None:
            return hit
    return None


def _nearest(field_name: str, wanted: tuple[str, ...], unused: list[str]) -> tuple[str, ...]:
    """Headers of the row that look like the field's: naming the field (收货人手机号码 for 手机), or
    close to one of its headers."""
    found = [h for h in unused if field_name in h]
    for alt in wanted:
        found += difflib.get_close_matches(alt, unused, n=2, cutoff=0.4)
    return tuple(dict.fromkeys(found))[:3]


def _kind_required(kind: SheetKind) -> set[str]:
    return {c.name for c in kind.columns if c.required}


def evaluate(profile: Profile, row, kind: SheetKind, name: str = "", force: bool = False) -> Match | None:
    """How well one header row fits one profile; None when it does not fit at all. A profile
    without recognising headers fits only a file whose name says it (or with force=True)."""
    present = _present(row)
    hits = sum(1 for group in profile.signature if _first(group, present))
    named = force or (bool(name) and any(h.lower() in name.lower() for h in profile.name_hints))
    placed = {f: h for f, alts in profile.fields.items() if (h := _first(alts, present))}
    sums = {f: tuple(h for alt in alts if (h := present.get(key(alt)))) for f, alts in profile.sums.items()}
    sums = {f: hs for f, hs in sums.items() if hs}
    if profile.signature:
        coverage = hits / len(profile.signature)
        # a short list of recognising headers (顺丰: 4) must be there whole: three common bill headers
        # (计费重量, 应付金额 …) are no sign of one courier
        if hits < 2 or coverage < (1.0 if len(profile.signature) <= SHORT_SIGNATURE else MIN_COVERAGE):
            return None
    else:  # a layout known only by its usual column names: its file name must say which it is
        coverage = 0.0
        required = _kind_required(kind)
        if not named or not all(f in placed or f in sums for f in required if f in profile.fields or f in profile.sums):
            return None
    required = _kind_required(kind)
    carried = set(profile.fields) | set(profile.sums) | set(profile.constants)
    signature_fields = {f for f, alts in profile.fields.items()
                        if any(key(a) in {key(x) for g in profile.signature for x in g} for a in alts)}
    lacking = [f for f in (*profile.fields, *profile.sums) if f not in placed and f not in sums]
    missing = tuple(f for f in lacking if f in required or f in signature_fields)
    absent = tuple(f for f in lacking if f not in missing)
    known = {key(h) for h in profile.all_headers()}
    unused = [text for k, text in present.items() if k not in known]
    nearest = {f: _nearest(f, profile.fields.get(f) or profile.sums.get(f, ()), unused) for f in missing}
    extras = {h: present[key(h)] for h in profile.extras if key(h) in present}
    typical = sum(1 for h in profile.all_headers() if key(h) in present)
    score = (round(coverage, 3), named, typical, len(placed))
    return Match(profile, placed, missing, absent, nearest,
                 tuple(f for f in (c.name for c in kind.columns if c.required) if f not in carried),
                 coverage, score, extras=extras, sums=sums)


def detect(row, kinds: list[SheetKind], profiles, name: str = "") -> Match | None:
    """The profile that fits a header row best among those of the given sheet kinds, or None.
    A second profile that fits exactly as well is named in `other` (an ambiguous match)."""
    by_kind = {k.name: k for k in kinds}
    found = []
    for profile in profiles:
        kind = by_kind.get(profile.kind)
        if kind is None:
            continue
        match = evaluate(profile, row, kind, name)
        if match is not None:
            found.append(match)
    if not found:
        return None
    found.sort(key=lambda m: m.score, reverse=True)
    best = found[0]
    for other in found[1:]:
        same = other.score[0] == best.score[0] and other.score[1] == best.score[1] \
            and abs(other.score[2] - best.score[2]) <= 1
        if same and other.profile.id != best.profile.id and other.profile.signature:
            return replace(best, other=other.profile)
    return best


def find_header(head, kinds: list[SheetKind], profiles, name: str = "", rows: int = 30) -> tuple[int, Match] | None:
    """(0-based row position, match) of the best-fitting header row among the first rows."""
    best = None
    for pos in range(min(rows, len(head))):
        row = [v for v in head.iloc[pos]]
        if sum(1 for v in row if isinstance(v, str) and v.strip()) < 2:
            continue
        match = detect(row, kinds, profiles, name)
        if match is not None and (best is None or match.score > best[1].score):
            best = (pos, match)
    return best


# --- the sheet kind a match reads with ----------------------------------------------------
@dataclass(frozen=True)
class ProfiledKind(SheetKind):
    """A sheet kind read with a profile: the same columns, this format's header mapping."""

    match: Match | None = None
    lookup: dict = field(default_factory=dict)

    def header_lookup(self) -> dict[str, str]:
        return dict(self.lookup)


def profiled_kind(base: SheetKind, match: Match, row) -> ProfiledKind:
    """The sheet kind with this format's headers: each field the format places takes exactly
    that header; headers the format gives to another field (or ignores) are no alias of
    anything; required fields the format has no column for are not required (one finding says
    what cannot be checked instead of a missing-column error)."""
    columns = tuple(replace(c, required=c.required and c.name not in match.not_carried) for c in base.columns)
    return ProfiledKind(base.name, base.sheet_aliases, columns, base.group_by, match=match,
                        lookup=lookup_for(base, match, row))


def lookup_for(kind: SheetKind, match: Match, row) -> dict[str, str]:
    """Normalised header -> canonical field for a row read with a profile (headers only)."""
    present = _present(row)
    claimed = {key(h) for h in match.profile.all_headers()} & set(present)
    out: dict[str, str] = {}
    for f, h in match.placed.items():
        if any(c.name == f for c in kind.columns):
            out[key(h)] = f
            out[normalise_header(h)] = f  # as parse_table compares it (="…" kept)
    for col in kind.columns:
        if col.name in match.placed:
            continue
        for a in (col.name, *col.aliases):
            k = key(a)
            if k in claimed or k in out:
                continue
            out.setdefault(k, col.name)
    return out


# --- the rules workbook's 来源格式 sheet ---------------------------------------------------
RULES_SHEET = "来源格式"
RULES_COLUMNS = ("格式名称", "类型", "字段", "表头", "平台用语", "换成")
# 字段 values that are settings, not shopbook fields
SETTINGS = {"识别表头": "signature", "空值": "empty", "重量单位": "weight_unit", "快递公司": "courier",
            "忽略表头": "ignore", "附加费": "extras", "文件名": "name_hints", "订单级": "level"}


def from_rules_table(frame, kinds: dict[str, SheetKind], base=None) -> tuple[tuple[Profile, ...], list[tuple]]:
    """Profiles of the rules workbook's 来源格式 sheet (a long table, one setting per row:
    格式名称, 类型, 字段, 表头, 平台用语, 换成), merged with the built-in ones.

    A row naming a built-in format (its name or id) corrects it; another name adds a format.
    Returns (all profiles: the rules workbook's first, then the rest of the built-in ones),
    problems as (Excel row, value, reason) for rows that cannot be used."""
    base = builtin() if base is None else base
    columns = {normalise_header(c): c for c in frame.columns}
    missing = [c for c in ("格式名称", "类型", "字段") if normalise_header(c) not in columns]
    if missing:
        return base, [(None, "表头", f"缺少列 {'、'.join(missing)}(需要 {'、'.join(RULES_COLUMNS)})")]

    def cell(record, name):
        col = columns.get(normalise_header(name))
        value = record.get(col) if col is not None else None
        if value is None or (isinstance(value, float) and value != value):
            return ""
        return unicodedata.normalize("NFKC", str(value)).strip()

    drafts: dict[str, dict] = {}
    problems = []
    for row, record in zip(frame.index, frame.to_dict("records")):
        name, kind, what = cell(record, "格式名称"), cell(record, "类型"), cell(record, "字段")
        header, word, target = cell(record, "表头"), cell(record, "平台用语"), cell(record, "换成")
        if not any((name, kind, what, header, word, target)):
            continue
        if not name:
            problems.append((row, what or header, "没有填写格式名称"))
            continue
        known = by_id(base, name)
        draft = drafts.get(name)
        if draft is None:
            if known is not None:
                draft = {"profile": known, "changes": {}}
            elif kind not in kinds:
                problems.append((row, f"{name}: {kind or '(空)'}", f"类型应为 {'/'.join(KINDS)} 之一"))
                continue
            else:
                draft = {"profile": Profile(id=name, name=name, kind=kind, origin="规则工作簿"), "changes": {}}
            drafts[name] = draft
        profile = draft["profile"]
        if kind and kind != profile.kind:
            problems.append((row, f"{name}: {kind}", f"这个格式的类型是「{profile.kind}」"))
            continue
        reason = _apply_row(draft, kinds[profile.kind], what, header, word, target)
        if reason:
            problems.append((row, f"{name}: {what} {header or word}".strip(), reason))
    made = []
    for draft in drafts.values():
        made.append(_finish(draft))
    ids = {p.id for p in made}
    return tuple(made) + tuple(p for p in base if p.id not in ids), problems


def _apply_row(draft: dict, kind: SheetKind, what: str, header: str, word: str, target: str) -> str | None:
    """Add one 来源格式 row to a draft; the reason when it cannot be used."""
    ch = draft["changes"]
    setting = SETTINGS.get(what)
    headers = _alternatives(header.replace("、", "|"))
    if setting == "signature":
        if not headers:
            return "识别表头需要在「表头」列写表头"
        ch.setdefault("signature", []).append(headers)
    elif setting in ("ignore", "extras", "name_hints"):
        items = headers or _alternatives(target.replace("、", "|"))
        if not items:
            return f"{what}需要在「表头」列填写"
        ch.setdefault(setting, []).extend(items)
    elif setting == "empty":
        if not (word or header):
            return "空值需要在「平台用语」列写表示空白的词(如 - 或 null)"
        ch.setdefault("empty", []).append(_word(word or header))
    elif setting == "weight_unit":
        unit = (target or word or header).lower()
        if unit not in ("kg", "g", "千克", "克", "公斤"):
            return "重量单位应为 kg 或 g"
        ch["weight_unit"] = "g" if unit in ("g", "克") else "kg"
    elif setting == "courier":
        if not (target or header):
            return "快递公司需要在「换成」列写快递公司名称"
        ch["courier"] = target or header
    elif setting == "level":
        ch["level"] = "order" if (target or word or "是") in ("是", "order", "订单级") else "line"
    else:
        names = {c.name for c in kind.columns} | (set(BILL_FIELDS) if kind.name == "快递账单" else set())
        if what not in names:
            return f"「{what}」不是{kind.name}表的字段(可用: {'、'.join(sorted(names))})"
        if word or target:
            if not (word and target):
                return "取值换算需要同时填写「平台用语」和「换成」"
            allowed = _allowed_values(kind, what)
            if allowed and target not in allowed:
                return f"「换成」应为 {'/'.join(allowed)} 之一"
            ch.setdefault("values", {}).setdefault(what, {})[_word(word)] = target
        if headers:
            ch.setdefault("fields", {}).setdefault(what, []).extend(headers)
        elif not (word or target):
            return "需要填写「表头」(这个字段在导出文件里的列名)"
    return None


def _allowed_values(kind: SheetKind, what: str) -> tuple[str, ...]:
    if what == "退款状态":
        return REFUND_STATES
    try:
        col = kind.column(what)
    except KeyError:
        return ()
    return col.choices


def _finish(draft: dict) -> Profile:
    p, ch = draft["profile"], draft["changes"]
    fields = dict(p.fields)
    for f, headers in ch.get("fields", {}).items():  # the manager's headers come first
        fields[f] = tuple(dict.fromkeys((*headers, *fields.get(f, ()))))
    values = {k: dict(v) for k, v in p.values.items()}
    for f, words in ch.get("values", {}).items():
        values.setdefault(f, {}).update(words)
    signature = tuple(ch["signature"]) if "signature" in ch else p.signature
    if not signature and p.origin == "规则工作簿":  # a new format is recognised by the headers it names
        signature = tuple((h,) for hs in fields.values() for h in hs[:1])
    origin = p.origin if p.origin == "规则工作簿" else "内置(规则工作簿已修改)"
    return replace(p, fields=fields, values=values, signature=signature,
                   empty=tuple(dict.fromkeys((*p.empty, *ch.get("empty", ())))),
                   ignore=tuple(dict.fromkeys((*p.ignore, *ch.get("ignore", ())))),
                   extras=tuple(dict.fromkeys((*p.extras, *ch.get("extras", ())))),
                   name_hints=tuple(dict.fromkeys((*p.name_hints, *ch.get("name_hints", ())))),
                   weight_unit=ch.get("weight_unit", p.weight_unit), courier=ch.get("courier", p.courier),
                   level=ch.get("level", p.level), origin=origin)
