"""File adapters of 快递对账: read bill files (one file, several, or a folder of them) and the
shipping register through the fast path, run the pure job (shopbook.courier.job.reconcile), write
the result workbook with xlsxwriter. No reconciliation logic here.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shopbook.courier import job
from shopbook.courier import formats as courier_formats
from shopbook.core import findings as fnd
from shopbook.courier.job import (CATEGORIES, CATEGORY_ZH, COUNTED, COURIER_BILL, FIGURES, MATCH, NOT_BILLED,
                              REGISTER_COLUMNS, Reconciliation, kg_text)
from shopbook.reading import cells, fast
from shopbook.reading.cells import fen_text
from shopbook.reading.files import UnusableInput
from shopbook.reading.schema import normalise_header
from shopbook.rules import Rules, load_rules
from shopbook.sheets.shipping import SHIPPING
from shopbook.writing import marks
from shopbook.writing.annotate import SEVERITY_ZH, issues_sheet_xlsxwriter
from shopbook.writing.pages import header_date
from shopbook.writing.safe import atomic_path, check_outputs

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


def courier_in_name(text: str, rules: Rules) -> str | None:
    """The courier a file or sheet name mentions (快递账单-中通.csv -> 中通), if exactly one."""
    found = set()
    for c in rules.couriers:
        for spelling in (c.name, *c.aliases):
            if len(spelling) >= 2 and not spelling.isascii() and spelling in text:
                found.add(c.name)
            elif spelling.isascii() and len(spelling) >= 2 and re.search(rf"(?<![A-Za-z]){re.escape(spelling)}(?![A-Za-z])",
                                                                        text, re.IGNORECASE):
                found.add(c.name)
    return found.pop() if len(found) == 1 else None


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


def read_bills(paths: list[Path], rules: Rules) -> BillInput:
    """Every bill sheet of the given files (a workbook may hold one sheet per courier)."""
    frames, problems, tables, letters, headers, formats, unread = [], [], [], {}, {}, [], []
    several = len(paths) > 1
    for path in paths:
        try:
            found, registers = [], []
            for sheet in courier_formats.read_sheets(path, rules):
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


def stated_total_check(table: fast.FastTable, source: str) -> pd.DataFrame:
    """The bill's own 合计 of 运费 against the sum of its lines (the shop's rule: the total must
    agree with the courier's figure). 小计 rows are left alone; the last 合计/总计 row is compared."""
    totals = table.totals
    if totals.empty or "运费" not in totals:
        return fnd.empty()
    grand = totals[~totals["_label"].map(lambda label: "小" in label)]
    if grand.empty:
        return fnd.empty()
    row = grand.index[-1]
    stated = cells.parse_money(grand.loc[[row], "运费"].astype(object))[0].iloc[0]
    if pd.isna(stated):
        return fnd.empty()
    lines = int(table.data["运费"].sum(skipna=True))
    if "_service_fee" in table.data:  # extra-service rows folded into their waybill are in the 合计 too
        lines += int(table.data["_service_fee"].fillna(0).sum())
    if int(stated) == lines:
        return fnd.empty()
    return fnd.at_rows(source, [row], table.headers["运费"], table.letters["运费"], "bill-total-mismatch",
                       [grand.loc[row, "运费"]], stated=fen_text(int(stated)), lines=fen_text(lines),
                       diff=fen_text(int(stated) - lines))


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
    wanted = {job.normalise_header(n) for n in (ORDERS.name, *ORDERS.sheet_aliases)}
    if book.type == "csv" or not any(job.normalise_header(n) in wanted for n in book.sheet_names):
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
    return job.price_sheet(rules)


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


# --- the result ---------------------------------------------------------------------------
@dataclass
class ReconcileResult:
    result: Reconciliation
    bills: BillInput
    register: fast.FastTable
    findings: pd.DataFrame
    as_of: dt.datetime
    written: Path | None = None
    proof: object = None  # handover evidence (shopbook.handover.job.Proof) when a 快递交接 record is known

    @property
    def exit_code(self) -> int:
        errors = bool((self.findings["severity"] == "error").any()) if len(self.findings) else False
        disputed = bool((self.result.lines["category"] != MATCH).any())
        return 1 if disputed or errors else 0

    def as_json(self) -> dict:
        out = as_json(self.result, self.findings, self.written, self.proof)
        if self.bills.formats:  # how each bill was read: its courier's layout, units converted …
            out["summary"]["sources"] = [{"source": source, "read_as": text} for source, text in self.bills.formats]
        if self.bills.unread:
            out["summary"]["not_reconciled"] = [{"file": p.name, "reason": why} for p, why in self.bills.unread]
        return out

    def report(self, limit: int = 30) -> str:
        return report(self, limit)


