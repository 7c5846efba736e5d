"""工资 — payroll (SPEC §Payroll): the month's pay of every employee, the bank payroll file and
next month's 个税累计 and 责任金台账.

Pure: tables in, tables and findings out; reading and writing files is shopbook.payroll.run
(and .xlsx). Each amount is computed exactly (Decimal) and rounded half-up to the fen once, in
the order of SPEC §Payroll; the steps are listed in `STEPS` (shopbook.payroll.steps and
.withholding). People are matched by 工号, never by name. Money here is Decimal yuan; the
reading layer's fen integers are converted on the way in. The pay scheme is rules data
(shopbook.rules.pay).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.payroll.carried import _next_ledger, _next_tax_ytd, carried_applies
from shopbook.payroll.lists import pay_sheet
from shopbook.payroll.minimum import minimum_wage
from shopbook.core.months import is_quarter_start, month_end, month_label, previous_month, quarter_label, quarter_of
from shopbook.payroll.roster import _first_rows, account_digits, roster_checks
from shopbook.payroll.scores import score_sheet
from shopbook.payroll.sheets import DUTY_LEDGER, TAX_YTD, PayrollTables
from shopbook.payroll.slip import Context, Slip, _raw, _value, _who, cell_finding, mask
from shopbook.payroll.steps import (_counted, absence_deduction, base_pay, bonuses, gross_pay, net_pay, piece_pay,
                                    rewards_and_penalties)
from shopbook.payroll.tax import ZERO
from shopbook.payroll.withholding import annual_bonus_method, annual_bonus_tax, housing_fund, income_tax, social_insurance
from shopbook.core.money import fen_to_decimal
from shopbook.core.errors import UnusableInput
from shopbook.reading.tables import Table
from shopbook.rules.pay import DUTY, PayScheme, load_pay_scheme

# Names that lived in this module before the payroll split, still importable from here for code
# written against the old layout; new code imports them from their own module.

# The order of SPEC §Payroll.
STEPS = (base_pay, absence_deduction, piece_pay, bonuses, rewards_and_penalties, annual_bonus_method,
         gross_pay, social_insurance, housing_fund, minimum_wage, income_tax, annual_bonus_tax, net_pay)


# --- the job ------------------------------------------------------------------------------------
@dataclass
class PayrollResult:
    """The month's payroll: one Slip per paid employee plus the sheets to write."""

    month: dt.date
    slips: list
    bank: pd.DataFrame  # 账号, 户名, 金额, 开户行
    left_out: pd.DataFrame  # 工号, 姓名, 实发工资, 原因
    tax_ytd: pd.DataFrame  # next month's 个税累计
    duty_ledger: pd.DataFrame  # next month's 责任金台账
    affected: list  # [{"id", "name", "codes"}] people with error findings
    skipped: list = field(default_factory=list)  # [{"id", "name", "reason"}] not paid this month
    scores: pd.DataFrame | None = None  # 奖罚评分表 (shopbook.payroll.scores), when 奖罚登记 was given
    scored_on: dt.date | None = None  # its 制表日期

    @property
    def totals(self) -> dict:
        keys = ("base", "absence_deduction", "piece_pay", "bonus", "reward", "penalty", "gross", "social_insurance",
                "housing_fund", "special_deduction", "iit", "annual_bonus", "annual_bonus_tax", "net")
        return {k: sum((getattr(s, k) for s in self.slips), ZERO) for k in keys}

    @property
    def bank_total(self) -> Decimal:
        return sum((Decimal(a) for a in self.bank["金额"]), ZERO)

    def check_bank_total(self) -> None:
        """The bank file pays exactly the net pay of the people in it, and with the people
        left out it accounts for the whole net total. Raises AssertionError otherwise (a bug)."""
        paid = {s.id: s.net for s in self.slips if s.account_usable and s.net > 0}
        left = sum((s.net for s in self.slips if not (s.account_usable and s.net > 0)), ZERO)
        if self.bank_total != sum(paid.values(), ZERO) or self.bank_total + left != self.totals["net"]:
            raise AssertionError(f"银行代发合计 {self.bank_total} 与实发合计 {self.totals['net']} 不符(程序错误)")

    def sheet(self) -> pd.DataFrame:
        """The 工资表 (shopbook.payroll.lists.pay_sheet)."""
        return pay_sheet(self)

    def as_json(self, findings: pd.DataFrame) -> dict:
        money = lambda d: f"{d:.2f}"  # noqa: E731
        employees = [{
            "id": s.id, "name": s.name, "position": s.position, "base": money(s.base),
            "absence_deduction": money(s.absence_deduction), "piece_pay": money(s.piece_pay),
            "bonus": money(s.bonus), "reward": money(s.reward), "penalty": money(s.penalty),
            "gross": money(s.gross), "social_insurance": money(s.social_insurance),
            "housing_fund": money(s.housing_fund), "special_deduction": money(s.special_deduction),
            "iit": money(s.iit), "annual_bonus_tax": money(s.annual_bonus_tax), "net": money(s.net),
            "explanation": s.explanation,
            # beyond the fields: the bonus itself, how it was taxed, the person's error codes
            "annual_bonus": money(s.annual_bonus), "annual_bonus_method": s.annual_bonus_method or None,
            "errors": list(s.errors),
            # both ways of taxing this month's 年终奖 (个税 + 年终奖个税), for finance to choose
            "annual_bonus_taxes": None if s.bonus_taxes is None else {
                "separate": None if s.bonus_taxes[0] is None else money(s.bonus_taxes[0]),
                "merged": money(s.bonus_taxes[1])},
        } for s in self.slips]
        return {
            "month": month_label(self.month),
            "employees": employees,
            "totals": {k: money(v) for k, v in self.totals.items()} | {"employees": len(self.slips)},
            "bank": {"count": len(self.bank), "total": money(self.bank_total),
                     "left_out": [{"id": r.工号, "name": r.姓名, "net": money(r.实发工资), "reason": r.原因}
                                  for r in self.left_out.itertuples(index=False)]},
            "affected": self.affected,
            "skipped": self.skipped,
            "findings": [f.as_dict() for f in fnd.to_findings(findings)],
        }


