"""Finding the month's workbooks in a folder: every workbook directly in it, each sheet
recognised by its name or header row (whatever the file names); shopbook's own outputs and the
backups of --in-place are not inputs."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.courier.job import COURIER_BILL, REGISTER_COLUMNS
from shopbook.sheets.orders import ORDERS
from shopbook.payroll.counts import PACK_COLUMNS
from shopbook.payroll.sheets import EMPLOYEES
from shopbook.reading import fast
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import Workbook, open_workbook
from shopbook.reading.profiles import ProfiledKind
from shopbook.reading.schema import SheetKind, normalise_header
from shopbook.reading.together import read_together
from shopbook.reading.tables import Table, _fill_from_group, assign_sheets, parse_table, recognise
from shopbook.sheets.returns import RETURNS
from shopbook.sheets.reviews import REVIEWS
from shopbook.sheets.shipping import SHIPPING
from shopbook.sheets.adjustments import ADJUSTMENTS
from shopbook.sheets.inbound import INBOUND
from shopbook.sheets.opening import OPENING
from shopbook.sheets.purchases import PURCHASES
from shopbook.sheets.stock import STOCK
from shopbook.rules.words import RULES_SHEETS
from shopbook.writing import marks

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
LEDGER = (ORDERS, SHIPPING, RETURNS, STOCK)
# the stock ledger's registers (入库, 采购清单, 库存调整, 期初): when kept, 库存预警 uses the computed 可售
STOCK_LEDGER = (INBOUND, PURCHASES, ADJUSTMENTS, OPENING)
STOCK_ATTR = {INBOUND.name: "inbound", PURCHASES.name: "purchases", ADJUSTMENTS.name: "adjustments",
              OPENING.name: "opening"}
KINDS = LEDGER + (COURIER_BILL, EMPLOYEES) + STOCK_LEDGER
ATTR = {ORDERS.name: "orders", SHIPPING.name: "shipping", RETURNS.name: "returns", STOCK.name: "stock"}
WHAT = {ORDERS.name: "订单表", SHIPPING.name: "发货表", RETURNS.name: "退换货表", STOCK.name: "库存表",
        COURIER_BILL.name: "快递账单", EMPLOYEES.name: "工资工作簿(员工表)", INBOUND.name: "入库登记",
        PURCHASES.name: "采购清单", ADJUSTMENTS.name: "库存调整", OPENING.name: "期初库存", REVIEWS.name: "评价登记表"}
SECTION = {ORDERS.name: "客服业绩、客服日报", SHIPPING.name: "准时发货率", RETURNS.name: "退换货分析、退款率",
           STOCK.name: "库存预警", COURIER_BILL.name: "快递对账", EMPLOYEES.name: "工资汇总",
           REVIEWS.name: "客服业绩的好评改善"}
PREVIOUS_FOLDER = "上月"
# the 订单 columns the month reads (the rest is validate's business): a busy month's 订单 parses
# in a fraction of the time. All columns when the stock ledger's registers are kept (its 可售
# needs more of them).
ORDER_COLUMNS = ("订单号", "下单时间", "付款时间", "付款方式", "状态", "退款状态", "退款金额", "实付金额", "数量", "单价",
                 "优惠", "旗帜", "备注", "客服", "归属客服", "商品编码", "商品名称", "颜色", "尺码")
# the 发货 columns: the reconciliation's, 类型 (补发 rows are no first shipment) and 包装人 (payroll's
# 发货单数, counted from the same parse)
SHIPPING_COLUMNS = tuple(dict.fromkeys(REGISTER_COLUMNS + ("类型",) + PACK_COLUMNS))


# --- finding the month's workbooks ----------------------------------------------------------
@dataclass
class Found:
    path: Path
    sheet: str
    header_pos: int
    by_name: bool


@dataclass
class Folder:
    """What a month folder holds: per sheet kind the sheets found, the bill files, a rules
    workbook, and files that could not be opened."""

    path: Path
    sheets: dict = field(default_factory=dict)  # kind name -> [Found]
    bills: list = field(default_factory=list)
    rules: Path | None = None
    books: dict = field(default_factory=dict)  # path -> TextBook (.xlsx) or Workbook (.xls, .csv)
    problems: list = field(default_factory=list)

    def workbook(self, path: Path) -> Workbook:
        """The workbook read with its cells' own types (shopbook.reading.files), for the readers
        that need them (payroll, the stock ledger, a platform's exports)."""
        book = self.books[path]
        return book.workbook() if isinstance(book, TextBook) else book


class TextBook:
    """An .xlsx/.xlsm read by fastexcel with every cell as text (shopbook.reading.fast.Book), each
    sheet once: enough to recognise every sheet by its name or header row (the interface of
    Workbook that shopbook.reading.tables.assign_sheets uses) and to parse the month's tables."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._book = fast.Book(self.path)
        self.sheet_names = self._book.sheet_names
        self._frames: dict = {}
        self._heads: dict = {}
        self._general: Workbook | None = None
        self._tables: dict = {}  # (sheet, header position, kind name) -> [(columns parsed, Table)]

    def strings(self, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        if name not in self._frames:
            self._frames[name] = self._book.strings(name)
        return self._frames[name]

    def head(self, name: str, rows: int = 30) -> pd.DataFrame:
        if name not in self._heads:  # (asked once per sheet kind: made once)
            self._heads[name] = fast._head(self.strings(name)[0])
        return self._heads[name].head(rows)

    def workbook(self) -> Workbook:
        """The same file read with its cells' own types (shopbook.reading.files), for the readers
        that need them (payroll, the stock ledger, a platform's exports); opened once."""
        if self._general is None:
            self._general = open_workbook(self.path)
        return self._general

    def table(self, sheet: str, kind: SheetKind, header_pos: int, profiles=None,
              columns: tuple[str, ...] | None = None) -> Table:
        """The sheet parsed as `kind` from its text (shopbook.reading.fast, only `columns` when
        given): the same values the general reader gives. A sheet in a platform's export format
        (shopbook.reading.profiles) is read by the general reader, which knows the formats' words."""
        name = f"{self.path.stem} {sheet}"
        header = self.head(sheet).iloc[header_pos]
        if isinstance(recognise(kind, header, profiles, name), ProfiledKind):
            return parse_table(self.workbook().sheet(sheet), kind, header_pos, profiles, name=name)
        wanted = frozenset(c.name for c in kind.columns if columns is None or c.name in columns)
        parsed = self._tables.setdefault((sheet, header_pos, kind.name), [])
        for done, table in parsed:
            if wanted <= done:
                return table if wanted == done else _narrowed(table, kind, wanted)
        frame, problems = self.strings(sheet)
        table = _text_table(frame, problems, Found(self.path, sheet, header_pos, False), kind, columns)
        parsed.append((wanted, table))
        return table


def _narrowed(table: Table, kind: SheetKind, wanted: frozenset) -> Table:
    """A sheet parsed once with more columns, as a reader of fewer sees it (the month parses 订单
    and 发货 for itself; payroll's 绩效 counts then take theirs from the same parse). Rows blank in
    every wanted column may stay: they carry nothing for that reader."""
    keep = [c for c in table.data.columns if c in wanted]
    headers = {c: h for c, h in table.headers.items() if c in wanted}
    shown = set(headers.values()) | set(headers) | {""}
    findings = table.findings[table.findings["column"].fillna("").isin(shown)]
    return Table(kind, table.sheet, table.header_row, table.data[keep], table.raw[[c for c in table.raw if c in wanted]],
                 {c: v for c, v in table.letters.items() if c in wanted}, headers, findings, table.extra, table.profile)


def open_book(path: Path):
    """A TextBook for an .xlsx/.xlsm (after the same safety checks), else the general reader."""
    if fast.check_file(path) == "xlsx":
        return TextBook(path)
    return open_workbook(path)


def read_table(folder: Folder, hit: Found, kind: SheetKind, profiles=None,
               columns: tuple[str, ...] | None = None) -> Table:
    """The parsed table of a sheet found in the folder: an .xlsx sheet from its text (TextBook.table),
    an .xls/.csv by the general reader."""
    book = folder.books[hit.path]
    if isinstance(book, TextBook):
        return book.table(hit.sheet, kind, hit.header_pos, profiles, columns)
    return parse_table(book.sheet(hit.sheet), kind, hit.header_pos, profiles, name=f"{hit.path.stem} {hit.sheet}")


def _text_table(frame: pd.DataFrame, problems: pd.DataFrame, hit: Found, kind: SheetKind,
                columns: tuple[str, ...] | None) -> Table:
    parsed = fast.parse_strings(frame, kind, hit.sheet, hit.header_pos, path=hit.path, columns=columns,
                                problems=problems)
    data = parsed.data
    for col in kind.columns:  # order-level cells typed on an order's first line only
        if col.per_group and col.name in data and kind.group_by in data:
            data[col.name] = _fill_from_group(data, kind.group_by, col.name)
    lookup = kind.header_lookup()
    positions: dict = {}
    for pos, text in frame.iloc[hit.header_pos].items():
        canonical = lookup.get(normalise_header(text)) if isinstance(text, str) else None
        if canonical in data and canonical not in positions:
            positions[canonical] = pos
    raw = frame.loc[data.index, list(positions.values())]  # the cells as text (blank: NaN, as findings take it)
    raw.columns = list(positions)
    return Table(kind, hit.sheet, parsed.header_row, data, raw, parsed.letters, parsed.headers, parsed.findings)


def is_rules_book(book: Workbook) -> bool:
    names = {normalise_header(n) for n in book.sheet_names}
    return "参数" in names and bool(names & {normalise_header(n) for n in RULES_SHEETS})


def _named(sheet: str, kind) -> bool:
    return normalise_header(sheet) in {normalise_header(n) for n in (kind.name, *kind.sheet_aliases)}


def _opened(path: Path):
    """The workbook, opened and every sheet read (classifying looks at every sheet, and parsing
    takes the same reads), or the UnusableInput that says why it cannot be; a sheet that cannot be
    read says so again when it is classified."""
    try:
        book = open_book(path)
    except UnusableInput as exc:
        return exc
    for name in book.sheet_names:
        try:
            book.head(name)
        except UnusableInput:
            pass
    return book


def scan_folder(folder: Path, *, skip: tuple[Path, ...] = ()) -> Folder:
    """Classify every workbook directly in `folder` (not its subfolders) by its sheets.
    Workbooks shopbook wrote (marked, shopbook.writing.marks: 对账结果, 校验结果, 拣货单,
    工资结果, 月报 — whatever their file name) and the backups of --in-place are not inputs."""
    if not folder.exists():
        raise UnusableInput(f"{folder}: 文件夹不存在。请检查 --in 的路径。")
    if not folder.is_dir():
        raise UnusableInput(f"{folder}: 不是文件夹。--in 应指向存放本月各工作簿的文件夹。")
    skipped = {p.resolve() for p in skip if p}
    out = Folder(folder)
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".", "月报-"))
                   and p.resolve() not in skipped and not marks.not_an_input(p))
    for path, book in zip(files, read_together(*(functools.partial(_opened, p) for p in files))):
        if isinstance(book, UnusableInput):
            exc = book
            out.problems.append(fnd.sheet_level(path.name, "month-section-unusable", value=path.name,
                                                what=f"文件 {path.name} ", reason=str(exc), section="(未知)"))
            continue
        if is_rules_book(book):
            out.rules = out.rules or path
            continue
        try:
            found = assign_sheets(book, list(KINDS))
        except UnusableInput as exc:
            out.problems.append(fnd.sheet_level(path.name, "month-section-unusable", value=path.name,
                                                what=f"文件 {path.name} ", reason=str(exc), section="(未知)"))
            continue
        has_bill = COURIER_BILL.name in found
        if has_bill:
            out.bills.append(path)
            out.books[path] = book  # its sheets read as text already: the reconciliation takes them
        for kind in KINDS:
            if kind.name not in found or kind is COURIER_BILL:
                continue
            sheet, pos = found[kind.name]
            by_name = _named(sheet, kind)
            if has_bill and not by_name:
                continue  # a second courier sheet looks like a shipping register by its headers
            out.sheets.setdefault(kind.name, []).append(Found(path, sheet, pos, by_name))
            out.books[path] = book
        review = _review_sheet(book, found)
        if review is not None:
            out.sheets.setdefault(REVIEWS.name, []).append(review)
            out.books[path] = book
    return out


