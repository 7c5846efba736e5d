"""Payroll file adapters: read the payroll workbook, run shopbook.payroll.job, write the result
with shopbook.payroll.xlsx; the run object (exit code, JSON, the text report).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from shopbook.core import report
from shopbook.core.report import error_count
from shopbook.core import findings as fnd
from shopbook.payroll.job import PayrollResult, compute_payroll
from shopbook.core.months import month_end, month_label
from shopbook.payroll.sheets import ATTENDANCE, DUTY_LEDGER, EMPLOYEES, KINDS, PERFORMANCE, TAX_YTD, PayrollTables
from shopbook.payroll.sheets import SEPARATE
from shopbook.payroll.slip import code_titles
from shopbook.payroll.xlsx import (UNCHECKED_BANNER, UNCHECKED_SUFFIX, unchecked_name, write_bank_csv,
                                   write_payroll_workbook)
from shopbook.reading.files import Sheet, Workbook, as_workbook, open_workbook
from shopbook.core.errors import UnusableInput
from shopbook.reading.tables import Table, assign_sheets, parse_table, require, sheet_table
from shopbook.rules import load_rules
from shopbook.rules.pay import _num, load_pay_scheme
from shopbook.sheets.rewards import INCIDENTS, REWARDS
from shopbook.writing.safe import check_outputs

# Names that lived in this module before the payroll split (now shopbook.payroll.lists / .xlsx), still
# importable from here for code written against the old layout.


# --- reading ----------------------------------------------------------------------------------
# --- reading ----------------------------------------------------------------------------------
def read_payroll_book(book: Workbook) -> PayrollTables:
    """The payroll sheets of a workbook (by name/alias, else by header row); 员工 is required."""
    found = assign_sheets(book, list(KINDS) + list(REWARD_KINDS))
    tables = {}
    for kind in (*KINDS, *REWARD_KINDS):
        if kind.name in found:
            name, header_pos = found[kind.name]
            tables[kind.name] = parse_table(book.sheet(name), kind, header_pos)
    employees = require(tables.get(EMPLOYEES.name), book, EMPLOYEES)
    return PayrollTables(employees, tables.get(ATTENDANCE.name), tables.get(PERFORMANCE.name),
                         tables.get(TAX_YTD.name), tables.get(DUTY_LEDGER.name),
                         rewards=tables.get(REWARDS.name), incidents=tables.get(INCIDENTS.name))


REWARD_KINDS = (REWARDS, INCIDENTS)


def read_rewards(paths: list[Path]) -> tuple[Table | None, Table | None]:
    """奖罚登记 and 仓库事故 from the first of these workbooks that holds a 奖罚登记 sheet."""
    for path in paths:
        book = as_workbook(path)
        found = assign_sheets(book, list(REWARD_KINDS))
        if REWARDS.name in found:
            parsed = {k.name: sheet_table(book, found[k.name][0], k, found[k.name][1])
                      for k in REWARD_KINDS if k.name in found}
            return parsed[REWARDS.name], parsed.get(INCIDENTS.name)
    return None, None


def month_to_pay(tables: PayrollTables, as_of: dt.datetime) -> dt.date:
    """The month a workbook without --month pays (the 计算工资 button): the one after the latest
    年份/截至月份 stamp of 个税累计/责任金台账 (they hold the months already paid), else the month
    before `as_of` (pay is worked out after the month ends)."""
    from shopbook.payroll.carried import workbook_month

    stamped = workbook_month(tables)
    if stamped is not None:
        return stamped
    first = as_of.date().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


# the sheets the payroll writes into its workbook (the 计算工资 button; 未代发名单 only when someone is left out)
RESULT_SHEETS = ("工资表", "工资条", "银行代发", "未代发名单", "下月个税累计", "下月责任金台账", "奖罚评分表")


def _cell_value(v):
    """Decimal/date values as a reader would see them in a real workbook."""
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    return v


def memory_book(sheets: dict, name: str = "内存工作簿.xlsx") -> Workbook:
    """A Workbook held in memory: {sheet: DataFrame (headers as columns) or rows (first = header)}.
    Lets tests and chained months run the job without files."""
    frames = {}
    for sheet, content in sheets.items():
        if isinstance(content, pd.DataFrame):
            rows = [list(content.columns)] + [[_cell_value(v) for v in r] for r in content.itertuples(index=False)]
        else:
            rows = [[_cell_value(v) for v in r] for r in content]
        width = max((len(r) for r in rows), default=0)
        frames[sheet] = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    return Workbook(Path(name), list(frames), lambda s: Sheet(s, frames[s]))


def read_payroll(path: Path) -> PayrollTables:
    return read_payroll_book(open_workbook(path))


def errors_text(findings: pd.DataFrame) -> str:
    """The error findings by kind: 'base-missing 缺少底薪 1 处、…'."""
    from shopbook.core.codes import CODES

    errors = findings[findings["severity"] == "error"]
    counts = errors["code"].value_counts(sort=False)
    return "、".join(f"{code} {CODES[code].title} {n} 处" for code, n in counts.items())


# --- the job end to end ------------------------------------------------------------------------
@dataclass
class PayrollRun:
    path: Path
    result: PayrollResult
    findings: pd.DataFrame
    written: Path | None = None
    bank_csv: Path | None = None
    bank_withheld: Path | None = None  # asked for but not written: there are errors
    bank_unchecked: bool = False  # written despite errors (--force-bank), as …-未核对.csv

    @property
    def exit_code(self) -> int:
        return report.exit_code(self.findings)

    def bank_note(self) -> str | None:
        """Why the bank file was not written, or was written as unchecked."""
        errors = error_count(self.findings)
        if self.bank_withheld:
            return (f"未写出银行代发文件 {self.bank_withheld}:有 {errors} 个错误未改正({errors_text(self.findings)}),"
                    f"代发金额可能不准。请改正后重新计算;确需先导出核对,加 --force-bank"
                    f"(文件名将带「{UNCHECKED_SUFFIX}」)。")
        if self.bank_unchecked:
            return (f"银行代发文件写成了 {self.bank_csv}(--force-bank):有 {errors} 个错误未改正"
                    f"({errors_text(self.findings)}),这份文件仅供核对,不可直接上传银行。")
        return None

    def as_json(self) -> dict:
        data = self.result.as_json(self.findings)
        data["summary"] = fnd.summary(self.findings)
        if self.result.scores is not None:  # only with a 奖罚登记: the 奖罚评分表, points and money as strings
            data["scores"] = {"date": self.result.scored_on.isoformat(), "people": [
                {"id": r["工号"], "name": r["姓名"], "reward_points": _num(r["奖励分"]), "penalty_points": _num(r["处罚分"]),
                 "attendance_points": _num(r["考勤扣分"]), "points": _num(r["合计分"]),
                 "reward": f"{r['奖励金额']:.2f}", "penalty": f"{r['罚款金额']:.2f}", "entries": r["说明"]}
                for r in self.result.scores.to_dict("records")]}
        data["outputs"] = {"workbook": str(self.written) if self.written else None,
                           "bank_csv": str(self.bank_csv) if self.bank_csv else None,
                           "bank_csv_withheld": str(self.bank_withheld) if self.bank_withheld else None,
                           "bank_csv_unchecked": self.bank_unchecked, "bank_note": self.bank_note()}
        return data

    def report(self, limit: int = 200) -> str:
        r, t = self.result, self.result.totals
        lines = [f"工资 {month_label(r.month)}({self.path.name}):{len(r.slips)} 人,应发合计 {t['gross']:.2f},"
                 f"社保 {t['social_insurance']:.2f},公积金 {t['housing_fund']:.2f},个税 {t['iit']:.2f}"
                 + (f",年终奖个税 {t['annual_bonus_tax']:.2f}" if t["annual_bonus_tax"] else "")
                 + f",实发合计 {t['net']:.2f}。",
                 f"银行代发 {len(r.bank)} 人,合计 {r.bank_total:.2f}。"]
        for row in r.left_out.itertuples(index=False):
            lines.append(f"  未列入银行代发: {row.姓名}({row.工号})实发 {row.实发工资:.2f},{row.原因}")
        separate = [s for s in r.slips if s.annual_bonus_method == SEPARATE]
        if separate:
            lines.append(f"年终奖单独计税 {len(separate)} 人。")
        lines += report.by_sheet(self.findings, limit)
        if r.affected:
            lines.append("\n有错误、工资可能不准的人员(改正后请重算):")
            for a in r.affected:
                lines.append(f"  {a['name']}({a['id'] or '无工号'}): {code_titles(a['codes'])}")
        lines.append(f"\n合计: {report.counts_text(self.findings)}。")
        if self.written:
            lines.append(f"已写出: {self.written}")
        if self.bank_csv:
            lines.append(f"已写出银行代发文件: {self.bank_csv}")
        if self.bank_note():
            lines.append(self.bank_note())
        if error_count(self.findings):
            lines.append(f"注意: 有错误未改正,结果工作簿的「银行代发」表首行已标明「{UNCHECKED_BANNER}」,"
                         "仅供核对,请勿直接提交银行。")
        return "\n".join(lines)


def default_output(path: Path, month: dt.date) -> Path:
    return path.with_name(f"{path.stem}-{month_label(month)}-工资结果.xlsx")


def register_counts(paths: list[Path], rules, month: dt.date, only_rewards_ok: bool = False) -> pd.DataFrame:
    """The month's 绩效 figures from the shop's records, long form for PayrollTables.counted (姓名,
    项目, 数量, 来源): the 客服 registers (评价, 投诉, 联系记录: shopbook.today's 客服绩效), the 拣货批次
    record of a pick-list workbook (拣货单数), the ledger's 发货 (发货单数 by 包装人) and 订单
    (个人销售额 as the monthly report attributes it). Each workbook is recognised by its sheets."""
    from shopbook.monthly.folder import ORDER_COLUMNS
    from shopbook.payroll.counts import PACK_COLUMNS, derived_counts
    from shopbook.sheets.orders import ORDERS
    from shopbook.sheets.shipping import SHIPPING
    from shopbook.today.run import ATTR, WHAT, read_inputs

    end = dt.datetime.combine(month_end(month), dt.time(23, 59, 59))
    try:
        # 订单 as the month's 客服业绩 reads it (个人销售额 is its attribution), 发货 for 发货单数
        inputs = read_inputs(list(paths), rules, end, whole=(ORDERS.name, SHIPPING.name),
                             columns={ORDERS.name: ORDER_COLUMNS, SHIPPING.name: PACK_COLUMNS})
    except UnusableInput:
        if only_rewards_ok:  # the workbooks given hold only the 奖罚登记
            return pd.DataFrame(columns=["姓名", "项目", "数量", "来源"])
        raise
    where = {ATTR[kind]: f"{Path(inputs.sources[kind][0]).name} {WHAT[kind]}" for kind in ATTR if kind in inputs.sources}
    if inputs.batch_files:
        where["batches"] = "、".join(Path(p).name for p in inputs.batch_files) + " 拣货批次"
    return derived_counts(inputs.tables, rules, month, where)


def folder_records(folder: Path, *skip: Path | None) -> list[Path]:
    """The workbooks directly in `folder` payroll may count 绩效 figures from: every input workbook
    and the pick lists (their 拣货批次 record), but not shopbook's other outputs, backups, lock
    files or those in `skip`."""
    from shopbook.writing import marks

    skipped = {Path(p).resolve() for p in skip if p}
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm", ".xls")
                  and not p.name.startswith(("~$", ".", "月报-")) and p.resolve() not in skipped
                  and (not marks.not_an_input(p) or marks.output_job(p) == "picklist" and not marks.is_backup(p)))


def attach_records(tables: PayrollTables, paths: list[Path], rules, month: dt.date) -> None:
    """What `--registers` does, for callers that find the records themselves (the month report, the
    计算工资 button: the workbooks beside the payroll workbook): the 绩效 figures counted from them
    and their 奖罚登记; workbooks that hold none leave the typed 绩效 alone."""
    if not paths:
        return
    if tables.rewards is None:
        tables.rewards, tables.incidents = read_rewards(paths)
    try:
        tables.counted = register_counts(paths, rules, month)
    except UnusableInput:
        pass


def run_payroll(path: Path, month: dt.date, rules_path: Path | None = None, *, output: Path | None = None,
                bank_csv: Path | None = None, merge_bonus: bool = False, force_bank: bool = False,
                registers: list[Path] | None = None, as_of: dt.datetime | None = None) -> PayrollRun:
    """Read, compute, write. UnusableInput (exit 2) for files the job cannot use. With error
    findings the bank csv is not written (bank_withheld), unless force_bank: then it is written
    as …-未核对.csv; the 银行代发 sheet of the workbook gets a red banner row instead."""
    path = Path(path)
    output = Path(output) if output else default_output(path, month)
    # no output replaces an input or the other output, whichever name the bank csv gets
    check_outputs([path, rules_path, *(registers or [])], [output, bank_csv, bank_csv and unchecked_name(bank_csv)])
    rules, rule_findings = load_rules(rules_path)
    scheme, scheme_findings = load_pay_scheme(rules)
    tables = read_payroll(path)
    if registers:  # counts the 绩效 sheet leaves blank come from the registers
        for register in registers:
            open_workbook(register)  # a missing or damaged one is unusable input, even beside a 奖罚登记
        if tables.rewards is None:
            tables.rewards, tables.incidents = read_rewards(registers)
        tables.counted = register_counts(registers, rules, month, only_rewards_ok=tables.rewards is not None)
    made = (as_of or dt.datetime.now()).date()
    result, found = compute_payroll(tables, scheme, month, merge_bonus=merge_bonus, as_of=made)
    findings = fnd.combine([rule_findings, scheme_findings, found])
    run = PayrollRun(path, result, findings)
    run.written = write_payroll_workbook(result, findings, output)
    if bank_csv:
        errors = error_count(findings)
        if errors and not force_bank:
            run.bank_withheld = Path(bank_csv)
        else:
            run.bank_csv = write_bank_csv(result, unchecked_name(bank_csv) if errors else Path(bank_csv))
            run.bank_unchecked = bool(errors)
    return run
