"""Reading the inputs of 快递对账: bill files (one file, several, or a folder of them) and the
shipping register, through the fast path (shopbook.courier.formats knows the couriers' own
layouts); which file is a bill and which a register; where a job finding sits in the bill.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shopbook.courier import formats as courier_formats
from shopbook.courier.job import COURIER_BILL, REGISTER_COLUMNS, courier_in_name, stated_total_check
from shopbook.core import findings as fnd
from shopbook.reading import fast
from shopbook.core.errors import UnusableInput
from shopbook.reading.schema import normalise_header
from shopbook.rules import Rules
from shopbook.rules.prices import price_sheet
from shopbook.sheets.shipping import SHIPPING
from shopbook.writing import marks

BILL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
BILL_NEEDS = courier_formats.BILL_NEEDS


# --- reading ------------------------------------------------------------------------------
@dataclass
class BillInput:
    """Every bill line found, in file order: canonical columns plus `_source` (file/sheet),
    `_row` (Excel row), `_digits_lost`/`_shown` (waybills stored as numbers that lost digits)."""

    data: pd.DataFrame
    findings: pd.DataFrame
    files: list[Path]
    tables: list = field(default_factory=list)
    letters: dict = field(default_factory=dict)  # source -> {canonical column: letter}
    headers: dict = field(default_factory=dict)  # source -> {canonical column: header text}
    formats: list = field(default_factory=list)  # (source, how it was read: format, units converted …)
    unread: list = field(default_factory=list)  # (file, why) of files that were not reconciled
    keys: object = None  # courier.steps.BillKeys of `data`, when made beside the register's read

    def strip_source_prefix(self, prefix: str) -> None:
        """Name the lines' sources without `prefix` (file: of a copy standing for a workbook)."""
        self.data["_source"] = self.data["_source"].str.removeprefix(prefix)
        self.findings["sheet"] = self.findings["sheet"].str.removeprefix(prefix)
        self.letters = {k.removeprefix(prefix): v for k, v in self.letters.items()}
        self.headers = {k.removeprefix(prefix): v for k, v in self.headers.items()}


RESULT_SHEETS = ("对账汇总", "争议明细")  # a workbook with both is a result this command wrote


def is_result_workbook(path: Path) -> bool:
    """Whether an .xlsx is a result workbook of this command (its 争议明细 sheet has bill-like
    headers 快递单号/账单重量/金额 and would otherwise be read as a bill). Reads only the zip's
    workbook.xml, so it costs nothing on a big file."""
    import zipfile

    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return False  # not a regular file (a pipe would block): the reader says what it is
    try:
        with zipfile.ZipFile(path) as z:
            text = z.read("xl/workbook.xml")[:200_000].decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError):
        return False
    return all(f'name="{name}"' in text for name in RESULT_SHEETS)


def bill_files(path: Path, exclude: Path | list[Path] | None = None) -> list[Path]:
    """A bill file itself, or the bill files of a folder (not Office lock files, not `exclude`
    (the register, the output), not a workbook shopbook wrote (shopbook.writing.marks) nor a
    backup of one, not a result workbook of an earlier run)."""
    if not path.exists():
        raise UnusableInput(f"{path}: 文件或文件夹不存在。请检查路径。")
    if not path.is_dir():
        if is_result_workbook(path) or marks.output_job(path) is not None:
            raise UnusableInput(f"{path}: 这是 shopbook 写出的结果工作簿,不是快递公司的账单。")
        return [path]
    excluded = exclude if isinstance(exclude, list) else [exclude] if exclude else []
    skip = {p.resolve() for p in excluded if p is not None}
    files = sorted(p for p in path.iterdir()
                   if p.is_file() and p.suffix.lower() in BILL_SUFFIXES and not p.name.startswith(("~$", "."))
                   and p.resolve() not in skip and not marks.not_an_input(p) and not is_result_workbook(p))
    if not files:
        raise UnusableInput(f"{path}: 文件夹里没有 .xlsx/.xls/.csv 账单文件。")
    return files