BANK_COLUMNS = ["账号", "户名", "金额", "开户行"]


def _shop_sum(table: Table | None, column: str) -> int | None:
    """A count summed over the whole shop (blank cells count 0); None without the column or
    when nobody filled it in (an empty column does not prove a month without incidents)."""
    if table is None or column not in table.data or not table.data[column].notna().any():
        return None
    return int(table.data[column].fillna(0).sum())


def _shop_turnover(table: Table | None) -> Decimal | None:
    if table is None or "店铺营业额" not in table.data:
        return None
    values = table.data["店铺营业额"].dropna().unique()
    return fen_to_decimal(values[0]) if len(values) == 1 else None


def compute_payroll(tables: PayrollTables, scheme: PayScheme, month: dt.date, *,
                    merge_bonus: bool = False, as_of: dt.date | None = None) -> tuple[PayrollResult, pd.DataFrame]:
    """The month's payroll from the payroll workbook's tables and the pay scheme; `as_of` dates the
    奖罚评分表 made when the tables hold a 奖罚登记 (default: the month's last day).

    Returns the result (slips, bank file, next month's 个税累计 and 责任金台账) and the
    findings (reading findings of every sheet included). Raises UnusableInput only when
    nothing can be computed: no employees, or a carried sheet already holding this month.
    """
    month = dt.date(month.year, month.month, 1)
    ctx = Context(month, scheme, tables, merge_bonus)
    for table in tables.present():
        ctx.add(table.findings)
    emp = tables.employees
    if "工号" not in emp.data or emp.data["工号"].notna().sum() == 0:
        raise UnusableInput(f"「{emp.sheet}」表中没有任何带工号的员工,无法计算工资。")
    ctx.tax_applies = carried_applies(tables.tax_ytd, month, True, ctx, "tax-ytd-gap")
    ctx.ledger_applies = carried_applies(tables.duty_ledger, month, False, ctx, "duty-ledger-gap")

    first = _first_rows(emp, ctx, None, None)
    employed, skipped = [], []
    for person, row in first.items():
        joined, left = _value(emp, row, "入职日期"), _value(emp, row, "离职日期")
        name = _value(emp, row, "姓名") or ""
        if joined is not None and joined.date() > month_end(month):
            ctx.add(cell_finding(emp, row, "入职日期", "not-yet-joined", name=name, id=person,
                                 month=month_label(month)))
            skipped.append({"id": person, "name": name, "reason": "尚未入职"})
        elif left is not None and left.date() < month:
            skipped.append({"id": person, "name": name, "reason": "已离职"})
        else:
            employed.append((person, row))
    known = set(first)
    names = {p: _value(emp, r, "姓名") for p, r in first.items()}
    if tables.attendance is not None:
        ctx.attendance = _first_rows(tables.attendance, ctx, known, names)
    if tables.performance is not None:
        ctx.performance = _first_rows(tables.performance, ctx, known, names)
    nicknames = {p: _value(emp, r, "花名") for p, r in first.items()} if "花名" in emp.data else None
    ctx.counted = _counted(tables, names, ctx, nicknames)
    if tables.tax_ytd is not None and ctx.tax_applies:
        ctx.tax_rows = _first_rows(tables.tax_ytd, ctx, None, names)
    elif tables.tax_ytd is None and month.month > 1:
        ctx.add(fnd.sheet_level(TAX_YTD.name, "tax-ytd-absent", column=None, month=month_label(month)))
    if tables.duty_ledger is not None and ctx.ledger_applies:
        ctx.ledger_rows = _first_rows(tables.duty_ledger, ctx, None, names)
    ctx.incidents = _shop_sum(tables.performance, "仓库事故")
    ctx.bad_reviews = _shop_sum(tables.performance, "差评数")
    if ctx.bad_reviews is None and tables.counted is not None and (tables.counted["项目"] == "差评数").any():
        ctx.bad_reviews = int(tables.counted.loc[tables.counted["项目"] == "差评数", "数量"].sum())
    ctx.shop_turnover = _shop_turnover(tables.performance)
    roster_checks(ctx, [r for _, r in employed])

    if tables.duty_ledger is None:
        keepers = [p for p, r in employed if (pos := scheme.positions.get(_value(emp, r, "岗位") or "")) is not None
                   and pos.bonus_rule == DUTY]
        if keepers and is_quarter_start(month):
            ctx.add(fnd.sheet_level(DUTY_LEDGER.name, "duty-ledger-absent", column=None,
                                    quarter=quarter_label(previous_month(month))))
        elif keepers:
            first_month = dt.date(month.year, (quarter_of(month) - 1) * 3 + 1, 1)
            span = (month_label(first_month) if first_month == previous_month(month)
                    else f"{month_label(first_month)} 至 {month_label(previous_month(month))}")
            ctx.add(fnd.sheet_level(DUTY_LEDGER.name, "duty-ledger-none", column=None, months=span,
                                    quarter=quarter_label(month)))

    slips, no_si = [], []
    for person, row in employed:
        account = _value(emp, row, "银行账号")
        if account is None and _raw(emp, row, "银行账号") is not None:  # unreadable (digits lost): already a finding
            account = str(_raw(emp, row, "银行账号"))
        slip = Slip(person, _value(emp, row, "姓名") or "", _value(emp, row, "岗位") or "", row,
                    id_card=_value(emp, row, "身份证号"), account=account_digits(account) or account,
                    account_name=_value(emp, row, "户名") or _value(emp, row, "姓名"),
                    bank=_value(emp, row, "开户行"), account_usable=account_digits(account) is not None)
        if all(_value(emp, row, c) is None for c in ("社保基数", "养老基数", "医疗基数", "失业基数", "公积金基数")):
            no_si.append(slip.name or person)
        for step in STEPS:
            step(slip, ctx)
        slips.append(slip)
    if no_si:
        ctx.add(fnd.sheet_level(emp.sheet, "social-insurance-none", column="社保基数", count=len(no_si),
                                names="、".join(no_si)))
    for slip in slips:
        if not slip.account and slip.net > 0:
            ctx.add(cell_finding(emp, slip.row, "银行账号", "bank-account-missing", **_who(slip)))

    scores, scored_on = None, None
    if tables.rewards is not None:
        scored_on = as_of or month_end(month)
        scores, found = score_sheet(tables, scheme, month, scored_on, [(s.id, s.name, s.position) for s in slips])
        ctx.add(found)
    findings = mask_private(_ordered(fnd.combine(ctx.findings), tables), tables)
    result = PayrollResult(month, slips, *_bank(slips), _next_tax_ytd(slips, ctx), _next_ledger(slips, ctx),
                           _affected(slips, findings, tables), skipped, scores, scored_on)
    result.check_bank_total()
    return result, findings


