"""File adapters of 月报: find the month's workbooks in a folder (by sheet name or header row,
whatever the file names), read them, run the reconciliation and payroll jobs on the files
that hold their inputs, call the pure job (shopbook.monthly.job.compute_month) and write the
manager's workbook with XlsxWriter (native charts, every figure a stored value).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.monthly import job
from shopbook.courier.job import COURIER_BILL
from shopbook.sheets.orders import ORDERS
from shopbook.payroll.sheets import EMPLOYEES
from shopbook.reading.cells import decimal_to_fen, fen_text
from shopbook.reading.files import UnusableInput, Workbook, open_workbook
from shopbook.reading.schema import normalise_header
from shopbook.reading.tables import assign_sheets, parse_table
from shopbook.sheets.returns import RETURNS
from shopbook.rules import Rules, load_rules
from shopbook.sheets.shipping import SHIPPING
from shopbook.sheets.adjustments import ADJUSTMENTS
from shopbook.sheets.inbound import INBOUND
from shopbook.sheets.opening import OPENING
from shopbook.sheets.purchases import PURCHASES
from shopbook.sheets.stock import STOCK
from shopbook.writing import marks
from shopbook.writing.pages import header_date
from shopbook.writing.safe import atomic_path, check_outputs

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
        PURCHASES.name: "采购清单", ADJUSTMENTS.name: "库存调整", OPENING.name: "期初库存"}
SECTION = {ORDERS.name: "客服业绩、客服日报", SHIPPING.name: "准时发货率", RETURNS.name: "退换货分析、退款率",
           STOCK.name: "库存预警", COURIER_BILL.name: "快递对账", EMPLOYEES.name: "工资汇总"}
RULES_SHEETS = {"活动日", "排班", "快递价格", "快递单号规则", "岗位薪酬", "退换货排除", "推广费用"}
PREVIOUS_FOLDER = "上月"


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
    books: dict = field(default_factory=dict)  # path -> Workbook (full reader)
    problems: list = field(default_factory=list)


def is_rules_book(book: Workbook) -> bool:
    names = {normalise_header(n) for n in book.sheet_names}
    return "参数" in names and bool(names & {normalise_header(n) for n in RULES_SHEETS})


def _named(sheet: str, kind) -> bool:
    return normalise_header(sheet) in {normalise_header(n) for n in (kind.name, *kind.sheet_aliases)}


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
    for path in files:
        try:
            book = open_workbook(path)  # sheets are read once and cached: classifying reads what parsing needs
        except UnusableInput as exc:
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
        for kind in KINDS:
            if kind.name not in found or kind is COURIER_BILL:
                continue
            sheet, pos = found[kind.name]
            by_name = _named(sheet, kind)
            if has_bill and not by_name:
                continue  # a second courier sheet looks like a shipping register by its headers
            out.sheets.setdefault(kind.name, []).append(Found(path, sheet, pos, by_name))
            out.books[path] = book
    return out


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


# --- reading --------------------------------------------------------------------------------
def promotion_cost(rules: Rules, month: dt.date) -> int | None:
    """推广费用 (fen) from the rules workbook: a 推广费用 sheet (月份, 推广费用/金额) row for the
    month, else a 推广费用 row of 参数. None when neither gives one."""
    from shopbook.payroll.months import parse_month

    def money(value) -> int | None:
        if value is None or (isinstance(value, float) and value != value):
            return None
        return decimal_to_fen(str(value).replace(",", "").replace("¥", "").replace("元", "").strip())

    names = {normalise_header(n) for n in job.PROMOTION_COST_NAMES}
    for sheet, frame in rules.tables.items():
        if normalise_header(sheet) in names and frame is not None and len(frame.columns) >= 2:
            columns = {normalise_header(c): c for c in frame.columns}
            month_col = columns.get("月份") or columns.get("月")
            amount_col = next((columns[n] for n in (*names, "金额", "费用") if n in columns), None)
            if month_col is None or amount_col is None:
                continue
            for label, value in zip(frame[month_col], frame[amount_col]):
                try:
                    if isinstance(label, (dt.date, dt.datetime)):
                        when = dt.date(label.year, label.month, 1)
                    else:
                        when = parse_month(str(label))
                except ValueError:
                    continue
                if when == month:
                    return money(value)
    for sheet, frame in rules.tables.items():
        if normalise_header(sheet) in ("参数", "规则", "parameters") and frame is not None and len(frame.columns) >= 2:
            for name, value in frame.iloc[:, :2].itertuples(index=False):
                if normalise_header(name) in names:
                    return money(value)
    return None


@dataclass
class Loaded:
    inputs: job.MonthInputs
    findings: pd.DataFrame
    sources: list  # (what, "file「sheet」")
    rules_path: Path | None
    of_month: list = field(default_factory=list)  # inputs besides the orders dated in the month
    elsewhere: list = field(default_factory=list)  # "快递账单 x.xlsx 是 2026-09 的": inputs left out


def month_text(period) -> str:
    return f"{period.year}-{period.month:02d}"


def bill_months(bills) -> dict:
    """Per bill sheet (its `_source`): the month most of its dated lines were sent in
    (a monthly bill may carry a few lines of the month before), or None when none is dated."""
    out = {}
    for source, group in bills.data.groupby("_source", sort=False):
        dates = pd.to_datetime(group["寄件日期"], errors="coerce").dropna() if "寄件日期" in group else pd.Series()
        if dates.empty:
            out[source] = None
            continue
        counts = dates.dt.to_period("M").value_counts(sort=False)
        out[source] = counts.idxmax()  # the earliest of the most frequent months
    return out


def bills_of_month(bills, month: dt.date):
    """(the bill sheets of the month or undated, {source: (period, file「sheet」)} of the others)."""
    periods = bill_months(bills)
    labels = {source: table.path.name if table.path.suffix.lower() == ".csv" else f"{table.path.name}「{table.sheet}」"
              for source, table in zip(bills.letters, bills.tables)}  # letters: one entry per table, in order
    wanted = pd.Period(month, "M")
    other = {source: (p, labels.get(source, source)) for source, p in periods.items()
             if p is not None and p != wanted}
    if not other:
        return bills, other
    keep = ~bills.data["_source"].isin(list(other))
    bills.data = bills.data[keep].reset_index(drop=True)
    bills.findings = bills.findings[~bills.findings["sheet"].isin(list(other))].reset_index(drop=True)
    return bills, other


def _bill_located(findings: pd.DataFrame, bills) -> pd.DataFrame:
    """Bill findings named by file and sheet ('zto.xlsx:中通'): one bill file's sheets are named
    by their sheet alone when read on their own."""
    if not len(findings):
        return findings
    names = {source: table.path.name if table.path.suffix.lower() == ".csv" else f"{table.path.name}:{table.sheet}"
             for source, table in zip(bills.letters, bills.tables)}  # letters: one entry per table, in order
    return findings.assign(sheet=findings["sheet"].map(lambda s: names.get(s, s)))


def _located(findings: pd.DataFrame, file: str) -> pd.DataFrame:
    """A job's findings named by file and sheet ('工资.xlsx:员工'), as reconcile names its register."""
    return findings.assign(sheet=file + ":" + findings["sheet"].astype(str)) if len(findings) else findings