# --- a bill or a shipping register? ------------------------------------------------------
BILL_WORD, REGISTER_WORD = "快递账单", "发货登记表"
_SHARED = {"快递单号", "快递公司", "运费"}  # columns both kinds have: they tell nothing


def _own_headers(kind, other) -> dict[str, str]:
    """Normalised header spellings only `kind` knows, for columns `other` has no like of."""
    theirs = other.header_lookup()
    return {h: c for h, c in kind.header_lookup().items() if h not in theirs and c not in _SHARED}


_BILL_ONLY = _own_headers(COURIER_BILL, SHIPPING)  # 计费重量/结算重量, 结算金额/应付金额, 揽收日期, 目的地 …
_REGISTER_ONLY = _own_headers(SHIPPING, COURIER_BILL)  # 订单号, 收件人, 包装人, 件数, 发货日期, 签收日期 …
_WAYBILL = {h for kind in (COURIER_BILL, SHIPPING) for h, c in kind.header_lookup().items() if c == "快递单号"}


def _named_as(sheet: str, kind) -> bool:
    return normalise_header(sheet) in {normalise_header(n) for n in (kind.name, *kind.sheet_aliases)}


def sheet_looks_like(sheet: str, header_texts) -> tuple[str | None, list[str]]:
    """Which input of a reconciliation a sheet is, from its name and header row: (BILL_WORD,
    REGISTER_WORD or None, the header texts that tell). A bill has columns only bills have
    (计费重量/结算重量, 结算金额/应付金额, 揽收日期, 目的地 …), a register columns only registers
    have (订单号, 收件人, 手机, 包装人, 件数, 发货日期, 签收日期 …); a sheet named as one kind counts
    one more for it. A register needs two such signs (a bill may list 订单号), a bill one; a sheet
    without a waybill column, or as much of one as of the other, is neither (None)."""
    texts = [t for t in header_texts if isinstance(t, str) and t.strip()]
    if not any(normalise_header(t) in _WAYBILL for t in texts):
        return None, []
    bill, register = {}, {}
    for text in texts:
        h = normalise_header(text)
        if h in _BILL_ONLY:
            bill.setdefault(_BILL_ONLY[h], text)
        elif h in _REGISTER_ONLY:
            register.setdefault(_REGISTER_ONLY[h], text)
    b = len(bill) + _named_as(sheet, COURIER_BILL)
    r = len(register) + _named_as(sheet, SHIPPING)
    if r >= 2 and r > b:
        return REGISTER_WORD, list(register.values())
    if b >= 1 and b > r:
        return BILL_WORD, list(bill.values())
    return None, []


def file_looks_like(path: Path) -> tuple[str | None, list[str]]:
    """What a file that gave no sheet of the kind asked for looks like (sheet_looks_like of the
    best header row of each sheet): a bill, a register, or None (neither, or both kinds of sheet).
    Reads every sheet: only for the message of a file that cannot be used."""
    from shopbook.reading.tables import HEADER_SCAN_ROWS

    known = {**COURIER_BILL.header_lookup(), **SHIPPING.header_lookup()}
    verdicts: dict[str, list[str]] = {}
    try:
        book = fast.Book(path)
        for name in book.sheet_names:
            frame, _ = book.strings(name)
            rows = [[v for v in row if isinstance(v, str)] for row in
                    frame.head(HEADER_SCAN_ROWS).itertuples(index=False)]
            if not rows:
                continue
            best = max(rows, key=lambda texts: len({known.get(normalise_header(t)) for t in texts} - {None}))
            kind, marks = sheet_looks_like(name, best)
            if kind:
                verdicts.setdefault(kind, marks)
    except UnusableInput:
        return None, []
    if len(verdicts) != 1:
        return None, []
    return next(iter(verdicts.items()))


class WrongFile(UnusableInput):
    """A file given as the bill that is a shipping register, or the other way round.
    `path`: the file; `looks`: what it looks like (BILL_WORD or REGISTER_WORD)."""

    def __init__(self, path: Path, looks: str, marks: list[str]):
        self.path, self.looks, self.marks = Path(path), looks, marks
        wanted = REGISTER_WORD if looks == BILL_WORD else BILL_WORD
        columns = f"(有 {'、'.join(marks[:4])} 等列)" if marks else ""
        super().__init__(f"{path}: 看起来是{looks}{columns},不是{wanted}。")


