"""The per-person pay steps (SPEC §Payroll): 底薪, 缺勤扣款, 计件, 奖金 (with the 司库 责任金),
奖励/罚款, 应发 and 实发. Each step takes (slip, ctx), fills the slip and adds findings to ctx.
The withholding steps (社保, 公积金, 个税, 年终奖) are shopbook.payroll.withholding."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from shopbook.core import findings as fnd
from shopbook.core.months import is_quarter_start, previous_month, quarter_label, quarter_of
from shopbook.payroll.sheets import PERFORMANCE, PayrollTables
from shopbook.payroll.sheets import MERGED, SEPARATE
from shopbook.payroll.slip import (Context, Slip, _count_at, _missing, _money, _money_at, _pct, _raw, _value, _who,
                                   cell_finding)
from shopbook.payroll.counts import NO_NAME
from shopbook.payroll.tax import ZERO, fen
from shopbook.rules.pay import (DUTY, NO_BAD_REVIEW, PERSONAL_SALES, PIECE_ITEMS, PROFIT, TURNOVER, Position, _num,
                                to_decimal)


def base_pay(slip: Slip, ctx: Context) -> None:
    """底薪: the 员工 sheet's 底薪 when given, else the position's; a range position needs one."""
    emp = ctx.tables.employees
    pos = ctx.scheme.positions.get(slip.position)
    given = _money_at(emp, slip.row, "底薪")
    if pos is None:
        ctx.add(cell_finding(emp, slip.row, "岗位", "position-unknown"), slip)
    if given is not None:
        slip.base = given
        slip.notes.append(f"底薪 {_num(given)}(员工表)")
        if pos is not None and ((pos.base_min is not None and given < pos.base_min)
                                or (pos.base_max is not None and given > pos.base_max)):
            ctx.add(cell_finding(emp, slip.row, "底薪", "base-out-of-range", position=slip.position,
                                 range=pos.base_range), slip)
    elif pos is not None and pos.base is not None:
        slip.base = pos.base
        slip.notes.append(f"底薪 {_num(pos.base)}(岗位标准)")
    else:
        span = f"(范围 {pos.base_range} 元)" if pos is not None and pos.base_range else ""
        ctx.add(cell_finding(emp, slip.row, "底薪", "base-missing", range=span, **_who(slip)), slip)
        slip.setup_note("底薪 0(未填写)")


def absence_deduction(slip: Slip, ctx: Context) -> None:
    """缺勤扣款 = 底薪 × (应出勤 − 实出勤) ÷ 应出勤; 0 (and a warning) when 实出勤 > 应出勤."""
    table = ctx.tables.attendance
    row = ctx.attendance.get(slip.id)
    if row is None:
        ctx.add(cell_finding(ctx.tables.employees, slip.row, "工号", "attendance-missing", **_who(slip)), slip)
        return
    expected, actual = _value(table, row, "应出勤天数"), _value(table, row, "实出勤天数")
    if expected is None or actual is None:
        slip.errors.append("required-missing")
        return
    expected, actual = to_decimal(float(expected)), to_decimal(float(actual))
    slip.expected_days, slip.actual_days = expected, actual
    if expected <= 0:
        ctx.add(cell_finding(table, row, "应出勤天数", "attendance-days-invalid"), slip)
        return
    if actual > expected:
        ctx.add(cell_finding(table, row, "实出勤天数", "attendance-over", actual=_num(actual),
                             expected=_num(expected)), slip)
        slip.notes.append(f"实出勤 {_num(actual)} 天超过应出勤 {_num(expected)} 天,缺勤扣款 0")
    elif actual < expected:
        slip.absence_deduction = fen(slip.base * (expected - actual) / expected)
        slip.notes.append(f"缺勤扣款 = {_num(slip.base)} × ({_num(expected)} − {_num(actual)}) ÷ {_num(expected)} 天"
                          f" = {_money(slip.absence_deduction)}")
    late = _count_at(table, row, "迟到早退次数")
    if late:
        slip.notes.append(f"迟到早退 {late} 次(罚款另见绩效表)")


def counted_or_typed(slip: Slip, ctx: Context, table, row, item: str,
                     read=_count_at) -> tuple[int | Decimal | None, str | None]:
    """A 绩效 figure: the one typed in 绩效, else the one counted from the registers (with its
    source). A typed figure that differs from the registers' is a finding; the typed one is used.
    `read` reads the typed cell (_count_at, or _money_at for 个人销售额)."""
    typed = read(table, row, item)
    counted = ctx.counted.get((slip.id, item))
    if counted is None:
        return typed, None
    if typed is None:
        if table is not None and row is not None and _raw(table, row, item) is not None:
            return None, None  # a cell that is no whole number: the reading layer reported it
        return counted
    if typed != counted[0]:
        ctx.add(cell_finding(table, row, item, "count-differs-from-register", counted=_num(counted[0]),
                             source=counted[1], **_who(slip)))
    return typed, None


def _counted(tables: PayrollTables, names: dict, ctx: Context | None = None, nicknames: dict | None = None) -> dict:
    """(工号, item) -> (figure, source) from the register counts, by 姓名 or a 花名 of 员工 (a name
    two employees share is not used: the figure cannot be placed). A figure nobody can be found
    for — a name not on 员工, or a record without one — is a finding on ctx."""
    frame = tables.counted
    if frame is None or not len(frame):
        return {}
    by_name: dict = {}
    for person, name in names.items():
        if name:
            by_name.setdefault(str(name).strip(), []).append(person)
    for person, text in (nicknames or {}).items():
        for nick in re.split(r"[、,，/;；\s]+", str(text or "").strip()):
            if nick and person not in by_name.get(nick, []):
                by_name.setdefault(nick, []).append(person)
    out = {}
    for name, item, count, source in frame[["姓名", "项目", "数量", "来源"]].itertuples(index=False):
        if item not in PIECE_ITEMS and item != "个人销售额":
            continue
        people = by_name.get(str(name).strip(), [])
        figure = count if item == "个人销售额" else int(count)
        if len(people) == 1:
            out[(people[0], item)] = (figure, source)
        elif ctx is not None and figure:
            code = "count-name-shared" if people else ("count-unassigned" if name == NO_NAME else "count-name-unknown")
            ctx.add(fnd.sheet_level(PERFORMANCE.name, code, column=item, value=name, name=name, count=_num(figure),
                                    source=source, ids="、".join(people)))
    return out


def piece_pay(slip: Slip, ctx: Context) -> None:
    """计件工资 = Σ count × rate over the position's piece-rate items (each rounded once)."""
    pos = ctx.scheme.positions.get(slip.position)
    if pos is None or not pos.pieces:
        return
    table, row = ctx.tables.performance, ctx.performance.get(slip.id)
    parts, total = [], ZERO
    for piece in pos.pieces:
        count, source = counted_or_typed(slip, ctx, table, row, piece.item)
        if count is None:
            if table is not None and row is not None and _raw(table, row, piece.item) is not None:
                slip.errors.append("not-whole-number")  # the reading layer reported the cell
            else:
                ctx.add(_missing(ctx, slip, table, row, piece.item, "piece-count-missing"), slip)
            count = 0
        amount = fen(count * piece.rate)
        total += amount
        what, unit = PIECE_ITEMS[piece.item]
        where = f"(来自 {source})" if source else ""
        parts.append((f"{what} {count} {unit}{where} × {_num(piece.rate)} 元", amount))
    slip.piece_pay = total
    if len(parts) == 1:
        slip.notes.append(f"计件 = {parts[0][0]} = {_money(total)}")
    else:
        slip.notes.append("计件 = " + " + ".join(p for p, _ in parts) + f" = {_money(total)}")