def _review_sheet(book, taken: dict) -> Found | None:
    """The 评价 register of a workbook (the 客服 workbook of `shopbook today`), looked for after the
    month's other kinds so that it never takes a sheet from them: by its name, or by a header row
    that has the register's required columns (评价日期, 评价类型 …)."""
    hit = assign_sheets(book, [REVIEWS]).get(REVIEWS.name)
    if hit is None or hit[0] in {sheet for sheet, _ in taken.values()}:
        return None
    sheet, pos = hit
    by_name = _named(sheet, REVIEWS)
    if not by_name:
        lookup = REVIEWS.header_lookup()
        present = {lookup.get(normalise_header(v)) for v in book.head(sheet).iloc[pos] if isinstance(v, str)}
        if any(c.required and c.name not in present for c in REVIEWS.columns):
            return None
    return Found(book.path, sheet, pos, by_name)


def choose(folder: Folder, kind) -> tuple[Found | None, pd.DataFrame]:
    """The sheet used for a kind: one named exactly as the kind (订单), then by an alias (订单明细),
    then by its headers, first file by name within each; a note when there are several."""
    def rank(found: Found) -> int:
        if normalise_header(found.sheet) == normalise_header(kind.name):
            return 0
        return 1 if found.by_name else 2
    candidates = sorted(folder.sheets.get(kind.name, []), key=rank)
    if not candidates:
        return None, fnd.empty()
    note = fnd.empty()
    if len(candidates) > 1:
        note = fnd.sheet_level(candidates[0].sheet, "month-several-sources", what=WHAT[kind.name],
                               files="、".join(f"{c.path.name}「{c.sheet}」" for c in candidates),
                               used=f"{candidates[0].path.name}「{candidates[0].sheet}」")
    return candidates[0], note


def missing(kind, folder: Path) -> pd.DataFrame:
    return fnd.sheet_level(folder.name, "month-section-missing", what=WHAT[kind.name], section=SECTION[kind.name])


def unusable(kind, exc: Exception) -> pd.DataFrame:
    return fnd.sheet_level(WHAT[kind.name], "month-section-unusable", what=WHAT[kind.name], reason=str(exc),
                           section=SECTION[kind.name])