def swapped(bill_error: WrongFile, register_error: WrongFile) -> UnusableInput:
    """Both files are the other kind: the two arguments were given the wrong way round."""
    bill, register = bill_error.path, register_error.path
    return UnusableInput(f"{bill} 看起来是{REGISTER_WORD},{register} 看起来是{BILL_WORD}:两个参数可能写反了,"
                         f"应为 shopbook reconcile 账单 发货登记(即 shopbook reconcile {register} {bill})。")


def read_bills(paths: list, rules: Rules) -> BillInput:
    """Every bill sheet of the given files (a workbook may hold one sheet per courier). A path may
    be a book whose sheets were read as text already (fast.Book, the month's TextBook)."""
    frames, problems, tables, letters, headers, formats, unread = [], [], [], {}, {}, [], []
    books, paths = paths, [fast.book_path(p) for p in paths]
    several = len(paths) > 1
    for book, path in zip(books, paths):
        try:
            found, registers = [], []
            for sheet in courier_formats.read_sheets(book, rules):
                kind, marks = sheet_looks_like(sheet.table.sheet, sheet.table.header_texts)
                (registers if kind == REGISTER_WORD else found).append((sheet, marks))
            if not found:
                looks, marks = (REGISTER_WORD, registers[0][1]) if registers else file_looks_like(path)
                if looks == REGISTER_WORD:
                    if not several:
                        raise WrongFile(path, looks, marks)
                    problems.append(fnd.sheet_level(path.name, "bill-sheet-is-register", value=path.name,
                                                    marks="、".join(marks[:4])))
                    continue
                raise UnusableInput(f"{path}: 找不到快递账单(需要 快递单号、计费重量、运费 等表头;"
                                    f"可用的列名见 docs/reconcile.md 与 docs/formats.md)。")
            for sheet, marks in registers:  # a register sheet beside the bill sheets is no bill
                problems.append(fnd.sheet_level(f"{path.name}:{sheet.table.sheet}", "bill-sheet-is-register",
                                                value=f"{path.name}「{sheet.table.sheet}」", marks="、".join(marks[:4])))
            found = [sheet for sheet, _ in found]
            for sheet in found:
                table = sheet.table
                missing = [c for c in ("快递单号", "计费重量", "运费") if c not in table.letters]
                if missing:
                    raise UnusableInput(f"{path}: 工作表「{table.sheet}」缺少必需的列 {'、'.join(missing)}"
                                        f"(第 {table.header_row} 行是表头)。")
        except UnusableInput as exc:
            if not several:
                raise
            # never silently: the file is named in the findings, the report's header and the exit code
            reason = str(exc).split(": ", 1)[-1].rstrip("。")
            problems.append(fnd.sheet_level(path.name, "bill-file-skipped", value=path.name, reason=reason))
            unread.append((path, reason))
            continue
        for sheet in found:
            table = sheet.table
            source = table.sheet if table.path.suffix.lower() == ".csv" else f"{table.sheet}"
            if several or len(found) > 1:
                source = f"{path.name}:{table.sheet}" if path.suffix.lower() != ".csv" else path.name
            if sheet.notes:
                formats.append((source, ";".join(sheet.notes)))
            data = table.data
            if "快递公司" not in data:
                data["快递公司"] = None
            default = courier_in_name(table.sheet, rules) or courier_in_name(path.stem, rules) or sheet.courier
            if default:
                data["快递公司"] = data["快递公司"].where(data["快递公司"].notna(), default)
            data["_source"] = source
            data["_row"] = data.index
            lost = table.findings[(table.findings["code"] == "id-digits-lost")
                                  & (table.findings["column"] == table.headers["快递单号"])]
            lost = lost[lost["row"].astype(int).isin(data.index)]  # not extra-service rows folded away
            shown = pd.Series(None, index=data.index, dtype=object)
            rows = lost["row"].astype(int).to_numpy()
            shown[rows] = [f"{float(v):.6G}" if _numeric(v) else v for v in lost["value"]]
            data["_digits_lost"] = shown.notna()
            data["_shown"] = shown
            frames.append(data)
            problems.append(stated_total_check(table, source))
            findings = table.findings.copy()
            findings["sheet"] = source
            problems.append(findings)
            tables.append(table)
            letters[source] = table.letters
            headers[source] = table.headers
    if not frames:
        why = ";".join(f"{p.name}: {r}" for p, r in unread)
        raise UnusableInput(f"{', '.join(str(p) for p in paths)}: 没有找到任何快递账单" + (f"({why})" if why else "") + "。")
    data = pd.concat(frames, ignore_index=True)
    return BillInput(data, fnd.combine(problems), list(paths), tables, letters, headers, formats, unread)