def load_month(folder: Path, month: dt.date, rules_path: Path | None, as_of: dt.datetime, *,
               skip: tuple[Path, ...] = (), cost: int | None = None, fallback: Loaded | None = None) -> Loaded:
    """Find and read every input of the month in `folder`; run reconciliation and payroll on
    their files. The rules: `rules_path`, else a rules workbook in the folder, else those of
    `fallback` (this month's, when reading last month), else the defaults. Missing inputs
    become month-section-missing notes, unusable ones month-section-unusable; only an
    unreadable rules workbook stops the job."""
    scanned = scan_folder(folder, skip=skip + ((rules_path,) if rules_path else ()))
    problems = list(scanned.problems)
    sources, of_month, outside = [], [], []
    rules_path = rules_path or scanned.rules
    if rules_path is None and fallback is not None:
        rule_set, rules_path = fallback.inputs.rules, fallback.rules_path
    else:
        rule_set, rule_findings = load_rules(rules_path)
        problems.append(rule_findings)
    if rules_path:
        sources.append(("规则", Path(rules_path).name))
    inputs = job.MonthInputs(month, rule_set, as_of)
    for kind in LEDGER:
        hit, note = choose(scanned, kind)
        if kind is ORDERS and hit is not None:  # a platform's order list and item list: joined by 订单号
            joined = _joined_orders(scanned, rule_set)
            if joined is not None:
                table, used = joined
                setattr(inputs, ATTR[kind.name], table)
                sources.append((WHAT[kind.name], used))
                continue
        problems.append(note)
        if hit is None:
            problems.append(missing(kind, folder))
            continue
        try:
            table = parse_table(scanned.books[hit.path].sheet(hit.sheet), kind, hit.header_pos, rule_set.profiles,
                                name=f"{hit.path.stem} {hit.sheet}")
        except UnusableInput as exc:
            problems.append(unusable(kind, exc))
            continue
        setattr(inputs, ATTR[kind.name], table)
        sources.append((WHAT[kind.name], f"{hit.path.name}「{hit.sheet}」"))
    _stock_ledger(scanned, inputs, problems, sources)
    if not scanned.bills:
        problems.append(missing(COURIER_BILL, folder))
    elif inputs.shipping is None:
        problems.append(unusable(COURIER_BILL, UnusableInput("对账需要发货表,文件夹中没有")))
    else:
        # the reconciliation job on the bills of the month and the 发货 register already read
        # (the same cell parsers as its fast path); its findings are reported with the month's
        from shopbook.courier.job import reconcile
        from shopbook.courier.run import place_findings, price_frame, read_bills
        try:
            bills, other = bills_of_month(read_bills(scanned.bills, rule_set), month)
            for source, (period, label) in other.items():
                problems.append(fnd.sheet_level(source, "month-input-other-month", what=WHAT[COURIER_BILL.name],
                                                source=label, other=month_text(period), month=month_text(month),
                                                section=SECTION[COURIER_BILL.name]))
                outside.append(f"快递账单 {label} 是 {month_text(period)} 的")
            if len(bills.data):
                register = inputs.shipping.data
                inputs.reconciliation = reconcile(bills.data, register.assign(_row=register.index),
                                                  price_frame(rule_set), rule_set, as_of=as_of)
                found = fnd.combine([bills.findings, place_findings(inputs.reconciliation.findings, bills)])
                problems.append(_bill_located(found, bills))
                sources.append((WHAT[COURIER_BILL.name], "、".join(p.name for p in scanned.bills) if not other
                                else "、".join(dict.fromkeys(bills.data["_source"]))))
                if any(period is not None for period in bill_months(bills).values()):  # dated in the month
                    of_month.append(WHAT[COURIER_BILL.name])
        except UnusableInput as exc:
            problems.append(unusable(COURIER_BILL, exc))
    pay, note = choose(scanned, EMPLOYEES)
    problems.append(note)
    if pay is None:
        problems.append(missing(EMPLOYEES, folder))
    else:
        from shopbook.payroll.carried import workbook_month
        from shopbook.payroll.job import compute_payroll
        from shopbook.payroll.run import read_payroll_book
        from shopbook.rules.pay import load_pay_scheme
        try:
            tables = read_payroll_book(scanned.books[pay.path])
            own = workbook_month(tables)
            if own is not None and own != month:  # 个税累计 says which month it is for
                problems.append(fnd.sheet_level(pay.path.name, "month-input-other-month",
                                                what=WHAT[EMPLOYEES.name], source=pay.path.name,
                                                other=month_text(own), month=month_text(month),
                                                section=SECTION[EMPLOYEES.name]))
                outside.append(f"工资工作簿 {pay.path.name} 是 {month_text(own)} 的")
            else:
                scheme, scheme_findings = load_pay_scheme(rule_set)
                from shopbook.payroll.run import attach_records, folder_records
                attach_records(tables, folder_records(folder, pay.path, rules_path, *scanned.bills), rule_set, month)
                result, found = compute_payroll(tables, scheme, month)
                inputs.payroll = result
                problems += [scheme_findings, _located(found, pay.path.name)]
                sources.append(("工资", pay.path.name))
                if own is not None:
                    of_month.append("工资工作簿")
        except UnusableInput as exc:
            problems.append(unusable(EMPLOYEES, exc))
    if inputs.returns is not None and "登记日期" in inputs.returns.data:
        registered = inputs.returns.data["登记日期"].dropna()
        start, end = job.month_range(month)
        if ((registered >= start) & (registered < end)).any():
            of_month.append(WHAT[RETURNS.name])
    inputs.promotion_cost = cost if cost is not None else promotion_cost(rule_set, month)
    return Loaded(inputs, fnd.combine(problems), sources, Path(rules_path) if rules_path else None,
                  of_month, outside)


