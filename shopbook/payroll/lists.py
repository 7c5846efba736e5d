"""The payroll result as the sheets it generates — the 工资表 frame, the 工资条 strip, and the column
kinds (money, text, widths) — used by shopbook.payroll.xlsx and the Excel button alike."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from shopbook.payroll.slip import mask

PAY_SHEET_COLUMNS = ["序号", "工号", "姓名", "岗位", "身份证号", "底薪", "应出勤天数", "实出勤天数", "缺勤扣款",
                     "计件工资", "奖金", "奖励", "罚款", "应发工资", "养老保险", "医疗保险", "失业保险", "社保合计",
                     "公积金", "专项附加扣除", "个人所得税", "年终奖", "年终奖计税方式", "年终奖个税", "年终奖两种计税", "实发工资",
                     "说明", "问题"]


def pay_sheet(result) -> pd.DataFrame:
    """The 工资表: one row per employee, every amount and its explanation."""
    rows = []
    for n, s in enumerate(result.slips, start=1):
        rows.append({
            "序号": n, "工号": s.id, "姓名": s.name, "岗位": s.position, "身份证号": s.id_card,
            "底薪": s.base, "应出勤天数": s.expected_days, "实出勤天数": s.actual_days,
            "缺勤扣款": s.absence_deduction, "计件工资": s.piece_pay, "奖金": s.bonus, "奖励": s.reward,
            "罚款": s.penalty, "应发工资": s.gross, "养老保险": s.pension, "医疗保险": s.medical,
            "失业保险": s.unemployment, "社保合计": s.social_insurance, "公积金": s.housing_fund,
            "专项附加扣除": s.special_deduction, "个人所得税": s.iit, "年终奖": s.annual_bonus,
            "年终奖计税方式": s.annual_bonus_method, "年终奖个税": s.annual_bonus_tax,
            "年终奖两种计税": bonus_taxes_text(s.bonus_taxes), "实发工资": s.net,
            "说明": s.explanation, "问题": s.error_titles,
        })
    return pd.DataFrame(rows, columns=PAY_SHEET_COLUMNS)

def bonus_taxes_text(taxes) -> str | None:
    """(单独计税, 并入工资) totals as the 工资表 shows them: '单独计税 3480.10 / 并入工资 4200.00(单独计税少 719.90)'."""
    if taxes is None:
        return None
    separate, merged = taxes
    if separate is None:
        return f"并入工资 {merged:.2f}(单独计税本年已用过或已到期)"
    diff = separate - merged
    cheaper = "两种相同" if not diff else f"单独计税少 {-diff:.2f}" if diff < 0 else f"并入工资少 {diff:.2f}"
    return f"单独计税 {separate:.2f} / 并入工资 {merged:.2f}({cheaper})"


MONEY_COLUMNS = {"底薪", "缺勤扣款", "计件工资", "奖金", "奖励", "罚款", "应发工资", "养老保险", "医疗保险", "失业保险",
                 "社保合计", "社保", "公积金", "专项附加扣除", "个人所得税", "个税", "年终奖", "年终奖个税", "实发工资",
                 "累计收入", "累计专项扣除", "累计专项附加扣除", "累计已预扣税额", "累计责任金", "金额"}
TEXT_COLUMNS = {"工号", "身份证号", "银行账号", "账号"}
WIDTHS = {"序号": 5, "工号": 9, "姓名": 8, "岗位": 11, "身份证号": 20, "银行账号": 22, "账号": 24, "户名": 10,
          "开户行": 16, "说明": 100, "问题": 24, "年终奖计税方式": 9, "年终奖两种计税": 30, "年终奖单独计税": 10, "季度": 9, "原因": 16}


STRIP_COLUMNS = ["工号", "姓名", "岗位", "身份证号", "银行账号", "应出勤", "实出勤", "底薪", "缺勤扣款", "计件工资",
                 "奖金", "奖励", "罚款", "应发工资", "社保", "公积金", "个税", "实发工资"]
BONUS_STRIP_COLUMNS = ["年终奖", "年终奖个税"]


def strip_values(s, with_bonus: bool) -> list:
    values = [s.id, s.name, s.position, mask(s.id_card), mask(s.account), s.expected_days, s.actual_days, s.base,
              s.absence_deduction, s.piece_pay, s.bonus, s.reward, s.penalty, s.gross, s.social_insurance,
              s.housing_fund, s.iit, s.net]
    if with_bonus:
        values[-1:-1] = [s.annual_bonus, s.annual_bonus_tax]
    return [float(v) if isinstance(v, Decimal) and k in ("应出勤", "实出勤") else v
            for k, v in zip(strip_headers(with_bonus), values)]


def strip_headers(with_bonus: bool) -> list[str]:
    headers = list(STRIP_COLUMNS)
    if with_bonus:
        headers[-1:-1] = BONUS_STRIP_COLUMNS
    return headers
