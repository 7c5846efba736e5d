"""Write the payroll demo workbook (shopbook/data/demo/工资.xlsx) and the blank template
(workbooks/工资.xlsx).

The demo is a shop of 14 people in the positions of SPEC §Payroll, for October 2026: its
个税累计 and 责任金台账 are September's, so `shopbook payroll 工资.xlsx --month 2026-10`
pays the 司库's Q3 责任金. 身份证号 carry valid GB 11643 check digits and bank cards valid
Luhn digits (made with python-stdnum), except one card that deliberately fails Luhn (a
warning: passbook/corporate accounts can). One mid-year joiner (July), one penalty
"100+50".

    python scripts/make_demo_payroll.py
"""
from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from stdnum import luhn
from stdnum.cn import ric

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shopbook.payroll import tax  # noqa: E402
from shopbook.payroll.carried import LEDGER_COLUMNS, TAX_YTD_COLUMNS  # noqa: E402
from shopbook.payroll.sheets import ATTENDANCE, DUTY_LEDGER, EMPLOYEES, PERFORMANCE, TAX_RULE_COLUMNS  # noqa: E402
from shopbook.rules.pay import DEFAULT_SCHEME_ROWS  # noqa: E402
from shopbook.sheets.rewards import REWARDS  # noqa: E402

HEADERS = {
    "员工": [c.name for c in EMPLOYEES.columns if c.name != "户名" and c.name not in TAX_RULE_COLUMNS],
    "考勤": [c.name for c in ATTENDANCE.columns],
    "绩效": [c.name for c in PERFORMANCE.columns if c.name not in TAX_RULE_COLUMNS],
    "个税累计": TAX_YTD_COLUMNS,
    "责任金台账": LEDGER_COLUMNS,
    "奖罚登记": [c.name for c in REWARDS.columns],  # the demo's only (the template is workbooks/奖罚登记.xlsx)
}
OPTIONAL = {"奖罚登记"}  # written only when there are rows for it
TEXT = {"工号", "身份证号", "银行账号", "罚款", "年终奖单独计税", "季度"}
MONEY = {"底薪", "社保基数", "专项附加扣除", "个人销售额", "个人销售目标", "店铺营业额", "效益奖金", "奖励", "年终奖",
         "累计收入", "累计专项扣除", "累计专项附加扣除", "累计已预扣税额", "累计责任金", "金额"}
DATES = {"入职日期", "离职日期", "日期"}
WIDTH = {"身份证号": 21, "银行账号": 23, "开户行": 20, "岗位": 12, "罚款": 10, "说明": 36, "入职日期": 12, "离职日期": 12}
HEADER_FILL = PatternFill("solid", fgColor="FF305496")
TEMPLATE_ROWS = 300
POSITIONS = list(dict.fromkeys(r[0] for r in DEFAULT_SCHEME_ROWS))


def id_card(region: str, birth: str, seq: int) -> str:
    """An 18-digit 身份证号 with its GB 11643 check digit."""
    body = f"{region}{birth}{seq:03d}"
    number = body + ric.calc_check_digit(body + "0")
    assert ric.is_valid(number), number
    return number


def bank_card(prefix: str, serial: str) -> str:
    body = prefix + serial
    return body + luhn.calc_check_digit(body)