def compute(tables: PayrollTables, rules, as_of: dt.date, *, merge_bonus: bool = False
            ) -> tuple[PayrollResult, pd.DataFrame]:
    """The job in the shape every job package has: the month `as_of` falls in, paid with the pay
    scheme of `rules` (a Rules object, whose 岗位薪酬 / 城市标准 / 工资参数 sheets are read, or a
    PayScheme); the pay scheme's rule-invalid findings come first."""
    if isinstance(rules, PayScheme):
        scheme, problems = rules, fnd.empty()
    else:
        scheme, problems = load_pay_scheme(rules)
    result, found = compute_payroll(tables, scheme, as_of, merge_bonus=merge_bonus)
    return result, fnd.combine([problems, found])


def _bank(slips: list[Slip]) -> tuple[pd.DataFrame, pd.DataFrame]:
    paid, left = [], []
    for s in slips:
        if s.account_usable and s.net > 0:
            paid.append([s.account, s.account_name, s.net, s.bank])
        else:
            reason = ("实发工资不大于 0" if s.net <= 0 else "银行账号无效" if s.account else "没有银行账号")
            left.append([s.id, s.name, s.net, reason])
    return (pd.DataFrame(paid, columns=BANK_COLUMNS, dtype=object),
            pd.DataFrame(left, columns=["工号", "姓名", "实发工资", "原因"], dtype=object))