def _stock_ledger(scanned: Folder, inputs: job.MonthInputs, problems: list, sources: list) -> None:
    """库存预警 from the stock ledger: 可售 computed from the movements when the folder keeps 入库
    or 库存调整 (shopbook.stockbook.job.sellable)."""
    from shopbook.sheets.context import Sheets
    tables = Sheets(orders=inputs.orders, shipping=inputs.shipping, returns=inputs.returns, stock=inputs.stock,
                    rules=inputs.rules, as_of=inputs.as_of)
    used = []
    for kind in STOCK_LEDGER:
        hit, note = choose(scanned, kind)
        problems.append(note)
        if hit is not None:
            try:
                setattr(tables, STOCK_ATTR[kind.name],
                        parse_table(scanned.books[hit.path].sheet(hit.sheet), kind, hit.header_pos))
                used.append(f"{hit.path.name}「{hit.sheet}」")
            except UnusableInput as exc:
                problems.append(unusable(kind, exc))
    if inputs.stock is not None and tables.has_movements():
        from shopbook.stockbook.job import sellable
        inputs.sellable = sellable(tables, inputs.rules, inputs.as_of)
        sources.append(("库存流水", "、".join(used)))


def _joined_orders(scanned: Folder, rules: Rules):
    """(order lines, sources text) when the folder holds an order-level platform export and its
    line-level export (淘宝 ExportOrderList + ExportOrderDetailList), else None."""
    from shopbook.reading.exports import JoinedTable, _joined, Found as Candidate

    candidates = scanned.sheets.get(ORDERS.name, [])
    if len(candidates) < 2:
        return None
    parsed = []
    for c in candidates:
        try:
            parsed.append(Candidate(parse_table(scanned.books[c.path].sheet(c.sheet), ORDERS, c.header_pos,
                                                rules.profiles, name=f"{c.path.stem} {c.sheet}"),
                                    f"{c.path.name}「{c.sheet}」"))
        except UnusableInput:
            return None
    table, rest = _joined(parsed)
    if not isinstance(table, JoinedTable):
        return None
    return table, " + ".join(c.source for c in parsed if c not in rest)


