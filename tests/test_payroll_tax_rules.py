"""The tax and contribution rules of issue 18 item 3, each with its published worked example
(sources in docs/payroll.md and /work/research/tax-rules.md: the STA's own examples where they
exist, else the public calculators' fixtures, else our own arithmetic from the rule)."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pandas as pd

from shopbook.payroll import tax
from shopbook.payroll.job import compute_payroll
from shopbook.payroll.lists import bonus_taxes_text
from shopbook.payroll.months import parse_month
from shopbook.payroll.run import memory_book, read_payroll_book
from shopbook.rules.pay import DEFAULT_SCHEME, load_pay_scheme
from test_payroll import ATT_HEADER, EMP_HEADER, emp, rows

NO_UNEMPLOYMENT = replace(DEFAULT_SCHEME, unemployment_rate=D(0))  # 专项扣除 = 10 % of the base
SHANGHAI = replace(DEFAULT_SCHEME, city="上海")


def problems(findings) -> list[str]:
    """The codes of the warnings and errors, without the info notes (social-insurance-none …) and the
    missing 个税累计 of a single month computed on its own."""
    return [c for c, sev in zip(findings["code"], findings["severity"])
            if sev != "info" and c != "tax-ytd-absent"] if len(findings) else []


def month_of(employees, month, *, performance=None, tax_ytd=None, scheme=DEFAULT_SCHEME, merge_bonus=False,
             attendance=None):
    sheets = {"员工": rows(EMP_HEADER, employees),
              "考勤": rows(ATT_HEADER, attendance or [{"工号": e["工号"], "应出勤天数": 21, "实出勤天数": 21}
                                                    for e in employees])}
    if performance is not None:
        sheets["绩效"] = rows(["工号"], performance)
    if tax_ytd is not None:
        sheets["个税累计"] = tax_ytd
    tables = read_payroll_book(memory_book(sheets))
    result, findings = compute_payroll(tables, scheme, parse_month(month), merge_bonus=merge_bonus)
    return result, findings, {s.id: s for s in result.slips}


def months(employees, first, last, year=2026, **kw):
    """Pay months first..last in a row, each taking the previous month's 个税累计; the month's
    个税 per month."""
    carried, out = None, []
    for m in range(first, last + 1):
        result, findings, s = month_of(employees, f"{year}-{m:02d}", tax_ytd=carried, **kw)
        carried = result.tax_ytd
        out.append(s[employees[0]["工号"]].iit)
    return out


# --- 国家税务总局公告2018年第61号: the STA's own example of cumulative withholding ------------------
def test_cumulative_withholding_sta_example_555_625_1850():
    # 30000 a month, 三险一金 4500 (10.5 % + 公积金 4.5 % of 30000), 专项附加扣除 2000, at the shop since 2015
    person = emp("E1", "视觉编辑", 30000, si=30000, fund="4.5%", extra=2000, joined="2015-03-01")
    taxes = months([person], 1, 12)
    assert taxes[:3] == [D("555.00"), D("625.00"), D("1850.00")]
    assert taxes[7] == D("2250.00")  # August: the 20 % band
    assert sum(taxes) == D("27480.00")  # 222000 × 20 % − 16920


# --- 国家税务总局公告2020年第13号: first wage income of the year --------------------------------------
def test_first_wages_of_the_year_july_graduate_owes_nothing_not_345():
    # CN-N44-1: hired 2026-07-01, 20000, 社保公积金 3500 (10.5 % + 7 % of 20000)
    graduate = emp("E1", "视觉编辑", 20000, si=20000, fund="7%", joined="2026-07-01")
    _, _, s = month_of([graduate], "2026-07")
    assert s["E1"].iit == D("345.00")  # without the election: 20000 − 3500 − 5000 = 11500 × 3 %
    _, findings, s = month_of([{**graduate, "本年首次取得工资": "是"}], "2026-07")
    assert s["E1"].iit == D("0.00") and s["E1"].net == D("16500.00")
    assert "减除费用 5000 × 7(本年首次取得工资" in s["E1"].explanation
    assert not problems(findings)


def test_first_wages_of_the_year_over_the_months_july_to_december():
    # 12000 a month, 社保公积金 1500 (10.5 % + 2 %): 0 until November, 90.00 in December; 165 a month without
    graduate = emp("E1", "视觉编辑", 12000, si=12000, fund="2%", joined="2026-07-01")
    assert months([{**graduate, "本年首次取得工资": "是"}], 7, 12) == [D("0.00")] * 5 + [D("90.00")]
    assert months([graduate], 7, 12) == [D("165.00")] * 6


def test_first_wages_hired_in_march_deduct_15000():
    person = {**emp("E1", "视觉编辑", 20000, joined="2026-03-10"), "本年首次取得工资": "是"}
    _, _, s = month_of([person], "2026-03")
    assert s["E1"].iit == D("150.00")  # (20000 − 15000) × 3 %; without the election (20000 − 5000) × 3 % = 450
    assert "减除费用 5000 × 3" in s["E1"].explanation


# --- 国家税务总局公告2020年第19号: 60000 from January ---------------------------------------------------
def test_low_income_60000_from_january():
    # CN-N11-1: January 2026, 10000, 社保公积金 1750 (10.5 % + 7 %)
    person = {**emp("E1", "视觉编辑", 10000, si=10000, fund="7%"), "上年工资不超过6万": "是"}
    _, findings, s = month_of([person], "2026-01")
    assert s["E1"].iit == D("0.00") and s["E1"].net == D("8250.00")
    assert "减除费用 60000(上年工资不超过 6 万元" in s["E1"].explanation
    assert not problems(findings)


def test_low_income_year_passes_60000_in_august_and_pays_from_september():
    person = {**emp("E1", "视觉编辑", 8000, si=8000, joined="2019-05-01"), "上年工资不超过6万": "是"}
    taxes = months([person], 1, 12, scheme=NO_UNEMPLOYMENT)
    assert taxes == [D("0.00")] * 8 + [D("144.00"), D("216.00"), D("216.00"), D("216.00")]
    assert sum(taxes) == D("792.00")  # the ordinary method's year total: 66.00 a month


def test_low_income_crossing_a_bracket():
    # 12000, 社保公积金 1000, 专项附加扣除 2000: nothing until July, the 10 % band in November
    person = {**emp("E1", "视觉编辑", 12000, si=10000, extra=2000), "上年工资不超过6万": "是"}
    taxes = months([person], 1, 12, scheme=NO_UNEMPLOYMENT)
    assert taxes == [D("0.00")] * 6 + [D("90.00"), D("270.00"), D("270.00"), D("270.00"), D("480.00"), D("900.00")]
    assert sum(taxes) == D("2280.00")


def test_low_income_needs_all_of_last_year_here():
    person = {**emp("E1", "视觉编辑", 10000, joined="2025-03-01"), "上年工资不超过6万": "是"}
    _, findings, s = month_of([person], "2026-01")
    assert problems(findings) == ["low-income-allowance-ineligible"]
    assert s["E1"].iit == D("150.00")  # (10000 − 5000) × 3 %: the ordinary deduction


# --- 专项附加扣除 by category (国发〔2023〕13号, 〔2018〕41号, 〔2022〕8号) ---------------------------
def test_child_education_and_elderly_care_cn_n16_1():
    person = {**emp("E1", "视觉编辑", 20000, si=20000, fund="7%", extra=None), "子女教育": 2000, "赡养老人": 3000,
              "独生子女": "是"}
    _, findings, s = month_of([person], "2026-01")
    assert s["E1"].special_deduction == D(5000)
    assert s["E1"].iit == D("195.00") and s["E1"].net == D("16305.00")
    assert "专项附加扣除 = 子女教育 2000 + 赡养老人 3000 = 5000.00" in s["E1"].explanation
    assert not problems(findings)


def test_rent_above_the_city_standard_is_capped_and_a_finding():
    # CN-N11-1 (rent): 2000 claimed in Shanghai → 1500
    person = {**emp("E1", "视觉编辑", 20000, si=20000, fund="7%", extra=None), "住房租金": 2000}
    _, findings, s = month_of([person], "2026-01", scheme=SHANGHAI)
    assert s["E1"].special_deduction == D(1500)
    assert s["E1"].iit == D("300.00")  # 20000 − 3500 − 5000 − 1500 = 10000 × 3 %
    assert problems(findings) == ["special-deduction-capped"]
    assert "本月按 1500 元扣除" in findings["message"][0]


def test_rent_and_loan_interest_together_are_refused():
    # CN-N54-1: neither is deducted, an error
    person = {**emp("E1", "视觉编辑", 20000, si=20000, fund="7%", extra=None), "住房租金": 1500, "住房贷款利息": 1000}
    _, findings, s = month_of([person], "2026-01")
    assert problems(findings) == ["rent-and-loan-both"]
    assert s["E1"].special_deduction == D(0) and s["E1"].iit == D("345.00")
    assert s["E1"].errors == ["rent-and-loan-both"]


def test_sharing_and_per_child_standards():
    people = [
        {**emp("E1", "视觉编辑", 20000, extra=None), "子女教育": 2000, "婴幼儿照护": 1000},  # 2 children at 50 %
        {**emp("E2", "视觉编辑", 20000, extra=None), "赡养老人": 1500, "独生子女": "否"},  # agreed 1500/1500
        {**emp("E3", "视觉编辑", 20000, extra=None), "赡养老人": 2000, "独生子女": "否"},  # 2000 > 1500 each
        {**emp("E4", "视觉编辑", 20000, extra=None), "子女教育": 2500},  # not a multiple of 1000
        {**emp("E5", "视觉编辑", 20000, extra=None), "继续教育": 3600},  # certificate year
        {**emp("E6", "视觉编辑", 20000, extra=None), "继续教育": 1000},  # degree: 400 a month
        {**emp("E7", "视觉编辑", 20000, extra=None), "住房贷款利息": 1200},
    ]
    _, findings, s = month_of(people, "2026-01")
    assert [s[p].special_deduction for p in ("E1", "E2", "E3", "E4", "E5", "E6", "E7")] == \
        [D(3000), D(1500), D(1500), D(2000), D(3600), D(400), D(1000)]
    capped = findings[findings["code"] == "special-deduction-capped"]
    assert list(capped["row"]) == [4, 5, 7, 8] and list(capped["column"]) == ["赡养老人", "子女教育", "继续教育",
                                                                                 "住房贷款利息"]


def test_serious_illness_only_at_the_annual_settlement():
    person = {**emp("E1", "视觉编辑", 20000, extra=None), "大病医疗": 50000}
    _, findings, s = month_of([person], "2026-01")
    assert s["E1"].special_deduction == D(0)
    assert problems(findings) == ["serious-illness-at-settlement"]
    assert tax.special_item_cap(tax.SERIOUS_ILLNESS, D(50000)) == (D(0), tax.special_item_cap(
        tax.SERIOUS_ILLNESS, D(1))[1])


def test_a_typed_total_that_differs_from_the_categories():
    person = {**emp("E1", "视觉编辑", 20000, extra=5000), "子女教育": 2000, "赡养老人": 2000}
    _, findings, s = month_of([person], "2026-01")
    assert s["E1"].special_deduction == D(4000)
    assert problems(findings) == ["special-deduction-total-differs"]
    _, findings, s = month_of([{**person, "专项附加扣除": 0}], "2026-01")  # 0 left in the old column
    assert s["E1"].special_deduction == D(4000) and not problems(findings)


def test_old_sheets_without_categories_use_the_total_as_before():
    _, findings, s = month_of([emp("E1", "视觉编辑", 20000, extra=3000)], "2026-01")
    assert s["E1"].special_deduction == D(3000) and not problems(findings)


# --- 全年一次性奖金: the choice per person, both taxes shown ------------------------------------------
def ytd_dec(pid, income, withheld=0):
    return [["工号", "累计月数", "累计收入", "累计专项扣除", "累计专项附加扣除", "累计已预扣税额", "年份", "截至月份"],
            [pid, 11, income, 0, 0, withheld, 2026, 11]]


def test_merging_the_bonus_is_cheaper_for_a_low_earner():
    # wages 4000 × 12, bonus 20000: separately 600.00, merged 240.00
    person = emp("E1", "文案编辑", 4000)
    result, _, s = month_of([person], "2026-12", performance=[{"工号": "E1", "年终奖": 20000}],
                            tax_ytd=ytd_dec("E1", 44000))
    assert s["E1"].annual_bonus_method == "单独计税" and s["E1"].annual_bonus_tax == D("600.00")
    assert s["E1"].bonus_taxes == (D("600.00"), D("240.00"))
    assert result.sheet()["年终奖两种计税"][0] == "单独计税 600.00 / 并入工资 240.00(并入工资少 360.00)"
    # the person's choice: 并入工资
    _, _, s = month_of([person], "2026-12", performance=[{"工号": "E1", "年终奖": 20000, "年终奖计税方式": "并入工资"}],
                       tax_ytd=ytd_dec("E1", 44000))
    assert s["E1"].annual_bonus_method == "并入工资" and s["E1"].iit == D("240.00")
    assert s["E1"].bonus_taxes == (D("600.00"), D("240.00"))
    assert "本人选择并入工资" in s["E1"].explanation


def test_separate_is_cheaper_for_a_high_earner_and_a_choice_beats_merge_bonus():
    # wage taxable 200000 for the year, bonus 30000: separately 23080 + 900 = 23980, merged 29080
    person = emp("E1", "视觉编辑", 5000)
    perf = [{"工号": "E1", "年终奖": 30000, "年终奖计税方式": "单独计税"}]
    result, findings, s = month_of([person], "2026-12", performance=perf, tax_ytd=ytd_dec("E1", 255000),
                                   merge_bonus=True)
    assert s["E1"].annual_bonus_method == "单独计税"
    assert (s["E1"].iit, s["E1"].annual_bonus_tax) == (D("23080.00"), D("900.00"))
    assert s["E1"].bonus_taxes == (D("23980.00"), D("29080.00"))
    assert result.as_json(findings)["employees"][0]["annual_bonus_taxes"] == {"separate": "23980.00",
                                                                                   "merged": "29080.00"}
    # blank choice: --merge-bonus decides, as before
    perf = [{"工号": "E1", "年终奖": 30000}]
    _, _, s = month_of([person], "2026-12", performance=perf, tax_ytd=ytd_dec("E1", 255000), merge_bonus=True)
    assert s["E1"].annual_bonus_method == "并入工资" and s["E1"].iit == D("29080.00")


def test_bonus_taxes_text_when_separate_is_not_open():
    assert bonus_taxes_text((None, D("240"))) == "并入工资 240.00(单独计税本年已用过或已到期)"
    assert bonus_taxes_text(None) is None


def test_annual_bonus_published_figures():
    assert tax.annual_bonus_tax(D(36000))[0] == D("1080.00")
    assert tax.annual_bonus_tax(D(36001))[0] == D("3390.10")
    assert tax.annual_bonus_tax(D(60000))[0] == D("5790.00")
    assert tax.annual_bonus_tax(D(100000))[0] == D("9790.00")
    assert tax.annual_bonus_tax(D(144001))[0] == D("27390.20")


# --- 社保 bases per scheme, 公积金 rounding by city ---------------------------------------------------
def test_shanghai_above_the_cap_cn_sh05_2():
    scheme = replace(SHANGHAI, social_ceiling=D(37302), fund_ceiling=D(37302))
    _, _, s = month_of([emp("E1", "视觉编辑", 50000, si=50000, fund="7%", extra=None)], "2026-01", scheme=scheme)
    p = s["E1"]
    assert (p.pension, p.medical, p.unemployment, p.housing_fund) == (D("2984.16"), D("746.04"), D("186.51"),
                                                                     D("2611.00"))
    assert p.iit == D("1327.23") and p.net == D("42145.06")


def test_housing_fund_to_the_yuan_in_shanghai_and_kunming_to_the_fen_without_a_city():
    people = [emp("E1", "视觉编辑", 21750, si=21750, fund="7%"), emp("E2", "视觉编辑", 10010, si=10010, fund="7%")]
    _, _, s = month_of(people, "2026-01", scheme=SHANGHAI)
    assert (s["E1"].housing_fund, s["E2"].housing_fund) == (D("1523.00"), D("701.00"))  # CN-SH09-2, 700.70 → 701
    assert "1522.50 → 1523.00(上海公积金四舍五入到元)" in s["E1"].explanation
    _, _, s = month_of(people, "2026-01")
    assert (s["E1"].housing_fund, s["E2"].housing_fund) == (D("1522.50"), D("700.70"))  # no city: to the fen
    _, _, s = month_of([emp("E1", "视觉编辑", 32543, si=32543, fund="12%")], "2026-01",
                       scheme=replace(DEFAULT_SCHEME, city="昆明"))
    assert s["E1"].housing_fund == D("3905.00")  # 昆公积金规〔2020〕2号: 3905.16 → 3905


def test_a_base_per_scheme():
    # Kunming 2026: pension/unemployment 4403–22017, medical 4357–21789; the housing fund its own base
    scheme = replace(DEFAULT_SCHEME, social_floor=D(4403), social_ceiling=D(22017), medical_floor=D(4357),
                     medical_ceiling=D(21789))
    _, _, s = month_of([emp("E1", "视觉编辑", 30000, si=30000, fund="5%")], "2026-01", scheme=scheme)
    assert (s["E1"].pension, s["E1"].medical, s["E1"].unemployment) == (D("1761.36"), D("435.78"), D("110.09"))
    assert s["E1"].housing_fund == D("1500.00")
    person = {**emp("E2", "视觉编辑", 9000, si=9000, fund="5%"), "医疗基数": 6000, "公积金基数": 4000}
    _, _, s = month_of([person], "2026-01")
    assert (s["E2"].pension, s["E2"].medical, s["E2"].unemployment, s["E2"].housing_fund) == \
        (D("720.00"), D("120.00"), D("45.00"), D("200.00"))
    assert "医疗 6000 × 2% = 120.00" in s["E2"].explanation


def test_one_base_keeps_the_one_line_explanation():
    _, _, s = month_of([emp("E1", "捡单员", si=4462, fund="5%")], "2026-01")
    assert "社保 = 4462 × (8% + 2% + 0.5%) = 356.96 + 89.24 + 22.31 = 468.51" in s["E1"].explanation
    assert s["E1"].housing_fund == D("223.10")


# --- the minimum wage (《最低工资规定》; 沪人社规〔2025〕10号) ------------------------------------------
def test_minimum_wage_shanghai_net_of_contributions():
    july = replace(SHANGHAI, social_floor=D(7546), fund_floor=D(2740))
    # CN-SH01-1: 3798.33 − (792.33 SI on the 7546 floor + 266 HF) = 2740.00: passes
    _, findings, s = month_of([emp("E1", "视觉编辑", D("3798.33"), si=D("3798.33"), fund="7%")], "2026-07",
                              scheme=july)
    assert s["E1"].social_insurance + s["E1"].housing_fund == D("1058.33")
    assert "minimum-wage-below" not in problems(findings)
    # CN-SH01-2: 2740 gross − 975.30 = 1764.70 < 2740: a warning
    march = replace(SHANGHAI, social_floor=D(7460), fund_floor=D(2690))
    _, findings, s = month_of([emp("E1", "视觉编辑", 2740, si=2740, fund="7%")], "2026-03", scheme=march)
    assert s["E1"].social_insurance + s["E1"].housing_fund == D("975.30")
    assert problems(findings) == ["minimum-wage-below"]
    assert "1764.70" in findings["message"][0] and "2740.00" in findings["message"][0]


def test_minimum_wage_kunming_counts_gross_pay_and_no_city_no_check():
    _, findings, _ = month_of([emp("E1", "视觉编辑", 2170, si=4403, fund="5%")], "2026-01",
                              scheme=replace(DEFAULT_SCHEME, city="昆明"))
    assert "minimum-wage-below" not in problems(findings)
    _, findings, _ = month_of([emp("E1", "视觉编辑", 2000)], "2026-01")
    assert "minimum-wage-below" not in problems(findings)
    _, findings, _ = month_of([emp("E1", "视觉编辑", 2000)], "2026-01", scheme=SHANGHAI)
    assert problems(findings) == ["minimum-wage-below"]


def test_minimum_wage_pro_rata_for_part_of_a_month():
    att = [{"工号": "E1", "应出勤天数": 20, "实出勤天数": 10}]
    _, findings, s = month_of([emp("E1", "视觉编辑", 3000)], "2026-01", scheme=SHANGHAI, attendance=att)
    assert s["E1"].gross == D("1500.00") and "minimum-wage-below" not in problems(findings)  # 1500 ≥ 2740 × 10/20


# --- the rules workbook's 城市标准 and 工作城市 ----------------------------------------------------------
def test_city_table_and_city_parameter_from_the_rules_workbook():
    class Rules:
        tables = {
            "城市标准": pd.DataFrame([["杭州", "2024-07-01", 2490, "是", "元", 1500, ""]],
                                    columns=["城市", "起始日期", "最低工资", "最低工资扣除个人社保公积金", "公积金取整",
                                             "住房租金扣除标准", "说明"]),
            "工资参数": pd.DataFrame([["工作城市", "杭州"]], columns=["参数", "值"]),
        }
    scheme, problems = load_pay_scheme(Rules)
    assert problems.empty and scheme.city == "杭州"
    assert {c.city for c in scheme.cities} >= {"杭州", "上海", "昆明"}
    Rules.tables["城市标准"].loc[0, "公积金取整"] = "角"
    Rules.tables["城市标准"].loc[0, "住房租金扣除标准"] = 1200
    scheme, problems = load_pay_scheme(Rules)
    assert list(problems["code"]) == ["rule-invalid", "rule-invalid"]  # the bad row; then 杭州 is unknown
    assert scheme.city is None


# --- item 4: what the employee and the per-person summaries show ---------------------------------
def test_per_person_summaries_use_chinese_titles_and_the_payslip_no_setup_notes():
    from pathlib import Path

    from shopbook.payroll.run import PayrollRun

    person = {**emp("E1", "电商总监", extra=None, name="周总"), "住房租金": 1500, "住房贷款利息": 1000}
    result, findings, s = month_of([person], "2026-01", performance=[{"工号": "E1", "店铺营业额": 100000}])
    report = PayrollRun(Path("工资.xlsx"), result, findings).report()
    line = next(l for l in report.splitlines() if l.startswith("  周总(E1)"))
    assert "住房租金与房贷利息不能同时扣除" in line and "rent-and-loan-both" not in line
    assert result.sheet()["问题"][0] == "住房租金与房贷利息不能同时扣除"
    assert "奖金比例未设定" in s["E1"].explanation and "未设定" not in s["E1"].payslip_explanation
    assert "bonus-unset" in list(findings["code"])


def test_compute_takes_the_rules_and_the_month():
    from shopbook.payroll.job import compute

    class Rules:
        tables = {"工资参数": pd.DataFrame([["工作城市", "上海"], ["社保基数下限", "abc"]], columns=["参数", "值"])}
    sheets = {"员工": rows(EMP_HEADER, [emp("E1", "视觉编辑", 2000)]),
              "考勤": rows(ATT_HEADER, [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21}])}
    tables = read_payroll_book(memory_book(sheets))
    result, findings = compute(tables, Rules, parse_month("2026-01"))
    assert list(findings["code"])[0] == "rule-invalid" and "minimum-wage-below" in list(findings["code"])
    result, findings = compute(tables, DEFAULT_SCHEME, parse_month("2026-01"))
    assert "minimum-wage-below" not in list(findings["code"])
