"""奖罚评分表 — the month's reward/penalty score per person (seed 001: made by the 客服 manager and
handed in for approval the day before payday), pure: the 奖罚登记 rows of the month, the
attendance points from 考勤 (迟到早退 and approved leave, points per time are payroll parameters)
and the checks of shopbook.sheets.rewards, in; the score table and findings out.

The sheet is dated (制表日期, the run's as-of day); a date after the day before payday (发薪日 of
the next month, a parameter) is the warning score-sheet-late.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.payroll.sheets import PayrollTables
from shopbook.core.money import fen_to_decimal
from shopbook.rules.pay import PayScheme, _num
from shopbook.sheets import rewards as reward_sheet

COLUMNS = ["序号", "工号", "姓名", "岗位", "奖励分", "处罚分", "考勤扣分", "合计分", "奖励金额", "罚款金额", "说明"]
SHEET = "奖罚评分表"


def payday(month: dt.date, scheme: PayScheme) -> dt.date:
    """The payday of `month`'s wages: 发薪日 of the next month (the month's last day when shorter)."""
    year, number = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
    day = min(max(int(scheme.payday), 1), calendar.monthrange(year, number)[1])
    return dt.date(year, number, day)


def _signed(points, kind) -> Decimal:
    if points is None or pd.isna(points):
        return Decimal(0)
    value = abs(Decimal(str(points)))
    return value if kind == reward_sheet.REWARD else -value


def _checks(tables: PayrollTables, scheme: PayScheme, rows: pd.Index) -> pd.DataFrame:
    t = tables.rewards
    found = [reward_sheet.check_penalty_range(t, int(scheme.penalty_min * 100), int(scheme.penalty_max * 100)),
             *reward_sheet.check_parts(t), reward_sheet.check_incidents(t, tables.incidents)]
    found = fnd.combine([f for f in found if f is not None])
    return found[found["row"].isin(rows)] if len(found) else found


def score_sheet(tables: PayrollTables, scheme: PayScheme, month: dt.date, made: dt.date,
                people: list[tuple[str, str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 奖罚评分表 rows (COLUMNS) for `people` ((工号, 姓名, 岗位) of the month's payroll, in
    order) and the findings: the register's checks on the month's rows, a 工号 not among people,
    the sheet made after the day before payday."""
    t = tables.rewards
    d = t.data
    mine = d[reward_sheet.in_month(d, month)]
    problems = [_checks(tables, scheme, mine.index)]
    known = {p for p, _, _ in people}
    ids = mine["工号"].astype(object) if "工号" in mine else pd.Series(None, index=mine.index, dtype=object)
    unknown = ids.notna() & ~ids.isin(known)
    if unknown.any():
        problems.append(t.at(unknown.reindex(d.index, fill_value=False), "工号", "reward-person-unknown"))
    attendance = {}
    a = tables.attendance
    if a is not None and "工号" in a.data:
        for row, person in a.data["工号"].items():
            if person is not None and person not in attendance:
                late = a.data.at[row, "迟到早退次数"] if "迟到早退次数" in a.data else None
                leave = a.data.at[row, "请假次数"] if "请假次数" in a.data else None
                attendance[person] = (0 if pd.isna(late) else int(late), 0 if pd.isna(leave) else int(leave))
    rows = []
    for n, (person, name, position) in enumerate(people, start=1):
        own = mine[ids == person]
        kinds = own["奖/罚"] if "奖/罚" in own else pd.Series(None, index=own.index, dtype=object)
        points = own["分值"] if "分值" in own else pd.Series(None, index=own.index, dtype=object)
        amounts = own["金额"] if "金额" in own else pd.Series(None, index=own.index, dtype=object)
        signed = [_signed(p, k) for p, k in zip(points, kinds)]
        plus = sum((s for s in signed if s > 0), Decimal(0))
        minus = sum((s for s in signed if s < 0), Decimal(0))
        late, leave = attendance.get(person, (0, 0))
        attend = -(late * scheme.late_points + leave * scheme.leave_points)
        money = {k: sum((fen_to_decimal(v) or Decimal(0) for v, kk in zip(amounts, kinds) if kk == k and pd.notna(v)),
                        Decimal(0)) for k in (reward_sheet.REWARD, reward_sheet.PENALTY)}
        notes = []
        for (_, r), s in zip(own.iterrows(), signed):
            day = f"{r['日期']:%m-%d}" if pd.notna(r.get("日期")) else ""
            amount = fen_to_decimal(r.get("金额")) if pd.notna(r.get("金额")) else None
            what = f"{r.get('事由') or '(未写事由)'}"
            parts = [f"{day} {r.get('奖/罚') or ''}:{what}"]
            if amount is not None:
                parts.append(f"{_num(amount)} 元")
            if s:
                parts.append(f"{'+' if s > 0 else ''}{_num(s)} 分")
            notes.append(" ".join(parts))
        if late:
            notes.append(f"迟到早退 {late} 次 × −{_num(scheme.late_points)} 分")
        if leave:
            notes.append(f"请假 {leave} 次 × −{_num(scheme.leave_points)} 分")
        rows.append([n, person, name, position, plus, minus, attend, plus + minus + attend,
                     money[reward_sheet.REWARD], money[reward_sheet.PENALTY], ";".join(notes) or None])
    due = payday(month, scheme) - dt.timedelta(days=1)
    if made > due:
        problems.append(fnd.sheet_level(SHEET, "score-sheet-late", value=made.isoformat(), made=made.isoformat(),
                                        due=due.isoformat(), payday=payday(month, scheme).isoformat()))
    return pd.DataFrame(rows, columns=COLUMNS), fnd.combine(problems)