def money(fen) -> str:
    return fen_text(int(fen))


def summary_json(summary: dict) -> dict:
    out = {k: money(summary[k]) for k in FIGURES}
    out["counts"] = dict(summary["counts"])
    if "by_courier" in summary:
        out["by_courier"] = {name: summary_json(s) for name, s in summary["by_courier"].items()}
    return out


def _weight(grams):
    return None if grams is None or grams is pd.NA else float(kg_text(grams))


def as_json(result: Reconciliation, findings: pd.DataFrame, written: Path | None = None, proof=None) -> dict:
    lines = result.lines
    explanation = job.explain(lines, result.tolerances)
    records = lines[["waybill", "courier", "category", "billed_weight_g", "shop_weight_g", "billed_fee",
                     "expected_fee", "amount"]].astype(object).to_dict("records")
    extras = lines["extra_fee"].fillna(0).astype("int64").to_numpy() if "extra_fee" in lines else None
    if extras is not None and not extras.any():
        extras = None  # lines carry extra_fee only when the bill charges any (保价, 上楼费 …)
    out_lines = []
    for i, (r, text) in enumerate(zip(records, explanation)):
        out_lines.append({
            "waybill": None if r["waybill"] is pd.NA else r["waybill"], "courier": r["courier"],
            "category": r["category"],
            "billed_weight": _weight(r["billed_weight_g"]), "shop_weight": _weight(r["shop_weight_g"]),
            "billed_fee": fen_text(r["billed_fee"]), "expected_fee": fen_text(r["expected_fee"]),
            "amount": fen_text(r["amount"]) or "0.00", "explanation": text,
        })
        if extras is not None:
            out_lines[-1]["extra_fee"] = fen_text(int(extras[i]))
    if proof is not None:  # the handover's evidence for each line
        from shopbook.handover.run import evidence_json
        for line, evidence in zip(out_lines, evidence_json(proof, lines, result.shipments)):
            line["handover"] = evidence
    nb = result.not_billed
    not_billed = [{"waybill": w, "courier": c, "ship_date": None if pd.isna(d) else d.strftime("%Y-%m-%d")}
                  for w, c, d in zip(nb["waybill"], nb["courier"], nb["date"])]
    out = {"lines": out_lines, "not_billed": not_billed, "summary": summary_json(result.summary),
           "findings": [f.as_dict() for f in fnd.to_findings(findings)]}
    if written:
        out["output"] = str(written)
    return out