# --- the job end to end --------------------------------------------------------------------
@dataclass
class MonthRun:
    folder: Path
    report: job.MonthReport
    findings: pd.DataFrame
    sources: list
    previous_folder: Path | None = None
    written: Path | None = None
    as_of: dt.datetime | None = None

    @property
    def exit_code(self) -> int:
        """1 when the figures are incomplete and the manager must act (an error finding: an
        input that could not be used, order lines without an amount, a promotion day without
        a 排班), else 0; unusable input as a whole (no folder, no orders) is exit 2 before this."""
        return 1 if len(self.findings) and (self.findings["severity"] == "error").any() else 0

    def as_json(self) -> dict:
        out = job.report_json(self.report)
        out["findings"] = fnd.records(self.findings) if len(self.findings) else []
        out["sources"] = [{"what": w, "file": f} for w, f in self.sources]
        out["output"] = str(self.written) if self.written else None
        return out

    def text(self) -> str:
        r = self.report
        lines = [f"月报 {job_label(r.month)}({self.folder}):"]
        last = r.previous.figures if r.previous is not None else {}
        for f in job.FIGURES:
            value = r.figures[f.key]
            if value is None:
                continue
            shown = show(value, f.kind)
            if last.get(f.key) is not None:
                shown += f"(上月 {show(last[f.key], f.kind)})"
            lines.append(f"  {f.label}: {shown}")
        if len(r.agents):
            lines.append("客服业绩:")
            for a in r.agents.itertuples(index=False):
                lines.append(f"  {a.客服}: {a.订单数:g} 单,销售额 {fen_text(a.销售额)}")
        if len(self.findings):
            lines.append("说明:")
            for f in self.findings.itertuples(index=False):
                lines.append(f"  [{ {'error': '错误', 'warning': '警告', 'info': '提示'}[f.severity] }] {note_text(f)}")
        if self.written:
            lines.append(f"已写出月报: {self.written}")
        return "\n".join(lines)


def refuse_if_nothing_of_month(folder: Path, month: dt.date, loaded: Loaded) -> None:
    """UnusableInput when nothing in the folder is of the month: no order paid in it, and no
    bill, payroll or return dated in it (a month mistyped, or the folder of another month)."""
    if loaded.of_month or len(job.month_lines(loaded.inputs.orders, month)[0]):
        return
    seen = [job.sale_span(loaded.inputs.orders).strip("()") or "订单表的订单都没有付款时间"] + loaded.elsewhere
    raise UnusableInput(f"{folder}: 没有 {job_label(month)} 的数据({';'.join(seen)})。"
                        f"请检查月份是否写对,或文件夹是否是 {job_label(month)} 的。")


def note_text(f) -> str:
    """A finding as the month lists it: a cell finding (of the bill, the payroll …) with its place."""
    return f"{f.sheet} {f.cell}: {f.message}" if isinstance(f.cell, str) and f.cell else f.message


def folder_label(folder: Path, within: Path | None = None) -> str:
    """A folder as the workbook names it: its own name (never blank, also for "." or "10月/"),
    and 10月/上月 for a subfolder of the month's folder."""
    path = Path(folder).resolve()
    if within is not None:
        base = Path(within).resolve()
        if path.parent == base:
            return f"{folder_label(base)}/{path.name}"
    return path.name or str(path)


def job_label(month: dt.date) -> str:
    return f"{month.year}-{month.month:02d}"


def show(value, kind: str) -> str:
    if kind == "money":
        return fen_text(value)
    if kind == "rate":
        return f"{value * 100:.2f}%"
    if kind == "ratio":
        return f"{value:.2f}"
    return f"{value:,}"


def default_output(month: dt.date) -> Path:
    return Path(f"月报-{job_label(month)}.xlsx")


def run_month(folder: Path, month: dt.date, rules_path: Path | None = None, as_of: dt.datetime | None = None, *,
              previous: Path | None = None, output: Path | None = None, cost: int | None = None,
              show_progress: bool = False) -> MonthRun:
    """Read the month's folder (and last month's), compute, write the workbook."""
    from shopbook.sheets.run import progress
    from shopbook.payroll.months import previous_month

    folder = Path(folder)
    now = dt.datetime.now().replace(microsecond=0)
    # without --as-of a month that is over is seen from its end, so its figures never change
    this_as_of = as_of or job.default_as_of(month, now)
    output = Path(output) if output else default_output(month)
    last = previous if previous is not None else folder / PREVIOUS_FOLDER
    check_outputs([folder, last, rules_path], [output], ignore=lambda p: p.name.startswith("月报-"))
    with progress(f"正在读取 {folder} …", show_progress):
        loaded = load_month(folder, month, rules_path and Path(rules_path), this_as_of, skip=(output,), cost=cost)
    if loaded.inputs.orders is None:
        raise UnusableInput(f"{folder}: 找不到订单表(按工作表名 订单/订单明细 或表头查找),无法生成月报。")
    refuse_if_nothing_of_month(folder, month, loaded)
    prev_report, prev_folder, prev_findings = None, None, fnd.empty()
    if previous is None and (folder / PREVIOUS_FOLDER).is_dir():
        previous = folder / PREVIOUS_FOLDER
    if previous is not None:
        prev_folder = Path(previous)
        last = previous_month(month)
        with progress(f"正在读取上月 {prev_folder} …", show_progress):
            # last month is read with this month's rules unless its folder has its own
            prev_loaded = load_month(prev_folder, last, None, as_of or job.default_as_of(last, now), skip=(output,),
                                     fallback=loaded)
        if prev_loaded.inputs.orders is not None and len(job.month_lines(prev_loaded.inputs.orders, last)[0]):
            prev_report = job.compute_month(prev_loaded.inputs)
            prev_findings = prev_loaded.findings[prev_loaded.findings["severity"] == "error"] \
                if len(prev_loaded.findings) else prev_loaded.findings
            prev_findings = prev_findings.assign(message="上月: " + prev_findings["message"]) \
                if len(prev_findings) else prev_findings
        else:  # a folder of another month (or none of last month's orders): no comparison, and say so
            span = job.sale_span(prev_loaded.inputs.orders) if prev_loaded.inputs.orders is not None else ""
            prev_findings = fnd.sheet_level(prev_folder.name, "month-previous-empty", folder=prev_folder.name,
                                            month=job_label(last), span=span)
    with progress("正在计算 …", show_progress):
        report = job.compute_month(loaded.inputs, prev_report)
    findings = fnd.combine([loaded.findings, report.findings, prev_findings])
    run = MonthRun(folder, report, findings, loaded.sources, prev_folder, as_of=as_of)
    with progress("正在写出月报 …", show_progress):
        run.written = write_month_workbook(run, output)
    return run