def bonuses(slip: Slip, ctx: Context) -> None:
    """The position's bonus rule (营业额奖金, 效益奖金, 个人营业额奖金 with its target gate,
    售后客服 无差评奖, 司库 责任金 paid per quarter from the ledger)."""
    pos = ctx.scheme.positions.get(slip.position)
    rule = pos.bonus_rule if pos is not None else None
    table, row = ctx.tables.performance, ctx.performance.get(slip.id)
    total = ZERO
    if rule == TURNOVER:
        rate = pos.bonus_rate or ZERO
        turnover = _money_at(table, row, "店铺营业额")
        turnover = ctx.shop_turnover if turnover is None else turnover
        if rate == 0:
            _bonus_unset(ctx, slip, "营业额奖金", "奖金比例")
            slip.setup_note("营业额奖金 0(奖金比例未设定)")
        elif turnover is None:
            ctx.add(_missing(ctx, slip, table, row, "店铺营业额", "turnover-missing"), slip)
            slip.setup_note("营业额奖金 0(没有店铺营业额)")
        else:
            amount = fen(turnover * rate)
            total += amount
            slip.notes.append(f"营业额奖金 = 店铺营业额 {_num(turnover)} × {_pct(rate)} = {_money(amount)}")
    elif rule == PROFIT:
        amount = _money_at(table, row, "效益奖金")
        source = "绩效表"
        if amount is None:
            amount, source = pos.bonus_amount or ZERO, "岗位标准"
        total += amount
        if amount:
            slip.notes.append(f"效益奖金 {_money(amount)}({source})")
        else:
            _bonus_unset(ctx, slip, "效益奖金", "奖金金额")
            slip.setup_note("效益奖金 0(未设定)")
    elif rule == PERSONAL_SALES:
        rate = pos.bonus_rate or ZERO
        sales, source = counted_or_typed(slip, ctx, table, row, "个人销售额", _money_at)
        target = _money_at(table, row, "个人销售目标")
        where = f"(来自 {source})" if source else ""
        for column, value in (("个人销售额", sales), ("个人销售目标", target)):
            if value is None:
                ctx.add(_missing(ctx, slip, table, row, column, "sales-figure-missing"), slip)
        if sales is None or target is None:
            slip.setup_note("营业额奖金 0(缺少个人销售额或目标)")
        elif sales >= target:
            amount = fen(sales * rate)
            total += amount
            slip.notes.append(f"营业额奖金 = 个人销售额 {_num(sales)}{where} × {_pct(rate)} = {_money(amount)}"
                              f"(目标 {_num(target)},已达标)")
        else:
            slip.notes.append(f"营业额奖金 0(个人销售额 {_num(sales)}{where} 未达目标 {_num(target)})")
    elif rule == NO_BAD_REVIEW:
        amount = pos.bonus_amount or ZERO
        if ctx.bad_reviews is None:
            if ctx.once("no-bad-review-column"):
                ctx.add(fnd.sheet_level(table.sheet if table is not None else PERFORMANCE.name, "shop-count-missing",
                                        column="差评数", what="差评", consequence=f"售后客服无差评奖 {_num(amount)} 元"))
            slip.setup_note("无差评奖 0(绩效表没有填写差评数)")
        elif ctx.bad_reviews == 0:
            total += amount
            slip.notes.append(f"无差评奖 {_num(amount)}(本月全店差评 0)")
        else:
            slip.notes.append(f"无差评奖 0(本月全店差评 {ctx.bad_reviews} 条)")
    total += duty_money(slip, ctx, pos)
    slip.bonus = total