def report(res: ReconcileResult, limit: int = 30) -> str:
    """The terminal report: figures per courier, the first dispute lines, findings."""
    s = res.result.summary
    lines = [f"快递对账: 账单 {len(res.result.lines):,} 行(来自 {len(res.bills.files) - len(res.bills.unread)} 个文件),"
             f"发货记录 {len(res.register.data):,} 行。"]
    if res.bills.unread:
        lines[0] += (f" 未能对账的文件 {len(res.bills.unread)} 个: "
                     + "、".join(f"{p.name}({why})" for p, why in res.bills.unread) + "。")
    for source, text in res.bills.formats:
        lines.append(f"  {source}: {text}")
    counts = ",".join(f"{CATEGORY_ZH[c]} {s['counts'][c]:,}" for c in COUNTED if s["counts"][c])
    lines.append(f"分类: {counts or '无'}")
    for name, f in s["by_courier"].items():
        lines.append(f"  [{name}] 账单 {money(f['bill_total'])} 元,多收 {money(f['overcharge_total'])},"
                     f"索赔 {money(f['claims_total'])},抵扣 {money(f['offsets_total'])},应付 {money(f['net_payable'])} 元")
    lines.append(f"合计: 账单 {money(s['bill_total'])} 元,多收 {money(s['overcharge_total'])},索赔 "
                 f"{money(s['claims_total'])},抵扣 {money(s['offsets_total'])},应付 {money(s['net_payable'])} 元")
    disputes = res.result.disputes()
    if len(disputes):
        lines.append(f"\n争议/索赔/抵扣 {len(disputes):,} 行" + (f"(前 {limit} 行)" if len(disputes) > limit else "") + ":")
        shown = disputes.head(limit)
        for (_, r), text in zip(shown.iterrows(), job.explain(shown, res.result.tolerances)):
            lines.append(f"  {r['source']} 第 {r['row']} 行 {r['waybill'] or '(无单号)'} {CATEGORY_ZH[r['category']]} "
                         f"{fen_text(r['amount'])}: {text}")
    if len(res.findings):
        sev = res.findings["severity"].value_counts()
        lines.append(f"\n问题: 错误 {sev.get('error', 0)},警告 {sev.get('warning', 0)},提示 {sev.get('info', 0)}"
                     + ("(详见结果工作簿的「问题」表)" if res.written else "(用 --json 或 -o 查看全部)"))
        for row in res.findings.head(10).itertuples(index=False):
            lines.append(f"  {row.sheet} {row.cell or ''} {SEVERITY_ZH[row.severity]} {row.code}: {row.message}")
    if res.proof is not None and len(disputes):
        from shopbook.handover.run import evidence_rows
        proven = sum(day is not None for day, _, _ in evidence_rows(res.proof, disputes, res.result.shipments))
        lines.append(f"\n交接记录: 争议/索赔/抵扣 {len(disputes):,} 行中 {proven:,} 行有快递员签收的交接记录为证"
                     f"(见争议明细的交接日期、快递员签字、交接记录)。")
    if res.written:
        lines.append(f"\n已写出对账结果: {res.written}")
    elif len(disputes):
        lines.append("\n用 -o 对账结果.xlsx 写出争议明细(可直接发给快递公司)。")
    return "\n".join(lines)


def run_reconcile(bill: Path | list[Path], shipments: Path, rules_path: Path | None, as_of: dt.datetime, *,
                  output: Path | None = None, full: bool = False, show_progress: bool = False,
                  handover: Path | None = None) -> ReconcileResult:
    """Read the bill(s) and the register, reconcile, write the result workbook when asked. The
    courier handover (HANDOVER, or a 快递交接 sheet of the shipments workbook) is the evidence
    column of 争议明细."""
    from shopbook.sheets.run import progress

    shipments = Path(shipments)
    given = [Path(b) for b in (bill if isinstance(bill, list) else [bill])]
    check_outputs([*given, shipments, rules_path, handover], [output], ignore=is_result_workbook)
    rules, rule_findings = load_rules(rules_path)
    excluded = [shipments] + ([Path(output)] if output is not None else []) + ([Path(handover)] if handover else [])
    paths = [p for b in given for p in bill_files(b, exclude=excluded)]
    with progress("正在读取账单和发货记录 …", show_progress):
        try:
            bills = read_bills(paths, rules)
        except WrongFile as exc:
            raise _swapped_or(exc, shipments) from None
        try:
            register = read_register(shipments, rules)
        except WrongFile as exc:
            raise UnusableInput(f"{exc}第二个参数应为发货登记(发货日期、订单号、快递单号 等列,"
                                f"或含「发货」表的台账)。") from None
        phones_from_orders(shipments, register)
        from shopbook.handover.run import proof_for
        proof = proof_for(shipments, register.data, Path(handover) if handover else None, rules)
    with progress("正在对账 …", show_progress):
        result = job.reconcile(bills.data, register.data.assign(_row=register.data.index), price_frame(rules),
                               rules, as_of=as_of)
    register_findings = register.findings.assign(sheet=f"{shipments.name}:{register.sheet}")  # which file
    findings = fnd.combine([rule_findings, bills.findings, register_findings,
                            place_findings(result.findings, bills)])
    res = ReconcileResult(result, bills, register, findings, as_of, proof=proof)
    if output is not None:
        with progress("正在写出对账结果 …", show_progress):
            res.written = write_result(result, Path(output), full=full, findings=findings,
                                       meta=_meta(paths, shipments, rules_path, as_of), as_of=as_of, proof=proof)
    return res