# --- writing the workbook --------------------------------------------------------------------
NUMBER_FORMATS = {"count": "#,##0", "money": "#,##0.00", "rate": "0.00%", "ratio": "0.00", "num2": "#,##0.00",
                  "date": "yyyy-mm-dd", "text": "@", "change_money": "+#,##0.00;-#,##0.00;0.00",
                  "change_count": "+#,##0;-#,##0;0", "change_rate": "+0.00%;-0.00%;0.00%",
                  "change_ratio": "+0.00;-0.00;0.00", "growth": "+0.0%;-0.0%;0.0%",
                  # a change of a rate, in percentage points (the cell holds points: 1.2, not 0.012)
                  "change_points": '+0.00" 个百分点";-0.00" 个百分点";0.00" 个百分点"'}
SERIES_COLORS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47")


class Formats:
    def __init__(self, wb):
        self.wb = wb
        self.title = wb.add_format({"bold": True, "font_size": 16})
        self.subtitle = wb.add_format({"font_color": "#595959"})
        self.section = wb.add_format({"bold": True, "font_size": 12})
        self.header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#305496", "border": 1,
                                     "text_wrap": True, "valign": "vcenter", "align": "center"})
        self.cells = {k: wb.add_format({"num_format": v, "border": 1, "border_color": "#BFBFBF"})
                      for k, v in NUMBER_FORMATS.items()}
        self.totals = {k: wb.add_format({"num_format": v, "bold": True, "top": 2, "bg_color": "#F2F2F2"})
                       for k, v in NUMBER_FORMATS.items()}
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"})
        self.note = wb.add_format({"valign": "top"})
        self.note_wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.missing = wb.add_format({"font_color": "#808080", "border": 1, "border_color": "#BFBFBF"})
        self.label = wb.add_format({"bold": True, "border": 1, "border_color": "#BFBFBF"})
        self.error = wb.add_format({"font_color": "#C00000", "text_wrap": True, "valign": "top"})
        self.red = wb.add_format({"font_color": "#C00000", "bold": True})


def _blank(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def put(ws, f: Formats, row: int, col: int, value, kind: str, total: bool = False) -> None:
    """One stored value (never a formula) with its number format; money is fen; a change of a
    rate is written in percentage points."""
    if kind == "share_count":  # an order count that promotion-day sharing may split (1/n each)
        kind = "count" if _blank(value) or float(value).is_integer() else "num2"
    if kind == "change_rate":
        kind, value = "change_points", None if _blank(value) else round(float(value) * 100, 2)
    fmt = (f.totals if total else f.cells)[kind]
    if _blank(value):
        ws.write_blank(row, col, None, fmt)
    elif kind in ("text",):
        ws.write_string(row, col, str(value), fmt)
    elif kind == "date":
        ws.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), fmt)
    elif kind in ("money", "change_money"):
        ws.write_number(row, col, int(value) / 100, fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def table(ws, f: Formats, columns, frame: pd.DataFrame, *, row: int = 0, col: int = 0,
          total: dict | None = None, filter_: bool = True) -> int:
    """Write `frame` under a header row; `columns` = [(name, kind, width)]. A total row (its
    values given, stored) goes under the data. Returns the row after the table."""
    for c, (name, kind, width) in enumerate(columns):
        ws.set_column(col + c, col + c, width)
        ws.write_string(row, col + c, name, f.header)
    ws.set_row(row, 30)
    values = frame[[name for name, _, _ in columns]].astype(object).to_numpy() if len(frame) else []
    r = row
    for r, record in enumerate(values, start=row + 1):
        for c, ((_, kind, _), value) in enumerate(zip(columns, record)):
            put(ws, f, r, col + c, value, kind)
    if filter_ and len(frame):
        ws.autofilter(row, col, r, col + len(columns) - 1)
    if total is not None:
        r += 1
        for c, (name, kind, _) in enumerate(columns):
            if c == 0:
                ws.write_string(r, col, str(total.get(name, "合计")), f.totals["text"])
            else:
                put(ws, f, r, col + c, total.get(name), kind, total=True)
    return r + 1


def print_setup(ws, f: Formats, title: str, repeat: int | None = 0, landscape: bool = True) -> None:
    if landscape:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if repeat is not None:
        ws.repeat_rows(repeat)
    ws.set_header(f'&L&"-,Bold"{title}&R{f.printed}')
    ws.set_footer("&C第 &P 页,共 &N 页")


def _chart(wb, kind: str, title: str, subtype: str | None = None):
    chart = wb.add_chart({"type": kind, **({"subtype": subtype} if subtype else {})})
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 340})
    return chart


