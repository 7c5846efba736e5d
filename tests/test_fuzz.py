"""Hostile cell values through every command (hypothesis): huge and tiny numbers, NaN/inf, dates
from 0001 to 9999, full-width and zero-width characters, formulas (live and as text), Excel
error values, in every sheet kind, every bill reader and payroll's sheets.

Each example starts from a clean, realistic table and spoils a few cells (sometimes a header,
sometimes extra rows), so the checks behind the reading run too. Asserted: no exception escapes
the command, the exit code is 0, 1 or 2, exit 2 says one line, and every finding points at a real
row of the sheet it names (or at none).

Bounded for CI (a few examples per command); SHOPBOOK_FUZZ_EXAMPLES=500 runs a campaign.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from shopbook.cli import main

EXAMPLES = int(os.environ.get("SHOPBOOK_FUZZ_EXAMPLES", "0"))
# the CI run is derandomized (the same examples every run: a red CI is reproducible); a campaign
# (SHOPBOOK_FUZZ_EXAMPLES=…) draws new ones each time and reports the failure's blob
FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=True,
                derandomize=not EXAMPLES,
                # a campaign reports the first failure as found (shrinking a workbook takes minutes)
                phases=[Phase.explicit, Phase.generate] if EXAMPLES else list(Phase))
AS_OF = "2026-10-31 18:00"


def examples(n: int):
    return settings(FUZZ, max_examples=EXAMPLES or n)


class Text(str):
    """A value written as text even when it looks like a formula or an error (="1+1" typed in a text cell)."""


# --- values -----------------------------------------------------------------------------------
DAY = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
ODD_CHARS = st.sampled_from(list("０１２３４５６７８９－／：．，￥　") + ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00a0",
                                                                   "\u3000", "Ａ", "ｋｇ", "张", "省", "合计", "e", "E", "-"])
TEXT = st.lists(st.one_of(ODD_CHARS, st.characters(codec="utf-8")), max_size=12).map("".join)
SPECIAL = st.sampled_from([
    "1e309", "-1e309", "9" * 29, "1" * 40, "NaN", "nan", "inf", "-inf", "Infinity", "¥1,234.50", "１２３", "0.0000000001",
    "２０２６－１０－０５", "3026-10-05", "0001-01-01", "9999-12-31 23:59:59", "2026-02-30", "10/5", "5/10/26",
    "2026年13月40日", "25:00", "20261005", "30261005", "合计", "小计:", "total", "\u200b", "\ufeff", "T1\u200b", "　",
    " ", "", "+86 138 1234 5678", "138****5678", '="3912345678901234567"', "'0001", "\t12", "3.8E+15",
    "4.5E+17", "-0", "1,2,3", "100+50", "7%", "120%", "-5%", "是", "否", "红", "无", "在线支付", "货到付款",
    "待发货", "已发货", "退款中", "丢件", "补发", "顺丰", "中通", "SF1234567890123", "ZT1", "广东", "火星"])
NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([1e308, -1e308, 5e-324, 1e15, 1e16 + 2, 2.0**53 + 1, -0.0, 0.1 + 0.2, 132321.0,
                                    2958466.0, 46300.5, 1e12, 999999999999.99, 20261005.0, 30261005.0, 0.5]),
                   st.integers(min_value=-(10**20), max_value=10**20))
FORMULA = st.sampled_from(["=1+1", "=A1", "=SUM(A:A)", "=1/0", '="x"', "=NA()", "=TODAY()", "=+1", "=-1"])
ERROR = st.sampled_from(["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"])
SPOILER = st.one_of(
    NUMBER, SPECIAL, TEXT, ERROR,
    st.one_of(FORMULA, ERROR, st.sampled_from(["+1", "-", "@x", "=", "#"])).map(Text),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)),
    DAY, DAY.map(dt.date.isoformat), DAY.map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    DAY.map(lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}"), DAY.map(lambda d: f"{d.year}/{d.month}/{d.day} 9:30"),
    st.times(), st.booleans(), st.none())
# a live formula with no saved result makes the whole workbook unusable (exit 2): rarely, so
# most examples reach the checks
VALUE = st.integers(0, 59).flatmap(lambda i: FORMULA if i == 0 else SPOILER)


@st.composite
def spoiled(draw, header: list[str], rows: list[list]):
    """The table with a few cells replaced by hostile values, sometimes a header too, sometimes
    extra rows of them."""
    table = [list(header)] + [list(r) for r in rows]
    for _ in range(draw(st.integers(1, 6))):
        row = draw(st.integers(1, len(table) - 1)) if draw(st.integers(0, 9)) else 0
        table[row][draw(st.integers(0, len(header) - 1))] = draw(VALUE)
    for _ in range(draw(st.integers(0, 2))):
        table.append(draw(st.lists(VALUE, min_size=1, max_size=len(header))))
    return table


# --- writing the files ---------------------------------------------------------------------------
def xlsx_cell(value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # an .xlsx cannot hold them
    if isinstance(value, float) and value != value:
        return None  # openpyxl would write NaN as a number Excel cannot open; a blank instead
    return value


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, table in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(table, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c)
                cell.value = xlsx_cell(value)
                if isinstance(value, Text) and cell.value is not None:
                    cell.data_type = "s"
    wb.save(path)
    return path


def write_csv(path: Path, table: list[list], encoding: str) -> Path:
    def text(v):
        if v is None:
            return ""
        if isinstance(v, (dt.date, dt.time)):
            return v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat()
        return repr(v) if isinstance(v, float) else str(v)
    with open(path, "w", encoding=encoding, errors="replace", newline="") as fh:
        csv.writer(fh).writerows([[text(v) for v in row] for row in table])
    return path


# --- the checks ----------------------------------------------------------------------------------
def run(*args) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*map(str, args), "--as-of", AS_OF])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # hypothesis shows the traceback and the example
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.exit_code, result.stdout, result.stderr


def findings_of(stdout: str) -> list[dict]:
    if not stdout.strip():
        return []
    data = json.loads(stdout)
    found = list(data.get("findings") or [])
    for value in data.values():
        if isinstance(value, dict) and isinstance(value.get("findings"), list):
            found += value["findings"]
    return found


def assert_rows_real(stdout: str, sheets: dict[str, int]) -> None:
    """Every finding's row is None or a row of the sheet it names (`sheets`: name -> rows written)."""
    for f in findings_of(stdout):
        if f.get("row") is None:
            continue
        owners = [n for name, n in sheets.items() if name == f["sheet"] or f["sheet"].endswith(name)]
        assert owners, f
        assert 1 <= f["row"] <= max(owners), f
        if f.get("cell"):
            assert f["cell"].endswith(str(f["row"])) and f["cell"][0].isalpha(), f