def _swapped_or(bill_error: WrongFile, shipments: Path) -> UnusableInput:
    """The bill is a register: when the register is a bill too, the arguments are swapped."""
    try:
        read_register(shipments)
    except WrongFile as register_error:
        return swapped(bill_error, register_error)
    except UnusableInput:
        pass
    return UnusableInput(f"{bill_error}第一个参数应为快递公司的账单(快递单号、计费重量、运费 等列)。")


def _meta(paths, shipments, rules_path, as_of) -> list[tuple[str, str]]:
    return [("账单", "、".join(p.name for p in paths)), ("发货记录", Path(shipments).name),
            ("价格与参数", Path(rules_path).name if rules_path else "内置默认值"),
            ("对账时间", as_of.strftime("%Y-%m-%d %H:%M"))]


# --- writing the result workbook ----------------------------------------------------------
def mask_phone(phone) -> str | None:
    """138****5678: only the first 3 and last 4 digits shown (+86 dropped; a privacy-number
    extension such as -1234 kept, it identifies no one)."""
    if phone is None or phone is pd.NA or (isinstance(phone, float) and phone != phone):
        return None
    text = str(phone).strip()
    ext = ""
    m = re.search(r"(-|转|ext)(\d{1,6})$", text)
    if m and len(re.sub(r"\D", "", text[:m.start()])) >= 11:
        text, ext = text[:m.start()], m.group(1) + m.group(2)
    digits = re.sub(r"\D", "", text)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) < 8:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}{ext}"


DETAIL_COLUMNS = (  # header, width, kind
    ("快递公司", 8, "text"), ("快递单号", 20, "waybill"), ("寄件日期", 11, "date"), ("目的省份", 9, "text"),
    ("类别", 14, "text"), ("账单重量(kg)", 11, "kg"), ("我方重量(kg)", 11, "kg"), ("账单运费", 10, "money"),
    ("应收运费", 10, "money"), ("金额", 10, "money"), ("说明", 84, "wrap"), ("收件人", 8, "text"),
    ("手机", 17, "text"), ("账单位置", 28, "text"))
NOT_BILLED_COLUMNS = (
    ("快递公司", 8, "text"), ("快递单号", 20, "waybill"), ("发货日期", 11, "date"), ("省份", 9, "text"),
    ("我方重量(kg)", 11, "kg"), ("状态", 8, "text"), ("收件人", 8, "text"), ("手机", 17, "text"),
    ("订单号", 20, "waybill"), ("发货记录行", 10, "int"))