AGENT_SHEET_COLUMNS = [("客服", "text", 12), ("订单数", "share_count", 9), ("其中活动日分摊单数", "share_count", 14),
                       ("销售额", "money", 13), ("其中活动日分摊金额", "money", 15), ("销售占比", "rate", 9),
                       ("客单价", "money", 10), ("上月销售额", "money", 13), ("环比", "growth", 9)]


def overview_sheet(wb, f: Formats, run: MonthRun) -> None:
    r = run.report
    ws = wb.add_worksheet("概览")
    ws.hide_gridlines(2)
    ws.write_string(0, 0, f"月报 {job_label(r.month)}", f.title)
    ws.write_string(1, 0, f"店铺经营月报 · 生成于 {dt.datetime.now():%Y-%m-%d %H:%M} · 数据文件夹「{folder_label(run.folder)}」"
                    + (f" · 上月数据取自「{folder_label(run.previous_folder, run.folder)}」" if run.previous_folder else ""),
                    f.subtitle)
    header = ["指标", "本月", "上月", "变化", "环比", "口径说明"]
    widths = [16, 15, 15, 13, 9, 58]
    for c, (name, width) in enumerate(zip(header, widths)):
        ws.set_column(c, c, width)
        ws.write_string(3, c, name, f.header)
    last = r.previous.figures if r.previous is not None else None
    row = 4
    for fig in job.FIGURES:
        value = r.figures[fig.key]
        ws.write_string(row, 0, fig.label, f.label)
        if value is None:
            ws.write_string(row, 1, "无数据", f.missing)
        else:
            put(ws, f, row, 1, value, fig.kind)
        if last is not None and last.get(fig.key) is not None:
            put(ws, f, row, 2, last[fig.key], fig.kind)
        else:
            ws.write_blank(row, 2, None, f.cells["text"])
        put(ws, f, row, 3, job.change(value, last.get(fig.key) if last else None, fig.kind), f"change_{fig.kind}")
        put(ws, f, row, 4, job.growth(value, last.get(fig.key) if last else None, fig.kind), "growth")
        ws.write_string(row, 5, fig.definition, f.wrap)
        row += 1
    ws.freeze_panes(4, 1)
    row += 1
    ws.write_string(row, 0, "说明", f.section)
    row += 1
    notes = run.findings
    if not len(notes):
        ws.write_string(row, 0, "本月各部分数据齐全。", f.note)
        row += 1
    for n in notes.itertuples(index=False):
        mark = {"error": "需处理", "warning": "请注意", "info": "提示"}[n.severity]
        ws.write_string(row, 0, mark, f.red if n.severity == "error" else f.note)
        text = note_text(n)
        ws.merge_range(row, 1, row, 5, text, f.error if n.severity == "error" else f.note_wrap)
        ws.set_row(row, 30 if len(text) > 70 else None)
        row += 1
    row += 1
    ws.write_string(row, 0, "数据来源", f.section)
    row += 1
    for what, source in run.sources:
        ws.write_string(row, 0, what, f.note)
        ws.merge_range(row, 1, row, 5, source, f.note)
        row += 1
    if len(r.daily) and r.figures["sales"] is not None:
        ws.insert_chart(row + 1, 0, daily_chart(wb, "客服日报", len(r.daily)), {"x_scale": 1.3})
    print_setup(ws, f, f"月报 {job_label(r.month)} 概览", repeat=None, landscape=False)


def daily_chart(wb, sheet: str, days: int):
    chart = _chart(wb, "column", "每日销售额与订单数")
    chart.add_series({"name": "销售额", "categories": [sheet, 1, 0, days, 0], "values": [sheet, 1, 2, days, 2],
                      "fill": {"color": SERIES_COLORS[0]}, "gap": 60})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": "订单数", "categories": [sheet, 1, 0, days, 0], "values": [sheet, 1, 1, days, 1],
                     "y2_axis": True, "line": {"color": SERIES_COLORS[1], "width": 2}, "marker": {"type": "circle",
                                                                                                "size": 4}})
    chart.combine(line)
    chart.set_x_axis({"date_axis": True, "num_format": "m/d", "major_unit": 2, "major_unit_type": "days",
                      "num_font": {"rotation": -45}})
    chart.set_y_axis({"name": "销售额(元)", "num_format": "#,##0", "major_gridlines": {"visible": True,
                                                                                     "line": {"color": "#D9D9D9"}}})
    line.set_y2_axis({"name": "订单数"})
    return chart


