"""Run the job a dropped workbook is for (launch.place) with what lies beside it, as the Excel
buttons do: 规则.xlsx of the same folder for every job; for a bill the shipping register beside
it (发货, else 台账) and the 快递交接 record (快递交接, else 交接); for 今日待办 the ledger beside
the registers (台账, 订单, 发货, 退换货). The result is written beside the input under a name of
its own — never over an input — and the run object (report, exit_code) comes back with it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from shopbook.launch.place import PAYROLL, RECONCILE, TODAY, VALIDATE, Placement, place
from shopbook.core.errors import UnusableInput

SUFFIXES = (".xlsx", ".xlsm")
RULES = "规则"
REGISTERS = ("发货", "台账")
HANDOVERS = ("快递交接", "交接")
LEDGER = ("台账", "订单", "发货", "退换货")


@dataclass
class Opened:
    placement: Placement
    run: object  # the job's run: report(), exit_code
    output: Path

    @property
    def exit_code(self) -> int:
        return self.run.exit_code

    def report(self) -> str:
        return self.run.report()


def beside(path: Path, *stems: str) -> list[Path]:
    """The existing <stem>.xlsx/.xlsm in the folder of `path`, in the order of `stems` (not `path`)."""
    out = []
    for stem in stems:
        for suffix in SUFFIXES:
            candidate = path.with_name(stem + suffix)
            if candidate.exists() and candidate.resolve() != path.resolve() and candidate not in out:
                out.append(candidate)
    return out


def result_path(path: Path, label: str) -> Path:
    """<stem>-<label>.xlsx beside `path`."""
    return path.with_name(f"{path.stem}-{label}.xlsx")


def open_file(path: Path, as_of: dt.datetime | None = None) -> Opened:
    """Place the workbook, run its job, write the result beside it."""
    path = Path(path)
    if not path.exists():
        raise UnusableInput(f"{path}: 文件不存在。")
    as_of = as_of or dt.datetime.now().replace(microsecond=0)
    placement = place(path)
    rules = next(iter(beside(path, RULES)), None)
    if placement.job == VALIDATE:
        from shopbook.sheets.run import run_validate
        run = run_validate(path, rules, as_of, output=result_path(path, "校验结果"))
        return Opened(placement, run, run.written)
    if placement.job == RECONCILE:
        from shopbook.courier.run import run_reconcile
        registers = beside(path, *REGISTERS)
        if not registers:
            raise UnusableInput(f"{path}: 这是快递账单,但同一文件夹里没有发货登记(发货.xlsx 或 台账.xlsx)。"
                                f"请把发货登记放在账单旁边再试。")
        handover = next(iter(beside(path, *HANDOVERS)), None)
        run = run_reconcile(path, registers[0], rules, as_of, output=result_path(path, "对账结果"), handover=handover)
        return Opened(placement, run, run.written)
    if placement.job == PAYROLL:
        from shopbook.payroll.run import default_output, month_to_pay, read_payroll, run_payroll
        month = month_to_pay(read_payroll(path), as_of)
        run = run_payroll(path, month, rules, output=default_output(path, month))
        return Opened(placement, run, run.written)
    assert placement.job == TODAY
    from shopbook.today.run import run_today
    run = run_today([*beside(path, *LEDGER), path], rules_path=rules, as_of=as_of,
                    output=result_path(path, "今日待办"))
    return Opened(placement, run, run.output)