def _affected(slips: list[Slip], findings: pd.DataFrame, tables: PayrollTables) -> list[dict]:
    """People with error findings: each paid person's codes, plus 员工 rows not paid for an
    error (no 工号, duplicate 工号) and rows of other sheets pointing at an employee."""
    by_id = {s.id: s for s in slips}
    sheets = {t.sheet: t for t in tables.present()}
    extra: dict[str, dict] = {}
    errors = findings[(findings["severity"] == "error") & findings["row"].notna()]
    for sheet, row, code in zip(errors["sheet"], errors["row"], errors["code"]):
        table = sheets.get(sheet)
        if table is None or int(row) not in table.data.index:
            continue
        person = _value(table, int(row), "工号")
        if person in by_id:
            if code not in by_id[person].errors:
                by_id[person].errors.append(code)
        elif table is tables.employees:
            key = person or f"第 {int(row)} 行"
            entry = extra.setdefault(key, {"id": person, "name": _value(table, int(row), "姓名") or "", "codes": []})
            if code not in entry["codes"]:
                entry["codes"].append(code)
    out = [{"id": s.id, "name": s.name, "codes": list(s.errors)} for s in slips if s.errors]
    return out + list(extra.values())


PRIVATE_COLUMNS = ("身份证号", "银行账号")


def mask_private(findings: pd.DataFrame, tables: PayrollTables) -> pd.DataFrame:
    """Findings on a 身份证号 or 银行账号 cell show the number as the 工资条 does (`mask`: all
    but the last 4 characters as *), in the value and in the message: the 问题 sheet, the
    report and --json name the cell, never the whole number."""
    if not len(findings):
        return findings
    findings = findings.copy()
    for table in tables.present():
        for column in PRIVATE_COLUMNS:
            if column not in table.headers:
                continue
            on = (findings["sheet"] == table.sheet) & (findings["column"] == table.headers[column])
            for i in findings.index[on]:
                value = findings.at[i, "value"]
                if value is None or (isinstance(value, float) and value != value) or not str(value):
                    continue
                text = str(value)
                findings.at[i, "value"] = mask(text)
                findings.at[i, "message"] = str(findings.at[i, "message"]).replace(text, mask(text))
    return findings


def _ordered(findings: pd.DataFrame, tables: PayrollTables) -> pd.DataFrame:
    if not len(findings):
        return findings
    order = {t.sheet: i for i, t in enumerate(tables.present())}
    findings = findings.assign(_sheet=findings["sheet"].map(order).fillna(99),
                               _row=pd.to_numeric(findings["row"], errors="coerce").fillna(0))
    findings = findings.sort_values(["_sheet", "_row"], kind="stable").drop(columns=["_sheet", "_row"])
    return findings.reset_index(drop=True)
