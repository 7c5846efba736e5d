"""Payroll (SPEC §Payroll): every rule with a small inline workbook and hand-computed amounts.

The arithmetic behind each expected value is written next to it so a reader can check it.
Workbooks are held in memory (payroll_io.memory_book); months are chained by feeding a
month's 个税累计 / 责任金台账 back into the next month's workbook.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pytest
from stdnum import luhn
from stdnum.cn import ric

from shopbook.payroll import tax
from shopbook.payroll.job import compute_payroll
from shopbook.core.months import parse_month
from shopbook.payroll.run import memory_book, read_payroll_book
from shopbook.rules.pay import DEFAULT_SCHEME
from shopbook.core.errors import UnusableInput

EMP_HEADER = ["工号", "姓名", "岗位", "底薪", "身份证号", "银行账号", "开户行", "社保基数", "公积金比例", "专项附加扣除",
              "入职日期"]
ATT_HEADER = ["工号", "姓名", "应出勤天数", "实出勤天数", "迟到早退次数"]


def id_card(n: int) -> str:
    """A valid 18-digit 身份证号 (GB 11643 check digit), different for each n."""
    body = f"330106198503{n % 28 + 1:02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def card(n: int) -> str:
    """A 19-digit bank card number with a valid Luhn digit."""
    body = f"622202{n:012d}"
    return body + luhn.calc_check_digit(body)


def emp(pid: str, position: str, base=None, *, name=None, si=None, fund=None, extra=0, joined="2020-01-01",
        account=..., id_no=...) -> dict:
    n = int(pid[1:])
    return {"工号": pid, "姓名": name or f"员工{n}", "岗位": position, "底薪": base,
            "身份证号": id_card(n) if id_no is ... else id_no, "银行账号": card(n) if account is ... else account,
            "开户行": "工商银行", "社保基数": si, "公积金比例": fund, "专项附加扣除": extra, "入职日期": joined}


def rows(header: list[str], records: list[dict]) -> list[list]:
    cols = list(header)
    for r in records:
        cols += [k for k in r if k not in cols]
    return [cols] + [[r.get(c) for c in cols] for r in records]


def run(employees, performance=None, *, month="2026-10", attendance=..., tax_ytd=None, ledger=None,
        scheme=DEFAULT_SCHEME, merge_bonus=False):
    """Compute a month. attendance defaults to a full month (21 of 21 days) for everyone;
    performance is a list of dicts (工号 + counts); tax_ytd / ledger are frames or row lists.
    Returns (result, findings, slips by 工号)."""
    sheets = {"员工": rows(EMP_HEADER, employees)}
    if attendance is ...:
        attendance = [{"工号": e["工号"], "应出勤天数": 21, "实出勤天数": 21} for e in employees]
    if attendance is not None:
        sheets["考勤"] = rows(ATT_HEADER, attendance)
    if performance is not None:
        sheets["绩效"] = rows(["工号"], performance)
    if tax_ytd is not None:
        sheets["个税累计"] = tax_ytd
    if ledger is not None:
        sheets["责任金台账"] = ledger
    tables = read_payroll_book(memory_book(sheets))
    result, findings = compute_payroll(tables, scheme, parse_month(month), merge_bonus=merge_bonus)
    return result, findings, {s.id: s for s in result.slips}


def codes(findings, code=None):
    return [c for c in findings["code"] if code is None or c == code]


def ytd(pid, months, income, withheld, special=0, additional=0, year=2026, month=9, bonus_used=None):
    """A 个税累计 sheet with one person, stamped year/month."""
    return [["工号", "累计月数", "累计收入", "累计专项扣除", "累计专项附加扣除", "累计已预扣税额", "年终奖单独计税",
             "年份", "截至月份"],
            [pid, months, income, special, additional, withheld, bonus_used, year, month]]


# --- 底薪 ---------------------------------------------------------------------------------------
def test_base_from_position_and_per_person():
    result, findings, s = run([
        emp("E1", "文案编辑"),  # position default 3200
        emp("E2", "视觉编辑", 4800),  # 员工 底薪 overrides the position's 5000
        emp("E3", "销售客服"),  # range 1600–2000: must be given per person
        emp("E4", "行政财务", 2600),  # within 2500–3200
        emp("E5", "销售客服", 2100),  # above 2000: warning, paid as given
    ], [{"工号": "E3", "个人销售额": 0, "个人销售目标": 1}, {"工号": "E5", "个人销售额": 0, "个人销售目标": 1}])
    assert [s[p].base for p in ("E1", "E2", "E3", "E4", "E5")] == [D(3200), D(4800), D(0), D(2600), D(2100)]
    assert codes(findings, "base-missing") == ["base-missing"]
    assert codes(findings, "base-out-of-range") == ["base-out-of-range"]
    assert s["E3"].errors == ["base-missing"]
    assert "底薪 3200(岗位标准)" in s["E1"].explanation and "底薪 4800(员工表)" in s["E2"].explanation


def test_unknown_position_is_paid_base_only():
    _, findings, s = run([emp("E1", "主播", 6000)])
    assert s["E1"].gross == D(6000)
    assert codes(findings, "position-unknown") == ["position-unknown"]


# --- 缺勤扣款 -----------------------------------------------------------------------------------
def test_absence_deduction_exact_then_rounded_half_up_once():
    people = [emp("E1", "文案编辑"), emp("E2", "视觉编辑", "1000.10"), emp("E3", "捡单员")]
    attendance = [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 19.5},
                  {"工号": "E2", "应出勤天数": 4, "实出勤天数": 3},
                  {"工号": "E3", "应出勤天数": 20, "实出勤天数": 22}]
    _, findings, s = run(people, [{"工号": "E3", "拣货单数": 0}], attendance=attendance)
    # 3200 × (21 − 19.5) ÷ 21 = 4800 ÷ 21 = 228.5714… -> 228.57
    assert s["E1"].absence_deduction == D("228.57")
    assert "缺勤扣款 = 3200 × (21 − 19.5) ÷ 21 天 = 228.57" in s["E1"].explanation
    # 1000.10 × 1 ÷ 4 = 250.025 -> 250.03 half-up (half-even would give 250.02)
    assert s["E2"].absence_deduction == D("250.03")
    # 实出勤 22 > 应出勤 20: deduction 0 and a warning
    assert s["E3"].absence_deduction == D(0)
    assert codes(findings, "attendance-over") == ["attendance-over"]
    assert s["E3"].errors == []


def test_employee_without_attendance_is_an_error():
    result, findings, s = run([emp("E1", "文案编辑"), emp("E2", "文案编辑")],
                              attendance=[{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21}])
    assert codes(findings, "attendance-missing") == ["attendance-missing"]
    assert s["E2"].errors == ["attendance-missing"]
    assert [a["id"] for a in result.affected] == ["E2"]


# --- 计件 ---------------------------------------------------------------------------------------
def test_piece_rates():
    people = [emp("E1", "捡单员"), emp("E2", "发货员"), emp("E3", "售后客服")]
    perf = [{"工号": "E1", "拣货单数": 812, "差评数": 1}, {"工号": "E2", "发货单数": 798},
            {"工号": "E3", "投诉处理数": 36, "差评改好数": 5, "催评数": 40}]
    _, findings, s = run(people, perf)
    assert s["E1"].piece_pay == D(1624)  # 812 单 × 2 元
    assert "计件 = 拣货 812 单 × 2 元 = 1624.00" in s["E1"].explanation
    assert s["E2"].piece_pay == D(1596)  # 798 × 2
    # 36 × 2 + 5 × 5 + 40 × 1 = 72 + 25 + 40 = 137
    assert s["E3"].piece_pay == D(137)
    assert s["E1"].gross == D(1500 + 1624)
    assert not any(f == "error" for f in findings["severity"])


def test_missing_piece_count_is_an_error():
    _, findings, s = run([emp("E1", "捡单员"), emp("E2", "发货员")],
                         [{"工号": "E1", "拣货单数": None, "发货单数": 10}, {"工号": "E2", "发货单数": 5}])
    assert codes(findings, "piece-count-missing") == ["piece-count-missing"]
    assert s["E1"].errors == ["piece-count-missing"] and s["E1"].piece_pay == 0
    # no 绩效 row at all for a piece-rate position
    _, findings, s = run([emp("E1", "捡单员"), emp("E2", "文案编辑")], [{"工号": "E2"}])
    assert codes(findings, "piece-count-missing") == ["piece-count-missing"]


# --- 售后客服 +500 -------------------------------------------------------------------------------
def after_sales(bad_reviews: dict):
    people = [emp("E1", "售后客服"), emp("E2", "售后客服"), emp("E3", "捡单员")]
    perf = [{"工号": "E1", "投诉处理数": 0, "差评改好数": 0, "催评数": 0},
            {"工号": "E2", "投诉处理数": 0, "差评改好数": 0, "催评数": 0},
            {"工号": "E3", "拣货单数": 0}]
    for r in perf:
        r["差评数"] = bad_reviews.get(r["工号"])
    return run(people, perf)


def test_after_sales_team_bonus_when_the_shop_has_no_bad_review():
    _, _, s = after_sales({"E1": 0, "E2": 0, "E3": 0})
    assert s["E1"].bonus == s["E2"].bonus == D(500) and s["E3"].bonus == 0
    assert "无差评奖 500(本月全店差评 0)" in s["E1"].explanation
    # one bad review anywhere in the shop (here on the picker's row) and nobody gets it
    _, _, s = after_sales({"E1": 0, "E2": 0, "E3": 1})
    assert s["E1"].bonus == s["E2"].bonus == 0
    # nobody filled in 差评数: not proof of a clean month
    _, findings, s = after_sales({})
    assert s["E1"].bonus == 0
    assert codes(findings, "shop-count-missing") == ["shop-count-missing"]


# --- 销售客服 target gate, 营业额奖金, 效益奖金 ------------------------------------------------------
def test_sales_bonus_only_when_target_met():
    people = [emp(f"E{i}", "销售客服", 1800) for i in range(1, 5)]
    perf = [{"工号": "E1", "个人销售额": 58600, "个人销售目标": 50000},
            {"工号": "E2", "个人销售额": 43200, "个人销售目标": 50000},
            {"工号": "E3", "个人销售额": 50000, "个人销售目标": 50000},
            {"工号": "E4", "个人销售额": "61250.50", "个人销售目标": 60000}]
    _, findings, s = run(people, perf)
    assert s["E1"].bonus == D("586.00")  # 58600 × 1%
    assert s["E2"].bonus == 0  # 43200 < 50000
    assert "未达目标 50000" in s["E2"].explanation
    assert s["E3"].bonus == D("500.00")  # 50000 ≥ 50000 (target met exactly)
    assert s["E4"].bonus == D("612.51")  # 61250.50 × 1% = 612.505 -> 612.51 half-up
    assert codes(findings, "sales-figure-missing") == []


def test_sales_figures_missing_is_an_error():
    _, findings, s = run([emp("E1", "销售客服", 1800)], [{"工号": "E1", "个人销售额": 1000}])
    assert codes(findings, "sales-figure-missing") == ["sales-figure-missing"]
    assert s["E1"].bonus == 0


def test_turnover_and_profit_bonuses_from_the_scheme():
    people = [emp("E1", "电商总监"), emp("E2", "促销策划经理"), emp("E3", "客服组经理")]
    perf = [{"工号": "E1", "店铺营业额": 986400}, {"工号": "E2", "效益奖金": 1500}, {"工号": "E3"}]
    _, _, s = run(people, perf)
    assert s["E1"].bonus == 0 and "奖金比例未设定" in s["E1"].explanation  # rate 0 until the manager sets it
    assert s["E2"].bonus == D(1500)
    director = replace(DEFAULT_SCHEME.positions["电商总监"], bonus_rate=D("0.005"))
    lead = replace(DEFAULT_SCHEME.positions["客服组经理"], bonus_rate=D("0.002"))
    scheme = replace(DEFAULT_SCHEME, positions={**DEFAULT_SCHEME.positions, "电商总监": director, "客服组经理": lead})
    _, _, s = run(people, perf, scheme=scheme)
    assert s["E1"].bonus == D("4932.00")  # 986400 × 0.5%
    # the 客服组经理's row has no 店铺营业额: the shop's single figure is used: 986400 × 0.2% = 1972.80
    assert s["E3"].bonus == D("1972.80")


# --- 司库 责任金 -------------------------------------------------------------------------------------
def keeper_month(month, incidents, ledger):
    people = [emp("E1", "司库"), emp("E2", "捡单员")]
    perf = [{"工号": "E1", "仓库事故": 0}, {"工号": "E2", "拣货单数": 0, "仓库事故": incidents}]
    return run(people, perf, month=month, ledger=ledger)


def test_duty_money_earned_monthly_paid_with_the_next_quarters_first_month():
    # July (quarter start, no ledger yet): nothing to pay; earns 1500
    r7, f7, s = keeper_month("2026-07", 0, None)
    assert s["E1"].bonus == 0 and "duty-ledger-absent" in codes(f7)
    assert list(r7.duty_ledger["累计责任金"]) == [D(1500)]
    # August: one incident in the warehouse (recorded on the picker's row, summed over the shop)
    r8, f8, s = keeper_month("2026-08", 1, r7.duty_ledger)
    assert s["E1"].bonus == 0 and "duty-forfeited" in codes(f8)
    assert list(r8.duty_ledger["累计责任金"]) == [D(1500)]  # 1500 + 0
    # September: no incident: 1500 + 0 + 1500 = 3000, still not paid
    r9, _, s = keeper_month("2026-09", 0, r8.duty_ledger)
    assert s["E1"].bonus == 0
    row = r9.duty_ledger.iloc[0]
    assert (row["季度"], row["本季已记月数"], row["无事故月数"], row["累计责任金"]) == ("2026Q3", 3, 2, D(3000))
    # October: Q3's 3000 paid with October's wages; October's own 1500 starts Q4's balance
    r10, _, s = keeper_month("2026-10", 0, r9.duty_ledger)
    assert s["E1"].bonus == D(3000)
    assert s["E1"].gross == D(4000 + 3000)
    assert "责任金 = 2026Q3 累计 3000.00(无事故 2 个月 × 1500),随本月发放" in s["E1"].explanation
    row = r10.duty_ledger.iloc[0]
    assert (row["季度"], row["本季已记月数"], row["累计责任金"], row["年份"], row["截至月份"]) == ("2026Q4", 1, D(1500), 2026, 10)


def test_duty_money_q4_paid_in_january_of_the_next_year():
    ledger = [["工号", "季度", "本季已记月数", "无事故月数", "累计责任金", "年份", "截至月份"],
              ["E1", "2026Q4", 3, 3, 4500, 2026, 12]]
    _, _, s = keeper_month("2027-01", 0, ledger)
    assert s["E1"].bonus == D(4500)  # 3 × 1500, paid in January


def test_duty_ledger_missing_mid_quarter_is_a_warning():
    # August without July's ledger: the quarter can only count from August (1500)
    result, findings, s = keeper_month("2026-08", 0, None)
    assert codes(findings, "duty-ledger-none") == ["duty-ledger-none"]
    assert list(result.duty_ledger["累计责任金"]) == [D(1500)]


def test_duty_ledger_applied_twice_is_refused():
    r10, _, _ = keeper_month("2026-10", 0, None)
    with pytest.raises(UnusableInput, match="同一个月不能应用两次"):
        keeper_month("2026-10", 0, r10.duty_ledger)


# --- 罚款 / 奖励 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("written, amount, code", [
    ("100+50", "150", None), ("100、50", "150", None), ("50", "50", None), ("200", "200", None),
    ("300", "300", "penalty-out-of-range"),  # above 200: an error, deducted as written
    ("100+30", "130", "penalty-out-of-range"),  # 30 below 50
    ("一百", "0", "penalty-invalid"),
])
def test_penalties(written, amount, code):
    _, findings, s = run([emp("E1", "文案编辑")], [{"工号": "E1", "罚款": written, "奖励": 200}])
    assert s["E1"].penalty == D(amount)
    assert s["E1"].reward == D(200)
    assert s["E1"].gross == D(3200) + D(200) - D(amount)  # 底薪 + 奖励 − 罚款
    assert [c for c in codes(findings) if c.startswith("penalty")] == ([code] if code else [])


# --- 社保, 公积金 ----------------------------------------------------------------------------------
def test_social_insurance_and_housing_fund():
    _, _, s = run([emp("E1", "文案编辑", si=4462, fund="5%"), emp("E2", "文案编辑", si=3000, fund=0.07)])
    # 4462 × 8% = 356.96, × 2% = 89.24, × 0.5% = 22.31; total 468.51; 公积金 4462 × 5% = 223.10
    a = s["E1"]
    assert (a.pension, a.medical, a.unemployment, a.social_insurance) == (D("356.96"), D("89.24"), D("22.31"), D("468.51"))
    assert a.housing_fund == D("223.10")
    # no floor unless the scheme gives one: 3000 × 10.5% = 315.00; 3000 × 7% = 210.00
    assert (s["E2"].social_insurance, s["E2"].housing_fund) == (D("315.00"), D("210.00"))
    # net = 3200 − 468.51 − 223.10 − 0 tax
    assert a.net == D("2508.39")


def test_social_insurance_floor_and_ceiling_only_when_given():
    scheme = replace(DEFAULT_SCHEME, social_floor=D(4462), social_ceiling=D(20000), fund_ceiling=D(25000))
    _, _, s = run([emp("E1", "文案编辑", si=3000, fund="7%"), emp("E2", "电商总监", si=30000, fund="12%")],
                  scheme=scheme)
    assert s["E1"].social_insurance == D("468.51")  # clamped up to 4462: 356.96 + 89.24 + 22.31
    assert s["E1"].housing_fund == D("210.00")  # no 公积金 floor given: 3000 × 7%
    # 20000 × 8% + 20000 × 2% + 20000 × 0.5% = 1600 + 400 + 100 = 2100
    assert s["E2"].social_insurance == D("2100.00")
    assert s["E2"].housing_fund == D("3000.00")  # 25000 × 12%
    assert "按下限 4462" in s["E1"].explanation


def test_housing_fund_rate_above_12_percent_is_an_error():
    _, findings, s = run([emp("E1", "文案编辑", si=4000, fund="15%")])
    assert codes(findings, "housing-fund-rate-invalid") == ["housing-fund-rate-invalid"]
    assert s["E1"].housing_fund == 0


# --- income tax: the table --------------------------------------------------------------------------
@pytest.mark.parametrize("taxable, due, rate", [
    ("0", "0.00", None), ("-100", "0.00", None),
    ("36000", "1080.00", "3%"),  # 36000 × 3% − 0
    ("36000.01", "1080.00", "10%"),  # 3600.001 − 2520 = 1080.001 -> 1080.00
    ("144000", "11880.00", "10%"),  # 14400 − 2520
    ("144000.01", "11880.00", "20%"),  # 28800.002 − 16920 = 11880.002
    ("300000", "43080.00", "20%"),  # 60000 − 16920
    ("300000.01", "43080.00", "25%"),  # 75000.0025 − 31920
    ("420000", "73080.00", "25%"),  # 105000 − 31920
    ("420001", "73080.30", "30%"),  # 126000.30 − 52920
    ("660000", "145080.00", "30%"),  # 198000 − 52920
    ("660001", "145080.35", "35%"),  # 231000.35 − 85920
    ("960000", "250080.00", "35%"),  # 336000 − 85920
    ("960001", "250080.45", "45%"),  # 432000.45 − 181920
])
def test_annual_tax_table_edges(taxable, due, rate):
    amount, row = tax.cumulative_tax(D(taxable))
    assert amount == D(due)
    assert (row.percent if row else None) == rate


def director(base, **kw):
    return emp("E1", "电商总监", base, **kw)


def test_withholding_at_the_36000_edge():
    # February; 累计 1 month, 累计收入 36000; this month 10000, no social insurance or deductions:
    # taxable = 36000 + 10000 − 5000 × 2 = 36000 -> 3% -> 1080.00; withheld 780 -> 300.00
    _, _, s = run([director(None)], month="2026-02", tax_ytd=ytd("E1", 1, 36000, 780, month=1))
    assert s["E1"].iit == D("300.00")
    # one fen more: taxable 36000.01 -> 10%: 3600.001 − 2520 = 1080.00 — the table is continuous
    _, _, s = run([director(None)], month="2026-02", tax_ytd=ytd("E1", 1, "36000.01", 780, month=1))
    assert s["E1"].iit == D("300.00")
    assert "36000.01 × 10% − 2520 = 1080.00" in s["E1"].explanation


def test_a_month_crossing_a_bracket():
    # April; 3 months carried: income 51000, special 3150, withheld 900 (taxable 30000 × 3%).
    # This month: 17000 gross, 社保 10000 × 10.5% = 1050, no 公积金:
    # taxable = 68000 − 5000 × 4 − (3150 + 1050) = 43800 -> 10%: 4380 − 2520 = 1860; 1860 − 900 = 960.00
    _, _, s = run([director(17000, si=10000)], month="2026-04",
                  tax_ytd=ytd("E1", 3, 51000, 900, special=3150, month=3))
    assert s["E1"].social_insurance == D("1050.00")
    assert s["E1"].iit == D("960.00")
    assert s["E1"].net == D("17000") - D("1050") - D("960")  # 14990.00


def test_withholding_never_negative():
    # taxable YTD = 20000 + 5000 − 10000 = 15000 -> 450 < 2000 already withheld: 0, no refund
    result, _, s = run([director(5000)], month="2026-02", tax_ytd=ytd("E1", 1, 20000, 2000, month=1))
    assert s["E1"].iit == 0
    assert "不退税" in s["E1"].explanation
    assert result.tax_ytd.iloc[0]["累计已预扣税额"] == D(2000)


def test_twelve_months_carrying_tax_ytd_forward_then_a_new_year():
    # 底薪 30000, 社保基数 10000 (10.5% = 1050), 公积金 12% (1200), 专项附加扣除 1000:
    # taxable per month = 30000 − 5000 − 1050 − 1200 − 1000 = 21750; YTD = 21750 × n
    expected = {  # month: (taxable YTD, tax YTD, this month)
        1: (21750, "652.50", "652.50"),  # × 3%
        2: (43500, "1830.00", "1177.50"),  # 4350 − 2520
        3: (65250, "4005.00", "2175.00"),  # 6525 − 2520
        4: (87000, "6180.00", "2175.00"),
        5: (108750, "8355.00", "2175.00"),
        6: (130500, "10530.00", "2175.00"),
        7: (152250, "13530.00", "3000.00"),  # crosses 144000: 30450 − 16920
        8: (174000, "17880.00", "4350.00"),  # 34800 − 16920
        9: (195750, "22230.00", "4350.00"),
        10: (217500, "26580.00", "4350.00"),
        11: (239250, "30930.00", "4350.00"),
        12: (261000, "35280.00", "4350.00"),
    }
    person = director(30000, si=10000, fund="12%", extra=1000)
    carried, paid = None, D(0)
    for m in range(1, 13):
        result, findings, s = run([person], month=f"2026-{m:02d}", tax_ytd=carried)
        _, tax_ytd, this_month = expected[m]
        assert s["E1"].iit == D(this_month), m
        assert s["E1"].net == D(30000) - D(1050) - D(1200) - D(this_month), m
        assert not any(findings["severity"] == "error"), (m, list(findings["code"]))
        paid += s["E1"].iit
        carried = result.tax_ytd
        row = carried.iloc[0]
        assert (row["年份"], row["截至月份"], row["累计月数"]) == (2026, m, m)
        assert row["累计收入"] == D(30000 * m) and row["累计已预扣税额"] == paid
    assert paid == D("35280.00")
    # January 2027 starts afresh: December's figures are not carried
    result, findings, s = run([person], month="2027-01", tax_ytd=carried)
    assert s["E1"].iit == D("652.50")
    assert "tax-ytd-new-year" in codes(findings)
    assert result.tax_ytd.iloc[0]["累计月数"] == 1


def test_tax_ytd_applied_twice_or_with_a_gap():
    with pytest.raises(UnusableInput, match="同一个月不能应用两次"):
        run([director(None)], month="2026-10", tax_ytd=ytd("E1", 10, 100000, 0, month=10))
    _, findings, _ = run([director(None)], month="2026-10", tax_ytd=ytd("E1", 8, 80000, 0, month=8))
    assert codes(findings, "tax-ytd-gap") == ["tax-ytd-gap"]


def test_mid_year_joiner_months_counted_from_joining():
    joiner = emp("E1", "视觉编辑", 8000, joined="2026-07-15")
    # July, the first month: no 个税累计 row is expected; taxable 8000 − 5000 × 1 = 3000 -> 90.00
    result, findings, s = run([joiner], month="2026-07", tax_ytd=ytd("E9", 6, 1, 0, month=6))
    assert s["E1"].iit == D("90.00") and "tax-ytd-missing" not in codes(findings)
    nxt = result.tax_ytd.set_index("工号").loc["E1"]
    assert nxt["累计月数"] == 1
    # October: 3 months carried (Jul–Sep, 24000, withheld 270):
    # taxable = 24000 + 8000 − 5000 × 4 = 12000 -> 360; 360 − 270 = 90.00
    _, findings, s = run([joiner], month="2026-10", tax_ytd=ytd("E1", 3, 24000, 270))
    assert s["E1"].iit == D("90.00")
    assert codes(findings, "tax-months-mismatch") == []
    # a 累计月数 that disagrees with the joining date is a warning (the sheet's figure is used)
    _, findings, _ = run([joiner], month="2026-10", tax_ytd=ytd("E1", 9, 24000, 270))
    assert codes(findings, "tax-months-mismatch") == ["tax-months-mismatch"]
    # missing from 个税累计 after having joined earlier this year: an error
    _, findings, s = run([joiner], month="2026-10", tax_ytd=ytd("E9", 9, 1, 0))
    assert codes(findings, "tax-ytd-missing") == ["tax-ytd-missing"]


# --- 全年一次性奖金 ------------------------------------------------------------------------------------
def test_annual_bonus_cliff_taxed_separately():
    people = [emp("E1", "文案编辑"), emp("E2", "文案编辑")]
    perf = [{"工号": "E1", "年终奖": 36000}, {"工号": "E2", "年终奖": 36001}]
    result, _, s = run(people, perf, month="2026-01")
    # 36000 ÷ 12 = 3000 -> 3% row: 36000 × 3% − 0 = 1080.00
    assert s["E1"].annual_bonus_tax == D("1080.00") and s["E1"].annual_bonus_method == "单独计税"
    # 36001 ÷ 12 = 3000.08 -> 10% row: 36001 × 10% − 210 = 3390.10
    assert s["E2"].annual_bonus_tax == D("3390.10")
    # wages taxed as usual (3200 < 5000: 0); net = 3200 + bonus − bonus tax
    assert s["E1"].net == D("3200") + D("36000") - D("1080.00")  # 38120.00
    assert s["E2"].net == D("3200") + D("36001") - D("3390.10")  # 35810.90: one yuan more, 2309.10 less
    assert s["E1"].gross == D(3200)  # not merged into wages
    assert list(result.tax_ytd["年终奖单独计税"]) == ["2026-01", "2026-01"]
    assert list(result.sheet()["年终奖计税方式"]) == ["单独计税", "单独计税"]


def test_annual_bonus_once_a_year_merge_option_and_expiry():
    perf = [{"工号": "E1", "年终奖": 36000}]
    # already used this year -> merged into wages with a warning
    _, findings, s = run([emp("E1", "文案编辑")], perf, month="2026-03",
                         tax_ytd=ytd("E1", 2, 6400, 0, month=2, bonus_used="2026-01"))
    assert s["E1"].annual_bonus_method == "并入工资" and "annual-bonus-already-used" in codes(findings)
    # --merge-bonus in January: gross = 3200 + 36000 = 39200; taxable 39200 − 5000 = 34200 -> 1026.00
    _, _, s = run([emp("E1", "文案编辑")], perf, month="2026-01", merge_bonus=True)
    assert s["E1"].gross == D(39200) and s["E1"].iit == D("1026.00") and s["E1"].annual_bonus_tax == 0
    assert s["E1"].net == D(39200) - D("1026.00")
    # the separate regime ends 2027-12-31
    _, findings, s = run([emp("E1", "文案编辑")], perf, month="2028-01")
    assert s["E1"].annual_bonus_method == "并入工资" and "annual-bonus-expired" in codes(findings)
    _, _, s = run([emp("E1", "文案编辑")], perf, month="2027-12", tax_ytd=ytd("E1", 11, 35200, 0, year=2027, month=11))
    assert s["E1"].annual_bonus_method == "单独计税"


@pytest.mark.parametrize("bonus, due", [
    ("36000", "1080.00"), ("36001", "3390.10"),  # 3% | 10% − 210
    ("144000", "14190.00"), ("144001", "27390.20"),  # 10% − 210 | 20% − 1410
    ("420000", "102340.00"), ("960000", "328840.00"), ("960012", "416845.40"),  # 25% − 2660 | 35% − 7160 | 45% − 15160
])
def test_annual_bonus_table(bonus, due):
    assert tax.annual_bonus_tax(D(bonus))[0] == D(due)


# --- roster checks, matching by 工号 -------------------------------------------------------------------
def test_roster_checks():
    bad_card = id_card(2)[:-1] + ("0" if id_card(2)[-1] != "0" else "1")
    luhn_fail = card(3)[:-1] + str((int(card(3)[-1]) + 1) % 10)
    people = [emp("E1", "文案编辑"), emp("E2", "文案编辑", id_no=bad_card), emp("E3", "文案编辑", account=luhn_fail),
              emp("E4", "文案编辑", account="12AB"), emp("E5", "文案编辑", account=None),
              emp("E1", "视觉编辑", name="重复")]
    result, findings, s = run(people, attendance=[
        {"工号": p, "应出勤天数": 21, "实出勤天数": 21} for p in ("E1", "E2", "E3", "E4", "E5", "E7")])
    assert codes(findings, "id-card-invalid") == ["id-card-invalid"]
    assert codes(findings, "bank-account-luhn") == ["bank-account-luhn"]  # a warning only
    assert codes(findings, "bank-account-invalid") == ["bank-account-invalid"]
    assert codes(findings, "bank-account-missing") == ["bank-account-missing"]
    assert codes(findings, "employee-id-duplicate") == ["employee-id-duplicate"]
    assert codes(findings, "unknown-employee-id") == ["unknown-employee-id"]  # 考勤 row for E7
    assert s["E1"].position == "文案编辑"  # the first E1 row is paid, once
    assert len(result.slips) == 5
    # left out of the bank file: the invalid account and the missing one; the Luhn failure is paid
    assert sorted(result.left_out["工号"]) == ["E4", "E5"]
    assert len(result.bank) == 3
    assert result.bank_total + sum(result.left_out["实发工资"]) == sum(x.net for x in result.slips)


def test_people_matched_by_id_never_by_name():
    people = [emp("E1", "捡单员", name="张三"), emp("E2", "捡单员", name="李四")]
    perf = [{"工号": "E1", "姓名": "李四", "拣货单数": 100},  # E1's row, wrong name: used, warned
            {"工号": "E9", "姓名": "李四", "拣货单数": 999},  # 李四's name, unknown 工号: not used
            {"工号": "E2", "拣货单数": 10}]
    _, findings, s = run(people, perf)
    assert s["E1"].piece_pay == D(200) and s["E2"].piece_pay == D(20)
    assert codes(findings, "name-mismatch") == ["name-mismatch"]
    assert codes(findings, "unknown-employee-id") == ["unknown-employee-id"]


def test_duplicate_performance_row_uses_the_first_and_is_an_error():
    _, findings, s = run([emp("E1", "捡单员")], [{"工号": "E1", "拣货单数": 100}, {"工号": "E1", "拣货单数": 5}])
    assert s["E1"].piece_pay == D(200)
    assert codes(findings, "duplicate-row-for-employee") == ["duplicate-row-for-employee"]


def test_joined_after_or_left_before_the_month_is_not_paid():
    result, _, s = run([emp("E1", "文案编辑"), emp("E2", "文案编辑", joined="2026-11-02")])
    assert list(s) == ["E1"]
    assert result.skipped == [{"id": "E2", "name": "员工2", "reason": "尚未入职"}]


def test_no_employees_is_unusable():
    with pytest.raises(UnusableInput):
        run([])


# --- the bank file ---------------------------------------------------------------------------------------
def test_bank_file_total_equals_net_and_people_without_account_are_listed():
    people = [emp("E1", "文案编辑", si=4462, fund="5%"), emp("E2", "捡单员"), emp("E3", "发货员", account=None)]
    perf = [{"工号": "E2", "拣货单数": 812}, {"工号": "E3", "发货单数": 10}]
    result, _, s = run(people, perf)
    # E1: 3200 − 468.51 − 223.10 = 2508.39; E2: 1500 + 1624 = 3124.00; E3: 1500 + 20 = 1520.00 (no account)
    assert [s[p].net for p in ("E1", "E2", "E3")] == [D("2508.39"), D("3124.00"), D("1520.00")]
    assert result.bank_total == D("5632.39")  # 2508.39 + 3124.00
    assert list(result.left_out["工号"]) == ["E3"] and list(result.left_out["原因"]) == ["没有银行账号"]
    assert result.bank_total + D("1520.00") == result.totals["net"]
    assert list(result.bank.columns[:3]) == ["账号", "户名", "金额"]
    assert list(result.bank["账号"]) == [card(1), card(2)]
    result.bank.loc[0, "金额"] = D("2508.40")  # one fen off: the check refuses to write
    with pytest.raises(AssertionError):
        result.check_bank_total()


def test_negative_net_pay_is_an_error_and_not_paid():
    _, findings, s = run([emp("E1", "文案编辑")], [{"工号": "E1", "罚款": "200+200"}],
                         attendance=[{"工号": "E1", "应出勤天数": 20, "实出勤天数": 0}])
    # 3200 − 3200 (absent all month) − 400 = −400
    assert s["E1"].net == D(-400)
    assert "net-pay-negative" in codes(findings)


def test_rules_workbook_pay_scheme():
    import pandas as pd
    from shopbook.rules.pay import load_pay_scheme

    class Rules:
        tables = {
            "岗位薪酬": pd.DataFrame([["捡单员", 1600, "拣货单数", 2.5]],
                                    columns=["岗位", "底薪", "计件项目", "单价"]),
            "工资参数": pd.DataFrame([["社保基数下限", 4462], ["养老保险个人比例", "8%"]], columns=["参数", "值"]),
        }
    scheme, problems = load_pay_scheme(Rules)
    assert len(problems) == 0
    _, _, s = run([emp("E1", "捡单员", si=3000)], [{"工号": "E1", "拣货单数": 101}], scheme=scheme)
    assert s["E1"].base == D(1600)
    assert s["E1"].piece_pay == D("252.50")  # 101 × 2.5
    assert s["E1"].social_insurance == D("468.51")  # floor 4462 × 10.5%
    Rules.tables["岗位薪酬"] = pd.DataFrame([["捡单员", "abc"]], columns=["岗位", "底薪"])
    _, problems = load_pay_scheme(Rules)
    assert list(problems["code"]) == ["rule-invalid"]


def test_every_explanation_amount_is_a_string_with_two_decimals_in_json():
    result, findings, _ = run([emp("E1", "捡单员")], [{"工号": "E1", "拣货单数": 812}])
    data = result.as_json(findings)
    e = data["employees"][0]
    assert list(e)[:17] == ["id", "name", "position", "base", "absence_deduction", "piece_pay", "bonus", "reward",
                            "penalty", "gross", "social_insurance", "housing_fund", "special_deduction", "iit",
                            "annual_bonus_tax", "net", "explanation"]
    assert e["piece_pay"] == "1624.00" and e["gross"] == "3124.00" and data["totals"]["net"] == "3124.00"
    assert data["month"] == "2026-10"


def test_month_parsing():
    assert parse_month("2026-10") == parse_month("2026/10") == parse_month("2026年10月") == dt.date(2026, 10, 1)
    with pytest.raises(ValueError):
        parse_month("2026-13")



def test_a_stamp_year_past_the_date_range_is_no_stamp(book):
    """个税累计 年份 = 10^11 or 99999 (typing slips) is no stamp: the month comes from the other row, no overflow."""
    from shopbook.payroll.carried import workbook_month
    from shopbook.payroll.run import read_payroll_book
    from shopbook.reading.files import open_workbook

    path = book({"员工": [["工号", "姓名", "岗位"], ["E1", "马小军", "捡单员"]],
                 "个税累计": [["工号", "累计月数", "累计收入", "年份", "截至月份"],
                              ["E1", 9, 36000, 10**11, 9], ["E1", 9, 36000, 99999, 9], ["E1", 8, 32000, 2026, 8]]})
    assert workbook_month(read_payroll_book(open_workbook(path))) == dt.date(2026, 9, 1)
