"""Which job a dropped workbook is for, by what it holds (the sheets found as every job finds
them: by name, alias or header row):

- a courier's bill (快递账单, or a courier's own bill layout)      → 对账 (reconcile)
- a payroll workbook (员工 with 考勤/绩效 …)                        → 工资 (payroll)
- 订单, 发货, 退换货, 库存 or the stock registers (a 台账 too)      → 校验 (validate)
- only 客服 registers (评价, 投诉, 交接班, 联系记录)                 → 今日待办 (today)

Anything else is unusable input naming the file (the launcher shows it in a message box).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shopbook.core.errors import UnusableInput
from shopbook.reading.files import open_workbook

VALIDATE, RECONCILE, PAYROLL, TODAY = "validate", "reconcile", "payroll", "today"
JOB_ZH = {VALIDATE: "校验", RECONCILE: "快递对账", PAYROLL: "计算工资", TODAY: "今日待办"}


@dataclass(frozen=True)
class Placement:
    job: str  # VALIDATE | RECONCILE | PAYROLL | TODAY
    because: str  # the sheet (or kind of sheet) that decided it, for the message

    @property
    def job_zh(self) -> str:
        return JOB_ZH[self.job]


def place(path: Path) -> Placement:
    """The job for the workbook at `path`; UnusableInput when it holds nothing a job reads."""
    from shopbook.courier.inputs import BILL_WORD, file_looks_like
    from shopbook.payroll.sheets import EMPLOYEES, KINDS as PAYROLL_KINDS
    from shopbook.reading.tables import assign_sheets
    from shopbook.sheets.validate import SHEET_KINDS
    from shopbook.today.run import KINDS as TODAY_KINDS

    path = Path(path)
    book = open_workbook(path)  # the safety checks, and a clear line for a file that is no workbook
    looks, _ = file_looks_like(path)
    if looks == BILL_WORD:
        return Placement(RECONCILE, BILL_WORD)
    ledger = [kind for kind, _, _ in SHEET_KINDS]
    names = {kind.name for kind in ledger}
    registers = [kind for kind in TODAY_KINDS if kind.name not in names]
    kinds = [*PAYROLL_KINDS, *ledger, *registers]
    found = assign_sheets(book, kinds)
    if EMPLOYEES.name in found:
        return Placement(PAYROLL, found[EMPLOYEES.name][0])
    for kind in ledger:
        if kind.name in found:
            return Placement(VALIDATE, found[kind.name][0])
    for kind in registers:
        if kind.name in found:
            return Placement(TODAY, found[kind.name][0])
    raise UnusableInput(f"{path}: 认不出这是哪种工作簿:没有订单、发货、退换货、库存表,也不是快递账单、工资表或客服登记表"
                        f"(按工作表名或表头查找)。请检查表头,或在终端用 shopbook validate/reconcile/payroll/today。")