def _bonus_unset(ctx: Context, slip: Slip, bonus: str, setting: str) -> None:
    """One note per position whose bonus the manager has not set yet (SPEC: 0 until then)."""
    if ctx.once(f"bonus-unset:{slip.position}:{bonus}"):
        ctx.add(fnd.sheet_level("岗位薪酬", "bonus-unset", column=setting, value=slip.position,
                                position=slip.position, bonus=bonus, setting=setting))


def duty_money(slip: Slip, ctx: Context, pos: Position | None) -> Decimal:
    """司库 责任金: earned each month without a warehouse incident (shop-wide), carried in
    the 责任金台账, paid with the first month of the next quarter. Returns what is paid now
    and sets `slip.duty_next` (the ledger row for next month)."""
    ledger, lrow = ctx.tables.duty_ledger, ctx.ledger_rows.get(slip.id)
    carried = _money_at(ledger, lrow, "累计责任金") if ctx.ledger_applies else None
    carried_months = _count_at(ledger, lrow, "本季已记月数") if ctx.ledger_applies else None
    carried_free = _count_at(ledger, lrow, "无事故月数") if ctx.ledger_applies else None
    carried_quarter = _value(ledger, lrow, "季度") if ctx.ledger_applies else None
    paid = ZERO
    if is_quarter_start(ctx.month) and carried:
        paid = carried
        which = carried_quarter or quarter_label(previous_month(ctx.month))
        per_month = pos.bonus_amount if pos is not None and pos.bonus_rule == DUTY else None
        how = f"(无事故 {carried_free} 个月 × {_num(per_month)})" if carried_free is not None and per_month else ""
        slip.notes.append(f"责任金 = {which} 累计 {_money(paid)}{how},随本月发放")
    earning = pos is not None and pos.bonus_rule == DUTY
    if not earning:
        if carried and not paid:  # a balance waiting for its quarter, kept as it is
            slip.duty_next = {"balance": carried, "months": carried_months or 0, "free": carried_free or 0,
                              "note": "非司库岗位,余额保留至下季度首月发放"}
        return paid
    amount = pos.bonus_amount or ZERO
    if ctx.incidents is None:
        if ctx.once("no-incident-column"):
            table = ctx.tables.performance
            ctx.add(fnd.sheet_level(table.sheet if table is not None else PERFORMANCE.name, "shop-count-missing",
                                    column="仓库事故", what="仓库事故",
                                    consequence=f"司库本月责任金 {_num(amount)} 元"))
        earned, why = ZERO, "绩效表没有填写仓库事故,本月不计提"
    elif ctx.incidents > 0:
        if ctx.once("duty-forfeited"):
            ctx.add(fnd.sheet_level(ctx.tables.performance.sheet, "duty-forfeited", column="仓库事故",
                                    count=ctx.incidents, amount=_num(amount)))
        earned, why = ZERO, f"本月全店仓库事故 {ctx.incidents} 起,本月责任金不计提"
    else:
        earned, why = amount, f"本月无仓库事故,计提责任金 {_num(amount)}"
    if is_quarter_start(ctx.month) or carried is None:
        balance, months, free = earned, 1, int(earned > 0)
    else:
        balance, months, free = carried + earned, (carried_months or 0) + 1, (carried_free or 0) + int(earned > 0)
    pay_month = dt.date(ctx.month.year + (ctx.month.month > 9), (quarter_of(ctx.month) % 4) * 3 + 1, 1)
    note = f"{why}({quarter_label(ctx.month)} 累计 {_money(balance)},{pay_month.year} 年 {pay_month.month} 月发放)"
    if ctx.incidents is None:  # the shop's sheet is incomplete: a finding, not the employee's news
        slip.setup_note(note)
    else:
        slip.notes.append(note)
    slip.duty_next = {"balance": balance, "months": months, "free": free, "note": why}
    return paid


