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

from shopbook.core import report as run_report
from shopbook.core import findings as fnd
from shopbook.monthly import figures, job
from shopbook.monthly.folder import (ATTR, LEDGER, ORDER_COLUMNS, PREVIOUS_FOLDER, SECTION, SHIPPING_COLUMNS,
                                     STOCK_ATTR, STOCK_LEDGER, WHAT, Folder, choose, missing, read_table,
                                     scan_folder, unusable)
from shopbook.core.months import month_label
from shopbook.monthly.lists import note_text, show
from shopbook.monthly.xlsx import write_month_workbook
from shopbook.courier.job import COURIER_BILL
from shopbook.sheets.orders import ORDERS
from shopbook.sheets.shipping import SHIPPING
from shopbook.payroll.sheets import EMPLOYEES
from shopbook.core.money import fen_text
from shopbook.core.errors import UnusableInput
from shopbook.reading.tables import parse_table
from shopbook.sheets.returns import RETURNS
from shopbook.sheets.reviews import REVIEWS
from shopbook.rules import Rules, load_rules
from shopbook.writing.safe import check_outputs

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
    # only the columns the month reads, unless the stock ledger's 可售 needs the rest
    ledger = any(k.name in scanned.sheets for k in STOCK_LEDGER)
    columns = {} if ledger else {ORDERS.name: ORDER_COLUMNS, SHIPPING.name: SHIPPING_COLUMNS}
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
            table = read_table(scanned, hit, kind, rule_set.profiles, columns.get(kind.name))
        except UnusableInput as exc:
            problems.append(unusable(kind, exc))
            continue
        setattr(inputs, ATTR[kind.name], table)
        sources.append((WHAT[kind.name], f"{hit.path.name}「{hit.sheet}」"))
    _stock_ledger(scanned, inputs, problems, sources)
    _reviews(scanned, inputs, problems, sources)
    if not scanned.bills:
        problems.append(missing(COURIER_BILL, folder))
    elif inputs.shipping is None:
        problems.append(unusable(COURIER_BILL, UnusableInput("对账需要发货表,文件夹中没有")))
    else:
        # the reconciliation job on the bills of the month and the 发货 register already read
        # (the same cell parsers as its fast path); its findings are reported with the month's
        from shopbook.courier.job import reconcile
        from shopbook.courier.inputs import place_findings, price_frame, read_bills
        try:
            # the bills as the folder read them (an .xlsx's text is taken as it is)
            bills, other = job.bills_of_month(read_bills([scanned.books.get(p, p) for p in scanned.bills], rule_set),
                                              month)
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
                if any(period is not None for period in job.bill_months(bills).values()):  # dated in the month
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
            tables = read_payroll_book(scanned.workbook(pay.path))
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
                records = folder_records(folder, pay.path, rules_path, *scanned.bills)
                # the workbooks the month has read already are counted from those reads
                attach_records(tables, [scanned.books.get(p, p) for p in records], rule_set, month)
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
    inputs.promotion_cost = cost if cost is not None else job.promotion_cost(rule_set, month)
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
                        parse_table(scanned.workbook(hit.path).sheet(hit.sheet), kind, hit.header_pos))
                used.append(f"{hit.path.name}「{hit.sheet}」")
            except UnusableInput as exc:
                problems.append(unusable(kind, exc))
    if inputs.stock is not None and tables.has_movements():
        from shopbook.stockbook.job import sellable
        inputs.sellable = sellable(tables, inputs.rules, inputs.as_of)
        sources.append(("库存流水", "、".join(used)))


def _reviews(scanned: Folder, inputs: job.MonthInputs, problems: list, sources: list) -> None:
    """The 评价 register (the 客服 workbook `shopbook today` reads) for 客服业绩's 好评改善, read as
    today reads it: the sheet kind shopbook.sheets.reviews.REVIEWS."""
    hit, note = choose(scanned, REVIEWS)
    problems.append(note)
    if hit is None:
        problems.append(missing(REVIEWS, scanned.path))
        return
    try:
        inputs.reviews = read_table(scanned, hit, REVIEWS)
    except UnusableInput as exc:
        problems.append(unusable(REVIEWS, exc))
        return
    sources.append((WHAT[REVIEWS.name], f"{hit.path.name}「{hit.sheet}」"))


def _joined_orders(scanned: Folder, rules: Rules):
    """(order lines, sources text) when the folder holds an order-level platform export and its
    line-level export (淘宝 ExportOrderList + ExportOrderDetailList), else None."""
    from shopbook.sheets.exports import JoinedTable, _joined, Found as Candidate

    candidates = scanned.sheets.get(ORDERS.name, [])
    if len(candidates) < 2:
        return None
    parsed = []
    for c in candidates:
        try:
            parsed.append(Candidate(parse_table(scanned.workbook(c.path).sheet(c.sheet), ORDERS, c.header_pos,
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
        return run_report.exit_code(self.findings)

    def as_json(self) -> dict:
        out = job.report_json(self.report)
        out["findings"] = fnd.records(self.findings) if len(self.findings) else []
        out["sources"] = [{"what": w, "file": f} for w, f in self.sources]
        out["output"] = str(self.written) if self.written else None
        return out

    def text(self) -> str:
        r = self.report
        lines = [f"月报 {month_label(r.month)}({self.folder}):"]
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
        if r.reviews is not None and len(r.reviews):
            lines.append("好评改善:")
            for v in r.reviews.itertuples(index=False):
                rate = "" if pd.isna(v.改善率) else f",改善率 {v.改善率 * 100:.2f}%"
                lines.append(f"  {v.客服}: 差评 {v.差评数},改好 {v.差评改好数}{rate}")
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
    raise UnusableInput(f"{folder}: 没有 {month_label(month)} 的数据({';'.join(seen)})。"
                        f"请检查月份是否写对,或文件夹是否是 {month_label(month)} 的。")


def default_output(month: dt.date) -> Path:
    return Path(f"月报-{month_label(month)}.xlsx")


def run_month(folder: Path, month: dt.date, rules_path: Path | None = None, as_of: dt.datetime | None = None, *,
              previous: Path | None = None, output: Path | None = None, cost: int | None = None,
              show_progress: bool = False) -> MonthRun:
    """Read the month's folder (and last month's), compute, write the workbook."""
    from shopbook.sheets.run import progress
    from shopbook.core.months import previous_month

    folder = Path(folder)
    now = dt.datetime.now().replace(microsecond=0)
    # without --as-of a month that is over is seen from its end, so its figures never change
    this_as_of = as_of or figures.default_as_of(month, now)
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
            prev_loaded = load_month(prev_folder, last, None, as_of or figures.default_as_of(last, now), skip=(output,),
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
                                            month=month_label(last), span=span)
    with progress("正在计算 …", show_progress):
        report = job.compute_month(loaded.inputs, prev_report)
    findings = fnd.combine([loaded.findings, report.findings, prev_findings])
    run = MonthRun(folder, report, findings, loaded.sources, prev_folder, as_of=as_of)
    with progress("正在写出月报 …", show_progress):
        run.written = write_month_workbook(run, output)
    return run