def agents_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("客服业绩")
    a = r.agents
    shared = r.shares[r.shares["_shared"]] if len(r.shares) else r.shares
    total = {"客服": "合计", "订单数": r.figures["orders"],
             "其中活动日分摊单数": shared["_order"].nunique() if len(shared) else 0,
             "销售额": int(a["销售额"].sum()), "其中活动日分摊金额": int(a["其中活动日分摊金额"].sum()),
             "销售占比": 1.0 if len(a) else None, "客单价": r.figures["avg_order_value"],
             "上月销售额": r.previous.figures["sales"] if r.previous is not None else None}
    total["环比"] = job.growth(total["销售额"], total["上月销售额"], "money")
    end = table(ws, f, AGENT_SHEET_COLUMNS, a, total=total)
    ws.freeze_panes(1, 1)
    # how the orders were attributed (the rules of docs/month.md, in order)
    basis = r.shares.groupby("_basis").agg(单数=("_orders", "sum"), 销售额=("_sales", "sum")) if len(r.shares) else None
    row = end + 1
    ws.write_string(row, 0, "归属依据", f.section)
    rows = pd.DataFrame({"归属依据": [job.BY_OVERRIDE, job.BY_PROMOTION, job.BY_RED, job.BY_YELLOW, job.BY_NONE]})
    rows["订单数"] = [round(float(basis["单数"].get(b, 0)), 2) if basis is not None else 0 for b in rows["归属依据"]]
    rows["销售额"] = [int(basis["销售额"].get(b, 0)) if basis is not None else 0 for b in rows["归属依据"]]
    table(ws, f, [("归属依据", "text", 12), ("订单数", "share_count", 9), ("销售额", "money", 11)], rows, row=row + 1,
          filter_=False)
    for c, (_, _, width) in enumerate(AGENT_SHEET_COLUMNS):
        ws.set_column(c, c, width)  # the small table above reset the first widths
    if len(a):
        chart = _chart(wb, "bar", "各客服销售额")
        chart.add_series({"name": "销售额", "categories": ["客服业绩", 1, 0, len(a), 0],
                          "values": ["客服业绩", 1, 3, len(a), 3], "fill": {"color": SERIES_COLORS[0]},
                          "data_labels": {"value": True, "num_format": "#,##0"}})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.set_legend({"none": True})
        chart.set_size({"width": 620, "height": max(260, 40 * len(a) + 80)})
        ws.insert_chart(1, len(AGENT_SHEET_COLUMNS) + 1, chart)
    print_setup(ws, f, f"月报 {job_label(r.month)} 客服业绩")


def daily_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("客服日报")
    d = r.daily
    names = [c for c in d.columns if c not in ("日期", "订单数", "销售额")]
    columns = [("日期", "date", 11), ("订单数", "count", 8), ("销售额", "money", 12)] + \
              [(n, "money", max(10, 2 * len(n) + 2)) for n in names]
    total = {"日期": "合计", "订单数": int(d["订单数"].sum()), "销售额": int(d["销售额"].sum())}
    total.update({n: int(d[n].sum()) for n in names})
    table(ws, f, columns, d, total=total, filter_=False)
    ws.freeze_panes(1, 1)
    ws.insert_chart(1, len(columns) + 1, daily_chart(wb, "客服日报", len(d)))
    print_setup(ws, f, f"月报 {job_label(r.month)} 客服日报(按付款日,各客服销售额)")


REASON_SHEET_COLUMNS = [("原因", "text", 14), ("退货", "count", 7), ("换货", "count", 7), ("仅退款", "count", 7),
                        ("合计单数", "count", 9), ("件数", "count", 7), ("退款金额", "money", 11), ("占比", "rate", 8)]
ITEM_SHEET_COLUMNS = [("商品编码", "text", 14), ("商品名称", "text", 22), ("退换件数", "count", 9),
                      ("退款金额", "money", 11), ("本月销量", "count", 9), ("退换率", "rate", 8)]


def returns_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("退换货分析")
    reasons, items = r.returns_by_reason, r.returns_by_item
    total = {"原因": "合计", **{c: int(reasons[c].sum()) for c in ("退货", "换货", "仅退款", "合计单数", "件数", "退款金额")},
             "占比": 1.0 if len(reasons) else None}
    end = table(ws, f, REASON_SHEET_COLUMNS, reasons, total=total, filter_=False)
    gap = len(REASON_SHEET_COLUMNS) + 1
    ws.set_column(gap - 1, gap - 1, 3)
    table(ws, f, ITEM_SHEET_COLUMNS, items, col=gap, filter_=False)
    ws.freeze_panes(1, 0)
    if len(reasons):
        chart = _chart(wb, "bar", "退换货原因(单数)")
        chart.add_series({"name": "合计单数", "categories": ["退换货分析", 1, 0, len(reasons), 0],
                          "values": ["退换货分析", 1, 4, len(reasons), 4], "fill": {"color": SERIES_COLORS[1]},
                          "data_labels": {"value": True}})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
        chart.set_size({"width": 620, "height": max(260, 36 * len(reasons) + 80)})
        ws.insert_chart(end + 1, 0, chart)
    print_setup(ws, f, f"月报 {job_label(r.month)} 退换货分析(按登记日期)")