# 工号, 姓名, 岗位, 底薪 (blank = the position's), region, birth, sequence, card prefix, bank,
# 社保基数, 公积金比例, 专项附加扣除, 入职日期
PEOPLE = [
    ("E001", "陈志远", "电商总监", None, "330106", "19850312", 113, "622202", "中国工商银行杭州西湖支行", 10000, 0.12, 1000, "2019-03-01"),
    ("E002", "林晓彤", "促销策划经理", None, "330102", "19910705", 224, "621700", "中国建设银行杭州分行", 7000, 0.07, 0, "2021-06-15"),
    ("E003", "王海峰", "客服组经理", None, "330104", "19890921", 335, "622848", "中国农业银行杭州城东支行", 6000, 0.07, 1000, "2020-09-01"),
    ("E004", "赵雨晴", "销售客服", 1800, "330108", "19980214", 446, "621483", "招商银行杭州分行", 4462, 0.05, 0, "2023-02-20"),
    ("E005", "孙佳怡", "销售客服", 2000, "340104", "19970830", 528, "622202", "中国工商银行杭州滨江支行", 4462, 0.05, 1500, "2022-05-09"),
    ("E006", "周子豪", "销售客服", 1600, "360102", "20000117", 617, "621700", "中国建设银行杭州分行", 4462, 0.05, 0, "2025-03-03"),
    ("E007", "吴思琪", "售后客服", None, "320102", "19960403", 748, "622848", "中国农业银行杭州分行", 4462, 0.05, 0, "2022-11-01"),
    ("E008", "郑凯文", "售后客服", None, "420106", "19990626", 835, "621483", "招商银行杭州分行", 4462, 0.05, 0, "2026-07-15"),
    ("E009", "冯若曦", "视觉编辑", None, "430102", "19930918", 926, "622202", "中国工商银行杭州西湖支行", 6000, 0.07, 1000, "2021-08-02"),
    ("E010", "韩雪", "文案编辑", None, "370202", "19950111", 168, "621700", "中国建设银行杭州分行", 4462, 0.05, 0, "2022-03-14"),
    ("E011", "杨慧敏", "行政财务", 3000, "350203", "19880506", 226, "622848", "中国农业银行杭州分行", 4462, 0.07, 2000, "2020-04-01"),
    ("E012", "刘建国", "司库", None, "510104", "19911228", 317, "622202", "中国工商银行杭州余杭支行", 5000, 0.07, 3000, "2019-05-20"),
    ("E013", "马小军", "捡单员", None, "410105", "20010809", 415, "621700", "中国建设银行杭州分行", 4462, 0.05, 0, "2024-10-08"),
    ("E014", "黄立强", "发货员", None, "440305", "19990302", 511, "622848", "中国农业银行杭州分行", 4462, 0.05, 0, "2023-07-01"),
]

ATTEND = {"E004": (20, 19, 0, 1), "E010": (20, 18.5, 0, 2), "E013": (20, 20, 2, 0)}  # 工号 -> 应, 实, 迟到早退, 请假

# the names the ledger knows them by (its 客服 and 包装人); the other packers, 小刘 and 阿强, are not
# on this payroll (their parcels are listed as counted for nobody)
NICKNAMES = {"E004": "小美", "E005": "小丽", "E006": "阿芳", "E007": "小雪", "E008": "小娟", "E014": "老周"}

# 绩效 as typed: the counts and the 个人销售额 are left blank, payroll takes them from the records
# (客服.xlsx, 台账.xlsx and the pick list's 拣货批次)
PERF = {
    "E001": {"店铺营业额": 986400},
    "E002": {"效益奖金": 1500},
    "E003": {"店铺营业额": 986400},
    "E004": {"个人销售目标": 5000},
    "E005": {"个人销售目标": 6000},
    "E006": {"个人销售目标": 4500, "奖励": 200},
    "E012": {"仓库事故": 0},
    "E014": {"罚款": "100+50"},
}

# 奖罚登记 of October: the entries behind 绩效's 奖励/罚款, a 好评改善 reward, and two planted lapses (a
# penalty above 200; a 仓库事故 penalty without approver or incident record)
REWARD_ROWS = [
    [dt.date(2026, 10, 8), "E007", "吴思琪", "好评改善", "奖", None, 2, "王海峰", None],
    [dt.date(2026, 10, 12), "E006", "周子豪", "客户表扬", "奖", 200, 3, "王海峰", None],
    [dt.date(2026, 10, 15), "E014", "黄立强", "发错货", "罚", 100, 2, "刘建国", None],
    [dt.date(2026, 10, 22), "E014", "黄立强", "漏发", "罚", 50, 1, "刘建国", None],
    [dt.date(2026, 10, 26), "E013", "马小军", "仓库事故:摔坏一箱文胸", "罚", 80, 2, None, None],
    [dt.date(2026, 10, 29), "E005", "孙佳怡", "违反制度:私自承诺退款", "罚", 300, 3, "王海峰", None],
]

# a typical month's 应发 before October, to build September's 个税累计
TYPICAL_GROSS = {"E001": 10000, "E002": 6200, "E003": 4500, "E004": 2350, "E005": 2400, "E006": 2150,
                 "E007": 2380, "E008": 2330, "E009": 5000, "E010": 3200, "E011": 3000, "E012": 4500,
                 "E013": 3150, "E014": 3080}


def accounts() -> dict[str, str]:
    cards = {}
    for n, p in enumerate(PEOPLE):
        serial = f"{(n + 3) * 7919:07d}{n:02d}{(n * 37) % 97:02d}{n % 10}"[:12 if p[7] != "621483" else 9]
        cards[p[0]] = bank_card(p[7], serial)
    wrong = cards["E010"]  # one card copied with a wrong last digit: fails Luhn
    cards["E010"] = wrong[:-1] + str((int(wrong[-1]) + 3) % 10)
    return cards