# --- the sheets -----------------------------------------------------------------------------------
T = dt.datetime
OH = ["订单号", "下单时间", "付款时间", "买家", "收件人", "手机", "省", "详细地址", "商品编码", "商品名称", "颜色", "尺码",
      "数量", "单价", "实付金额", "付款方式", "旗帜", "备注", "客服", "状态"]
ORDERS = [["T1", T(2026, 10, 9, 8), T(2026, 10, 9, 9), "tb1", "张三", "13812345678", "广东", "深圳市南山区科技园路1号",
           "S1", "T恤", "黑", "M", 1, 59, 59, "在线支付", "黄", "小王:催发货", "小王", "待发货"],
          ["T2", T(2026, 10, 9, 10), T(2026, 10, 9, 11), "tb2", "李四", "13912345678", "浙江", "杭州市西湖区文三路9号",
           "S2", "文胸", "白", "75B", 2, 99.5, 199, "在线支付", "无", None, None, "已发货"]]
SH = ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "收件人", "手机", "省", "包装人", "状态", "原因",
      "签收日期"]
SHIPPED = [[T(2026, 10, 10), "T2", "中通", "ZT1234567890123", 0.5, 1, "李四", "13912345678", "浙江", "小刘", "正常", None,
            T(2026, 10, 12)]]
RH = ["登记日期", "订单号", "类型", "原因", "签收日期", "申请日期", "商品编码", "数量", "商品状态", "商品类别", "是否特价",
      "是否赠品", "退回快递单号", "退回方式", "运费承担", "退款金额", "附件齐全", "状态", "处理人"]
RETURNED = [[T(2026, 10, 14), "T2", "退货", "不喜欢", T(2026, 10, 12), T(2026, 10, 14), "S2", 1, "完好", "文胸", "否",
             "否", "SF1234567890123", "寄付", "买家", 99.5, "是", "已退款", "小张"]]