def _numeric(text) -> bool:
    try:
        float(text)
        return True
    except (TypeError, ValueError):
        return False


def read_register(path: Path, rules: Rules | None = None) -> fast.FastTable:
    """The shipping register (发货 sheet, or the sheet whose headers are a 发货 register, or a
    warehouse's shipping export: shopbook.courier.formats.read_register). A file whose only such
    sheet is a courier bill (sheet_looks_like) is WrongFile, not a register."""
    bills: list[list[str]] = []

    def is_bill(sheet: str, header_texts) -> bool:
        kind, marks = sheet_looks_like(sheet, header_texts)
        if kind == BILL_WORD:
            bills.append(marks)
        return kind == BILL_WORD

    found = courier_formats.read_register(path, rules, REGISTER_COLUMNS, skip=is_bill)
    if found is None:
        looks, marks = (BILL_WORD, bills[0]) if bills else file_looks_like(path)
        if looks == BILL_WORD:
            raise WrongFile(path, looks, marks)
        raise UnusableInput(f"{path}: 找不到发货表(按工作表名 {'/'.join((SHIPPING.name,) + SHIPPING.sheet_aliases)}"
                            f" 或表头 发货日期、快递公司、快递单号 查找)。")
    return found


def phones_from_orders(path: Path, register: fast.FastTable) -> None:
    """A register without 手机 (the 发货 sheet of a ledger usually has none): take each parcel's
    phone from the 订单 sheet of the same workbook by 订单号, for the masked 手机 column of the
    dispute sheet. Only a sheet named as the orders sheet is read, so a big register is never
    scanned twice; nothing happens when there is none."""
    data = register.data
    if "订单号" not in data or ("手机" in data and data["手机"].notna().any()):
        return
    from shopbook.sheets.orders import ORDERS

    book = fast.Book(path)
    wanted = {normalise_header(n) for n in (ORDERS.name, *ORDERS.sheet_aliases)}
    if book.type == "csv" or not any(normalise_header(n) in wanted for n in book.sheet_names):
        return
    try:
        found = fast.read_sheets(path, ORDERS, columns=("订单号", "手机"))
    except Exception:  # the phones only decorate the dispute sheet: an unreadable 订单 never stops the job
        return
    if not found or "手机" not in found[0].data:
        return
    orders = found[0].data.dropna(subset=["订单号", "手机"]).drop_duplicates("订单号")
    data["手机"] = data["订单号"].map(orders.set_index("订单号")["手机"])


def price_frame(rules: Rules) -> pd.DataFrame | None:
    """The 快递价格 sheet of the rules workbook, or None for the built-in table."""
    return price_sheet(rules)


def place_findings(findings: pd.DataFrame, bills: BillInput) -> pd.DataFrame:
    """Job findings name bill lines by source and canonical column: add the cell address and
    the sheet's own header text."""
    if not len(findings):
        return findings
    findings = findings.copy()
    todo = findings["cell"].isna() & findings["row"].notna()
    for (source, column), group in findings[todo].groupby(["sheet", "column"], sort=False):
        letters = bills.letters.get(source, {})
        if column not in letters:  # e.g. no 目的省份 column: point at the line's waybill
            column = "快递单号"
        letter = letters.get(column)
        if letter:
            findings.loc[group.index, "cell"] = letter + group["row"].astype(int).astype(str)
            findings.loc[group.index, "column"] = bills.headers[source].get(column, column)
    return findings