def social(person) -> tuple[Decimal, Decimal]:
    base = Decimal(person[9])
    si = sum((tax.fen(base * Decimal(r)) for r in ("0.08", "0.02", "0.005")), Decimal(0))
    return si, tax.fen(base * Decimal(str(person[10])))


def tax_ytd_rows() -> list[list]:
    """September 2026's 个税累计: each person's months at the shop this year × a typical month."""
    rows = []
    cards = {p[0]: id_card(p[4], p[5], p[6]) for p in PEOPLE}
    for p in PEOPLE:
        joined = dt.date.fromisoformat(p[12])
        months = 9 if joined.year < 2026 else 9 - joined.month + 1
        si, hf = social(p)
        income = Decimal(TYPICAL_GROSS[p[0]]) * months
        special = (si + hf) * months
        additional = Decimal(p[11]) * months
        withheld, _ = tax.cumulative_tax(income - tax.MONTHLY_ALLOWANCE * months - special - additional)
        rows.append([p[0], p[1], cards[p[0]], months, income, special, additional, withheld, None, 2026, 9])
    return rows


def demo_sheets() -> dict[str, list[list]]:
    cards = accounts()
    employees = [[p[0], p[1], p[2], p[3], id_card(p[4], p[5], p[6]), cards[p[0]], p[8], p[9], p[10], p[11],
                  dt.date.fromisoformat(p[12]), None, NICKNAMES.get(p[0])] for p in PEOPLE]
    attendance = []
    for p in PEOPLE:
        expected, actual, late, leave = ATTEND.get(p[0], (20, 20, 0, 0))
        attendance.append([p[0], p[1], expected, actual, late or None, leave or None])
    perf_cols = HEADERS["绩效"]
    performance = []
    for p in PEOPLE:
        values = {"工号": p[0], "姓名": p[1], **PERF.get(p[0], {})}
        performance.append([values.get(c) for c in perf_cols])
    ledger = [["E012", "刘建国", "2026Q3", 3, 2, 3000, 2026, 9, "8 月仓库事故 1 起,当月不计提"]]
    return {"员工": employees, "考勤": attendance, "绩效": performance, "个税累计": tax_ytd_rows(),
            "责任金台账": ledger, "奖罚登记": REWARD_ROWS}


def write_book(path: Path, sheets: dict[str, list[list]]) -> None:
    """Each sheet: Chinese headers, ID columns as text, money with 2 decimals, frozen header,
    a 岗位 drop-down. The formats sit on the columns (new entries typed below stay text), not
    on hundreds of empty cells, so nothing but the filled rows prints: A4 landscape, one page
    wide, the header row on every page."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, headers in HEADERS.items():
        if name in OPTIONAL and name not in sheets:
            continue
        ws = wb.create_sheet(name)
        rows = sheets.get(name, [])
        for c, header in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=c, value=header)
            cell.font = Font(bold=True, color="FFFFFFFF")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            letter = get_column_letter(c)
            ws.column_dimensions[letter].width = WIDTH.get(header, max(10, len(header) * 2 + 2))
            fmt = ("@" if header in TEXT else "#,##0.00" if header in MONEY else "yyyy-mm-dd" if header in DATES
                   else "0%" if header == "公积金比例" else None)
            if fmt:
                ws.column_dimensions[letter].number_format = fmt
            for r, row in enumerate(rows, start=2):
                cell = ws.cell(row=r, column=c)
                if row[c - 1] is not None:
                    cell.value = row[c - 1]
                if fmt:
                    cell.number_format = fmt
                if header == "说明":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[1].height = 30
        ws.freeze_panes = "C2" if name in ("员工", "考勤", "绩效") else "A2"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        ws.oddHeader.center.text = name
        ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
        if name == "员工":
            dv = DataValidation(type="list", formula1='"' + ",".join(POSITIONS) + '"', allow_blank=True,
                                error="请从列表中选择岗位(岗位薪酬表中的岗位)。", errorTitle="岗位", showErrorMessage=False)
            ws.add_data_validation(dv)
            dv.add(f"C2:C{TEMPLATE_ROWS}")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def main() -> None:
    demo = ROOT / "shopbook" / "data" / "demo" / "工资.xlsx"
    template = ROOT / "workbooks" / "工资.xlsx"
    write_book(demo, demo_sheets())
    write_book(template, {})
    print(f"wrote {demo.relative_to(ROOT)} and {template.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