STOCK_SHEET_COLUMNS = [("状态", "text", 9), ("商品编码", "text", 14), ("商品名称", "text", 22), ("颜色", "text", 8),
                       ("尺码", "text", 7), ("库位", "text", 9), ("可售数量", "count", 9), ("安全库存", "count", 9),
                       ("本月销量", "count", 9), ("建议补货", "count", 9)]


def stock_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("库存预警")
    alerts = r.stock_alerts
    end = table(ws, f, STOCK_SHEET_COLUMNS, alerts)
    if not len(alerts):
        ws.write_string(2, 0, "本月没有缺货或低于安全库存的商品。", f.note)
    else:
        ws.conditional_format(1, 0, end - 1, 0, {"type": "text", "criteria": "containing", "value": "缺货",
                                                 "format": f.red})
    ws.freeze_panes(1, 2)
    print_setup(ws, f, f"月报 {job_label(r.month)} 库存预警")


COURIER_SHEET_COLUMNS = [("快递公司", "text", 10), ("账单行数", "count", 9), ("账单金额", "money", 12),
                         ("多收金额", "money", 11), ("索赔金额", "money", 11), ("抵扣金额", "money", 11),
                         ("应付金额", "money", 12), ("争议行数", "count", 9), ("已发未计费", "count", 10)]


def courier_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("快递对账")
    c = r.couriers
    total = {"快递公司": "合计", **{k: int(c[k].sum()) for k, _, _ in COURIER_SHEET_COLUMNS[1:]}}
    end = table(ws, f, COURIER_SHEET_COLUMNS, c, total=total, filter_=False)
    ws.freeze_panes(1, 1)
    ws.write_string(end + 1, 0, "应付金额 = 账单金额 − 多收 − 索赔 − 抵扣。争议明细见快递对账生成的「对账结果」工作簿。",
                    f.note)
    if len(c):
        chart = _chart(wb, "column", "各快递公司多收与索赔(元)")
        chart.add_series({"name": "多收金额", "categories": ["快递对账", 1, 0, len(c), 0],
                          "values": ["快递对账", 1, 3, len(c), 3], "fill": {"color": SERIES_COLORS[1]},
                          "data_labels": {"value": True, "num_format": "#,##0.00"}})
        chart.add_series({"name": "索赔金额", "categories": ["快递对账", 1, 0, len(c), 0],
                          "values": ["快递对账", 1, 4, len(c), 4], "fill": {"color": SERIES_COLORS[0]}})
        chart.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        ws.insert_chart(end + 3, 0, chart)
    print_setup(ws, f, f"月报 {job_label(r.month)} 快递对账")


PAYROLL_SHEET_COLUMNS = [("工号", "text", 8), ("姓名", "text", 9), ("岗位", "text", 12)] + \
    [(name, "money", 11) for name in job.PAYROLL_COLUMNS[3:]]


def payroll_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("工资汇总")
    p = r.payroll
    total = {"工号": "合计", "姓名": f"{len(p)} 人", **{k: int(p[k].sum()) for k in job.PAYROLL_COLUMNS[3:]}}
    end = table(ws, f, PAYROLL_SHEET_COLUMNS, p, total=total)
    ws.freeze_panes(1, 2)
    by_position = p.groupby("岗位", sort=False).agg(人数=("工号", "size"), 应发工资=("应发工资", "sum"),
                                                   实发工资=("实发工资", "sum")).reset_index()
    row = end + 1
    ws.write_string(row, 0, "按岗位", f.section)
    table(ws, f, [("岗位", "text", 8), ("人数", "count", 8), ("应发工资", "money", 12), ("实发工资", "money", 11)],
          by_position, row=row + 1, filter_=False)
    for c, (_, _, width) in enumerate(PAYROLL_SHEET_COLUMNS[:4]):
        ws.set_column(c, c, max(width, 12))
    print_setup(ws, f, f"月报 {job_label(r.month)} 工资汇总")


def write_month_workbook(run: MonthRun, target: Path) -> Path:
    """The manager's workbook: 概览, 客服业绩, 客服日报 and the sections whose inputs were found."""
    import xlsxwriter

    r = run.report
    with atomic_path(target) as tmp:
        # text stays text: a file, sheet or 客服 name starting with '=' is no formula, nor a link
        wb = xlsxwriter.Workbook(str(tmp), {"default_date_format": "yyyy-mm-dd", "strings_to_formulas": False,
                                            "strings_to_urls": False})
        wb.set_properties({"title": f"月报 {job_label(r.month)}", "author": "shopbook"})
        marks.mark_xlsxwriter(wb, "month")
        f = Formats(wb)
        f.printed = header_date(run.as_of)  # the date in every page header
        overview_sheet(wb, f, run)
        agents_sheet(wb, f, r)
        daily_sheet(wb, f, r)
        if r.returns_by_reason is not None:
            returns_sheet(wb, f, r)
        if r.stock_alerts is not None:
            stock_sheet(wb, f, r)
        if r.couriers is not None:
            courier_sheet(wb, f, r)
        if r.payroll is not None:
            payroll_sheet(wb, f, r)
        wb.close()
    return Path(target)