class _Formats:
    def __init__(self, wb):
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#305496", "border": 1,
                                     "text_wrap": True, "valign": "vcenter", "align": "center"})
        self.text = wb.add_format({"num_format": "@"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.money = wb.add_format({"num_format": "#,##0.00"})
        self.money_bold = wb.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
        self.bold = wb.add_format({"bold": True, "top": 1})
        self.kg = wb.add_format({"num_format": "0.0##"})
        self.int = wb.add_format({"num_format": "0"})
        self.wrap = wb.add_format({"text_wrap": False})
        self.label = wb.add_format({"bold": True})
        self.note = wb.add_format({"font_color": "#595959"})


def _print_setup(ws, title: str, printed: str, header_rows: int = 0) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    ws.set_header(f"&L&\"-,Bold\"{title}&R{printed}")
    ws.set_footer("&C第 &P 页,共 &N 页")


def _table_sheet(wb, f: _Formats, name: str, columns, rows, title: str) -> None:
    """A list sheet: header row frozen, autofilter, text-formatted ID columns, print setup.
    `rows` yields tuples in column order (None = blank)."""
    ws = wb.add_worksheet(name)
    ws.freeze_panes(1, 0)
    kinds = []
    for c, (header, width, kind) in enumerate(columns):
        fmt = {"waybill": f.text, "text": f.text, "date": f.date, "money": f.money, "kg": f.kg, "int": f.int}.get(kind)
        ws.set_column(c, c, width, fmt)
        ws.write_string(0, c, header, f.header)
        kinds.append(kind)
    ws.set_row(0, 30)
    write = {
        "waybill": lambda r, c, v: ws.write_string(r, c, str(v), f.text),
        "text": lambda r, c, v: ws.write_string(r, c, str(v), f.text),
        "wrap": lambda r, c, v: ws.write_string(r, c, str(v)),
        "date": lambda r, c, v: ws.write_datetime(r, c, v.to_pydatetime() if hasattr(v, "to_pydatetime") else v, f.date),
        "money": lambda r, c, v: ws.write_number(r, c, int(v) / 100, f.money),
        "kg": lambda r, c, v: ws.write_number(r, c, int(v) / 1000, f.kg),
        "int": lambda r, c, v: ws.write_number(r, c, int(v), f.int),
    }
    writers = [write[k] for k in kinds]
    r = 0
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
                continue
            writers[c](r, c, v)
    ws.autofilter(0, 0, max(r, 1), len(columns) - 1)
    _print_setup(ws, title, f.printed, 1)


def detail_rows(result: Reconciliation, lines: pd.DataFrame):
    order = result.with_contacts(lines)
    explanation = job.explain(lines, result.tolerances)
    cols = ["courier", "waybill", "date", "province", "category", "billed_weight_g", "shop_weight_g", "billed_fee",
            "expected_fee", "amount", "recipient", "phone", "source", "row", "waybill_shown"]
    records = order[cols].astype(object).to_dict("records")
    for r, text in zip(records, explanation):
        waybill = r["waybill"] if r["waybill"] is not None else r["waybill_shown"]
        yield (r["courier"], waybill, r["date"], province_label(r["province"]), CATEGORY_ZH[r["category"]],
               r["billed_weight_g"], r["shop_weight_g"], r["billed_fee"], r["expected_fee"], r["amount"], text,
               r["recipient"], mask_phone(r["phone"]), f"{r['source']} 第 {r['row']} 行")


def not_billed_rows(result: Reconciliation):
    """The 未计费 sheet's rows (NOT_BILLED_COLUMNS): phones masked, weights in grams."""
    for r in result.not_billed.itertuples(index=False):
        yield (r.courier, r.waybill, r.date, province_label(r.province), r.shop_weight_g, r.status, r.recipient,
               mask_phone(r.phone), r.order, r.register_row)


def province_label(full):
    return job.province_short(full) if isinstance(full, str) else None


def sorted_disputes(lines: pd.DataFrame) -> pd.DataFrame:
    rank = lines["category"].map({c: i for i, c in enumerate(job.PRECEDENCE)}).astype(int)
    return lines.assign(_rank=rank).sort_values(["courier", "_rank"], kind="stable").drop(columns="_rank")


def write_result(result: Reconciliation, path: Path, *, full: bool = False, findings: pd.DataFrame | None = None,
                 meta: list[tuple[str, str]] | None = None, as_of: dt.datetime | None = None, proof=None) -> Path:
    """The result workbook: 对账汇总 (figures per courier and per category, a chart), 争议明细
    (lines to send the courier: phones masked, no addresses), 未计费, 问题 (when there are
    findings) and, with full=True, 对账明细 (every line). Written atomically."""
    import xlsxwriter

    findings = result.findings if findings is None else findings
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        marks.mark_xlsxwriter(wb, "reconcile")
        f = _Formats(wb)
        f.printed = header_date(as_of)  # the date in every page header
        _summary_sheet(wb, f, result, meta or [], findings)
        disputes = sorted_disputes(result.disputes())
        columns, rows = DETAIL_COLUMNS, detail_rows(result, disputes)
        if proof is not None:  # the handover's evidence: 交接日期, 快递员签字, 交接记录
            from shopbook.handover.run import EVIDENCE_COLUMNS, evidence_rows
            columns = DETAIL_COLUMNS + EVIDENCE_COLUMNS
            rows = (r + e for r, e in zip(rows, evidence_rows(proof, disputes, result.shipments)))
        _table_sheet(wb, f, "争议明细", columns, rows, "快递对账 争议明细")
        _table_sheet(wb, f, "未计费", NOT_BILLED_COLUMNS, not_billed_rows(result), "已发货但账单未计费")
        if full:
            _table_sheet(wb, f, "对账明细", DETAIL_COLUMNS, detail_rows(result, result.lines),
                         "快递对账 全部明细")
        if len(findings):
            _findings_sheet(wb, f, findings)
        wb.close()
    return path


def _findings_sheet(wb, f: _Formats, findings: pd.DataFrame) -> None:
    """The 问题 sheet every job writes (shopbook.writing.annotate), with this workbook's print setup."""
    _print_setup(issues_sheet_xlsxwriter(wb, findings), "对账问题", 1)


def _summary_sheet(wb, f: _Formats, result: Reconciliation, meta: list[tuple[str, str]], findings) -> None:
    ws = wb.add_worksheet("对账汇总")
    s = result.summary
    couriers = list(s["by_courier"])
    ws.set_column(0, 0, 20)
    ws.set_column(1, 7, 13)
    ws.write_string(0, 0, "快递对账汇总", f.title)
    r = 1
    for label, value in meta:
        ws.write_string(r, 0, label, f.label)
        ws.write_string(r, 1, value)
        r += 1
    tol = result.tolerances
    ws.write_string(r, 0, "容差", f.label)
    ws.write_string(r, 1, f"重量 {kg_text(tol['weight_g'])} kg;金额 {fen_text(tol['fee_fen'])} 元;"
                          f"丢件赔付 {tol['claim_multiple']:g} 倍运费(有保价按保价)")
    r += 2

    # per courier
    heads = ["快递公司", "账单行数", "账单金额", "多收(争议)", "索赔", "抵扣(无法送达)", "应付金额", "已发未计费"]
    for c, h in enumerate(heads):
        ws.write_string(r, c, h, f.header)
    ws.set_row(r, 30)
    r += 1
    first_data = r
    for name in couriers:
        fig = s["by_courier"][name]
        n_lines = sum(v for k, v in fig["counts"].items() if k != NOT_BILLED)
        ws.write_string(r, 0, name)
        ws.write_number(r, 1, n_lines)
        for c, key in enumerate(FIGURES, start=2):
            ws.write_number(r, c, fig[key] / 100, f.money)
        ws.write_number(r, 7, fig["counts"][NOT_BILLED])
        r += 1
    ws.write_string(r, 0, "合计", f.bold)
    ws.write_number(r, 1, sum(v for k, v in s["counts"].items() if k != NOT_BILLED), f.bold)
    for c, key in enumerate(FIGURES, start=2):
        ws.write_number(r, c, s[key] / 100, f.money_bold)
    ws.write_number(r, 7, s["counts"][NOT_BILLED], f.bold)
    last_data = r - 1
    r += 1
    ws.write_string(r, 0, "应付金额 = 账单金额 − 多收 − 索赔 − 抵扣;多收含未发货、重复计费、超重、运费不符(少收为负)。", f.note)
    r += 2

    # per category
    heads = ["类别", "代码", "行数", "金额"] + [f"{c} 行数" for c in couriers]
    for c, h in enumerate(heads):
        ws.write_string(r, c, h, f.header)
    ws.set_row(r, 30)
    r += 1
    amounts = result.lines.groupby("category", observed=False)["amount"].sum()
    for cat in CATEGORIES + (NOT_BILLED,):
        ws.write_string(r, 0, CATEGORY_ZH[cat])
        ws.write_string(r, 1, cat)
        ws.write_number(r, 2, s["counts"][cat])
        if cat != NOT_BILLED:
            ws.write_number(r, 3, int(amounts.get(cat, 0) or 0) / 100, f.money)
        for c, name in enumerate(couriers, start=4):
            ws.write_number(r, c, s["by_courier"][name]["counts"][cat])
        r += 1
    r += 1
    if len(findings):
        sev = findings["severity"].value_counts()
        ws.write_string(r, 0, f"问题: 错误 {sev.get('error', 0)},警告 {sev.get('warning', 0)},提示 {sev.get('info', 0)}"
                              "(见「问题」表)", f.note)
    if couriers:
        chart = wb.add_chart({"type": "column"})
        for c, label in ((3, "多收(争议)"), (4, "索赔"), (5, "抵扣")):
            chart.add_series({"name": label, "categories": ["对账汇总", first_data, 0, last_data, 0],
                              "values": ["对账汇总", first_data, c, last_data, c]})
        chart.set_title({"name": "各快递公司 争议、索赔与抵扣(元)"})
        chart.set_y_axis({"num_format": "#,##0"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 560, "height": 300})
        ws.insert_chart(1, 9, chart)
    _print_setup(ws, "快递对账汇总", f.printed)