_PENALTY_SPLIT = re.compile(r"[+＋、,，;；/\s]+|和")


def parse_penalties(text: str) -> list[Decimal] | None:
    """'100+50', '100、50', '150' -> amounts; None when a part is not an amount."""
    parts = [p for p in _PENALTY_SPLIT.split(unicodedata.normalize("NFKC", text).strip()) if p]
    try:
        return [to_decimal(re.sub(r"元$", "", p)) for p in parts]
    except ValueError:
        return None


def rewards_and_penalties(slip: Slip, ctx: Context) -> None:
    """奖励 as given; 罚款 = the sum of its listed amounts, each within the scheme's range."""
    table, row = ctx.tables.performance, ctx.performance.get(slip.id)
    reward = _money_at(table, row, "奖励")
    if reward:
        slip.reward = reward
        slip.notes.append(f"奖励 {_money(reward)}")
    text = _value(table, row, "罚款")
    if text is None:
        return
    amounts = parse_penalties(str(text))
    if amounts is None:
        ctx.add(cell_finding(table, row, "罚款", "penalty-invalid"), slip)
        return
    low, high = ctx.scheme.penalty_min, ctx.scheme.penalty_max
    outside = [a for a in amounts if a != 0 and not low <= a <= high]
    if outside:
        ctx.add(cell_finding(table, row, "罚款", "penalty-out-of-range", amounts="、".join(_num(a) for a in outside),
                             minimum=_num(low), maximum=_num(high)), slip)
    slip.penalty = fen(sum(amounts, ZERO))
    if slip.penalty:
        listed = " + ".join(_num(a) for a in amounts)
        slip.notes.append(f"罚款 = {listed} = {_money(slip.penalty)}" if len(amounts) > 1 else f"罚款 {_money(slip.penalty)}")


def gross_pay(slip: Slip, ctx: Context) -> None:
    """应发 = 底薪 − 缺勤扣款 + 计件 + 奖金 + 奖励 − 罚款 (+ 年终奖 when merged)."""
    slip.gross = (slip.base - slip.absence_deduction + slip.piece_pay + slip.bonus + slip.reward - slip.penalty)
    if slip.annual_bonus_method == MERGED:
        slip.gross += slip.annual_bonus


def net_pay(slip: Slip, ctx: Context) -> None:
    """实发 = 应发 − 社保 − 公积金 − 个税 (+ 年终奖 − 年终奖个税 when taxed on its own)."""
    slip.net = slip.gross - slip.social_insurance - slip.housing_fund - slip.iit
    if slip.annual_bonus_method == SEPARATE:
        slip.net += slip.annual_bonus - slip.annual_bonus_tax
    if slip.net < 0:
        ctx.add(cell_finding(ctx.tables.employees, slip.row, "工号", "net-pay-negative", value=_money(slip.net),
                             amount=_money(slip.net), **_who(slip)), slip)