KH = ["商品编码", "商品名称", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量", "安全库存", "成本价", "盘点日期", "盘点人"]
STOCKED = [["S1", "T恤", "黑", "M", "A-01-01", 10, 10, 0, 2, 20, T(2026, 10, 8), "小李"],
           ["S2", "文胸", "白", "75B", "A-01-02", 5, None, 1, 2, 40.5, T(2026, 10, 8), "小李"]]
BH = ["快递单号", "寄件日期", "目的省份", "计费重量", "运费", "快递公司"]
BILLED = [["ZT1234567890123", dt.date(2026, 10, 10), "浙江", 0.5, 3.0, "中通"],
          ["ZT1234567890124", dt.date(2026, 10, 10), "广东", 1.2, 6.0, "中通"]]
EH = ["工号", "姓名", "岗位", "底薪", "身份证号", "银行账号", "开户行", "社保基数", "公积金比例", "专项附加扣除", "入职日期",
      "花名", "本年首次取得工资", "上年工资不超过6万", "子女教育", "赡养老人", "独生子女", "住房租金", "大病医疗",
      "养老基数", "公积金基数"]
EMPLOYEES = [["E1", "马小军", "捡单员", None, "330106198503010014", "6222020000000000011", "工商银行", 4462, "5%", 0,
              "2020-01-01", "小军", None, "是", 2000, 3000, "是", None, None, 4462, 4462],
             ["E2", "韩雪", "文案编辑", None, "33010619850302001X", "6222020000000000029", "工商银行", None, None, 1000,
              dt.date(2026, 3, 1), None, "是", None, None, None, None, 1500, 0, None, None]]
AH = ["工号", "姓名", "应出勤天数", "实出勤天数", "迟到早退次数", "请假次数"]
ATTENDED = [["E1", "马小军", 21, 21, 0, 0], ["E2", "韩雪", 21, 19.5, 1, 1]]
PH = ["工号", "姓名", "拣货单数", "发货单数", "差评数", "仓库事故", "罚款", "奖励", "年终奖", "年终奖计税方式"]
PERFORMED = [["E1", "马小军", 812, 0, 0, 0, "100+50", 0, None, None], ["E2", "韩雪", 0, 0, 0, 0, None, 200, 5000, "单独计税"]]
REWARD_H = ["日期", "工号", "姓名", "事由", "奖/罚", "金额", "分值", "批准人", "关联订单/评价"]
REWARDS = [[dt.date(2026, 10, 12), "E1", "马小军", "仓库事故:发错货", "罚", 80, -2, "王店长", "T100"],
           [dt.date(2026, 10, 20), "E2", "韩雪", "好评改善", "奖", 50, 1, "王店长", None]]
INCIDENT_H = ["日期", "订单号", "责任人", "经过", "损失金额"]
INCIDENTS = [[dt.date(2026, 10, 12), "T100", "马小军", "发错颜色", 35.5]]
YH = ["工号", "累计月数", "累计收入", "累计专项扣除", "累计专项附加扣除", "累计已预扣税额", "年份", "截至月份"]
YTD = [["E1", 9, 36000, 3000, 0, 120, 2026, 9]]

LEDGER = st.fixed_dictionaries({"订单": spoiled(OH, ORDERS), "发货": spoiled(SH, SHIPPED),
                                "退换货": spoiled(RH, RETURNED), "库存": spoiled(KH, STOCKED)})
PAYROLL = st.fixed_dictionaries({"员工": spoiled(EH, EMPLOYEES), "考勤": spoiled(AH, ATTENDED),
                                 "绩效": spoiled(PH, PERFORMED), "个税累计": spoiled(YH, YTD),
                                 "奖罚登记": spoiled(REWARD_H, REWARDS), "仓库事故": spoiled(INCIDENT_H, INCIDENTS)})


def rows_of(sheets: dict[str, list[list]], prefix: str = "") -> dict[str, int]:
    return {prefix + name: len(table) for name, table in sheets.items()}


# --- the tests ------------------------------------------------------------------------------------
@examples(8)
@given(sheets=LEDGER, write_copy=st.booleans())
def test_fuzz_ledger_through_validate_and_picklist(sheets, write_copy):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ledger = write_xlsx(tmp / "台账.xlsx", sheets)
        copy = ["-o", tmp / "标注.xlsx"] if write_copy else []
        _, out, _ = run("validate", ledger, "--json", *copy)
        assert_rows_real(out, rows_of(sheets))
        _, out, _ = run("picklist", ledger, "--json", "-o", tmp / "拣货单.xlsx")
        assert_rows_real(out, rows_of(sheets))


@examples(8)
@given(bill=spoiled(BH, BILLED), register=spoiled(SH, SHIPPED),
       form=st.sampled_from(["xlsx", "utf-8-sig", "gb18030"]))
def test_fuzz_bill_readers_through_reconcile(bill, register, form):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if form == "xlsx":
            bill_path = write_xlsx(tmp / "快递账单.xlsx", {"账单": bill})
            names = {"账单": len(bill)}
        else:
            bill_path = write_csv(tmp / "快递账单-中通.csv", bill, form)
            names = {"快递账单-中通.csv": len(bill), "快递账单-中通": len(bill)}
        reg = write_xlsx(tmp / "发货.xlsx", {"发货": register})
        _, out, _ = run("reconcile", bill_path, reg, "--json", "-o", tmp / "对账结果.xlsx", "--full")
        assert_rows_real(out, {**names, "发货": len(register)})


@examples(6)
@given(sheets=PAYROLL)
def test_fuzz_payroll_sheets(sheets):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = write_xlsx(tmp / "工资.xlsx", sheets)
        result = CliRunner().invoke(main, ["payroll", str(book), "--month", "2026-10", "--json", "-o",
                                           str(tmp / "工资结果.xlsx"), "--bank-csv", str(tmp / "代发.csv")])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code in (0, 1, 2), result.output
        assert_rows_real(result.stdout, rows_of(sheets))


@examples(4)
@given(ledger=LEDGER, bill=spoiled(BH, BILLED), payroll=PAYROLL)
def test_fuzz_month_folder(ledger, bill, payroll):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "10月"
        folder.mkdir()
        write_xlsx(folder / "台账.xlsx", ledger)
        write_xlsx(folder / "快递账单.xlsx", {"账单": bill})
        write_xlsx(folder / "工资.xlsx", payroll)
        _, out, _ = run("month", "--month", "2026-10", "--in", folder, "--json", "-o", Path(tmp) / "月报.xlsx")
        assert_rows_real(out, {**rows_of(ledger), "账单": len(bill), **rows_of(payroll)})
