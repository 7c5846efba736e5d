"""Write the blank templates workbooks/订单.xlsx, 发货.xlsx, 退换货.xlsx, 库存.xlsx, 入库.xlsx,
采购清单.xlsx, 库存调整.xlsx, 快递交接.xlsx, 客服.xlsx, 奖罚登记.xlsx and 规则.xlsx.

    python scripts/make_workbooks.py            # writes into workbooks/
    python scripts/make_workbooks.py --out DIR  # somewhere else

The order/shipping/returns/stock/handover templates are built from the declared columns (the
SheetKind objects of shopbook.sheets.orders, shipping, returns, stock, sheets.courier_handover): canonical Chinese headers,
ID columns formatted as text ('@'), drop-downs for the choice columns (values taken from the
declarations and the rules defaults), date and money formats, a frozen header row, an
autofilter, and a note on the headers that need one. The rules workbook holds every
parameter of shopbook.rules.PARAMETERS and the payroll parameters with their defaults, the
courier waybill patterns, the price table, the pay scheme, the 客服 shifts (班次), and empty 活动日
and 排班 sheets. 客服.xlsx holds the 客服 registers (评价, 投诉, 交接班, 联系记录; shopbook.sheets).

The writer (`Book`, `write_table`) is reused by scripts/make_demo.py so the demo ledger has
the same formats. Output is deterministic: XlsxWriter stores fixed zip times and we fix the
document's creation time, so a rebuild gives identical bytes. scripts/make_xlsm.py builds
the .xlsm versions (with buttons) from these files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shopbook import rules  # noqa: E402
from shopbook.sheets import orders, remarks
from shopbook.rules import pay
from shopbook.rules.cities import default_city_table  # noqa: E402
from shopbook.sheets import returns
from shopbook.sheets import shipping
from shopbook.sheets import stock
from shopbook.sheets import (adjustments, complaints, contacts, courier_handover, inbound, purchases,  # noqa: E402
                             reviews, rewards, shift_handover)
from shopbook.rules.prices import default_price_table  # noqa: E402
from shopbook.reading.schema import CHOICE, DATE, DATETIME, ID, INT, MONEY, NUMBER, SheetKind  # noqa: E402

WORKBOOKS = ROOT / "workbooks"
CREATED = dt.datetime(2026, 1, 1)  # fixed document time: identical bytes on every run
FORMAT_ROWS = 5000  # rows below the header that carry the drop-downs

NUMBER_FORMATS = {ID: "@", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", MONEY: "#,##0.00",
                  INT: "0", NUMBER: "0.00", "time": "hh:mm", "percent": "0.0%"}
WIDTHS = {ID: 21, DATE: 11.5, DATETIME: 16.5, MONEY: 10, INT: 8, NUMBER: 9, CHOICE: 9}
WIDE = {"快递员签字": 10, "底单已收": 9, "详细地址": 34, "备注": 32, "商品名称": 18, "原因": 16, "说明": 48, "单号格式": 26, "别名": 28,
        "省份": 40, "奖金规则": 12, "买家": 15, "收件人": 9, "省": 13, "市": 11, "区": 10, "颜色": 7,
        "尺码": 6, "库位": 10, "归属客服": 9, "商品状态": 10, "商品类别": 10, "入库单号": 15, "采购单号": 16,
        "调整单号": 15, "供应商": 16, "评价内容": 24, "事项": 40,
        "内容": 30, "处理结果": 24, "结果": 24, "责任客服": 9, "交出人": 8, "接手人": 8, "客服": 8,
        **{reviews.follow_up(k)[2]: 16 for k in range(1, reviews.FOLLOW_UPS + 1)}}

# the template columns of each sheet kind, in the order a clerk fills them
TEMPLATE_COLUMNS = {
    "订单": ["订单号", "下单时间", "付款时间", "买家", "收件人", "手机", "省", "市", "区", "详细地址",
           "商品编码", "商品名称", "颜色", "尺码", "数量", "单价", "优惠", "实付金额", "付款方式",
           "快递公司", "旗帜", "备注", "归属客服", "状态"],
    "发货": ["发货日期", "订单号", "快递公司", "快递单号", "重量", "件数", "收件人", "省", "包装人",
           "运费", "保价金额", "类型", "状态", "原因", "签收日期"],
    "退换货": [c.name for c in returns.RETURNS.columns],
    "库存": [c.name for c in stock.STOCK.columns],
    "入库": [c.name for c in inbound.INBOUND.columns],
    "采购清单": [c.name for c in purchases.PURCHASES.columns],
    "库存调整": [c.name for c in adjustments.ADJUSTMENTS.columns],
    "快递交接": [c.name for c in courier_handover.COURIER_HANDOVER.columns],
}
KINDS: dict[str, SheetKind] = {"订单": orders.ORDERS, "发货": shipping.SHIPPING, "退换货": returns.RETURNS,
                               "库存": stock.STOCK, "入库": inbound.INBOUND, "采购清单": purchases.PURCHASES,
                               "库存调整": adjustments.ADJUSTMENTS, "快递交接": courier_handover.COURIER_HANDOVER,
                               "评价": reviews.REVIEWS, "投诉": complaints.COMPLAINTS,
                               "交接班": shift_handover.HANDOVER, "联系记录": contacts.CONTACTS,
                               "奖罚登记": rewards.REWARDS, "仓库事故": rewards.INCIDENTS}
# the 客服 registers, one workbook (客服.xlsx) with a sheet each (the 商品编码 of 评价 is accepted, not templated)
SERVICE_COLUMNS = {
    "评价": [c.name for c in reviews.REVIEWS.columns if c.name != "商品编码"],
    "投诉": [c.name for c in complaints.COMPLAINTS.columns],
    "交接班": [c.name for c in shift_handover.HANDOVER.columns],
    "联系记录": [c.name for c in contacts.CONTACTS.columns],
}
# 奖罚登记.xlsx: the month's rewards and penalties and the warehouse incidents they rest on
REWARD_COLUMNS = {"奖罚登记": [c.name for c in rewards.REWARDS.columns],
                  "仓库事故": [c.name for c in rewards.INCIDENTS.columns]}
HEADER_TEXT = {("发货", "重量"): "重量(kg)"}  # a unit in brackets; the reader drops it

_R = rules.DEFAULT_RULES
NON_QUALITY_REASONS = ("七天无理由", "尺码不合适", "不喜欢", "拍错", "颜色不符", "与描述不符")
# drop-downs for text columns: (values, strict?) — other values allowed where strict is False
EXTRA_CHOICES = {
    ("订单", "快递公司"): (tuple(c.name for c in _R.couriers), False),
    ("发货", "快递公司"): (tuple(c.name for c in _R.couriers), True),
    ("退换货", "原因"): (tuple(_R.quality_reasons[:4]) + NON_QUALITY_REASONS, False),
    ("退换货", "商品状态"): (("完好",) + tuple(_R.excluded_conditions[:7]), False),
    ("退换货", "状态"): (("待寄回",) + returns.SENT_BACK[:5] + ("已拒绝",), False),
    ("库存调整", "原因"): (adjustments.REASONS, False),
    ("快递交接", "快递公司"): (tuple(c.name for c in _R.couriers), True),
    ("快递交接", "快递员签字"): (("是", "否"), False),  # or the courier's name
    ("投诉", "投诉类型"): (complaints.TYPES, False),
    ("交接班", "班次"): (tuple(s.name for s in _R.shifts), False),
    ("交接班", "状态"): (("待处理",) + shift_handover.DONE[:2], False),
    ("奖罚登记", "事由"): (rewards.REASONS, False),
}


PRINT_WIDTH = 90  # column-width units of text that fit across a portrait A4 page at 100 %
_NO_LINE_START = ",。;:、)」』!? ,;:)!?"


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def wrap_lines(text: str, width: int = PRINT_WIDTH) -> list[str]:
    """`text` cut into lines of at most `width` column units (a CJK character counts two): help
    text then stays within the printed width in every viewer, with no wrap format or row height
    to get right. A line breaks at a space or beside a CJK character, never inside a Latin word
    (pip, docs/excel.md) and never before closing punctuation."""
    def units(part: str) -> int:
        return sum(2 if _wide(ch) else 1 for ch in part)

    def breakable(line: str, i: int) -> bool:
        before, after = line[i - 1], line[i]
        if after in _NO_LINE_START:
            return False
        return before == " " or after == " " or _wide(before) or _wide(after)

    lines, line = [], ""
    for ch in text:
        if units(line + ch) > width:
            cut = max((i for i in range(1, len(line)) if breakable(line, i)), default=len(line))
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        line += ch
    return lines + [line.rstrip()] if line.strip() else lines


def _flag_note() -> str:
    lines = [f"{flag}旗:{pattern}" for flag, pattern in remarks.FLAG_PATTERNS.items()]
    lines.insert(1, "黄旗:催付;备注写客服名字计入该客服,付款后无名字为公共订单")
    return "插旗规定(按店铺制度):\n" + "\n".join(lines) + "\n活动日订单平分,不需写名字。"


NOTES = {
    ("订单", "订单号"): "订单号是文本,请勿改为数字格式(Excel 只保留 15 位数字,多出的会变成 0)。",
    ("订单", "付款时间"): "空 = 未付款(货到付款除外)。",
    ("订单", "手机"): "11 位手机号,可带 +86 或隐私号分机 -1234;座机 0+区号+号码。",
    ("订单", "省"): "34 个省级行政区之一,可写简称:广东、内蒙古、新疆。",
    ("订单", "旗帜"): _flag_note(),
    ("订单", "备注"): "卖家备注,格式见「旗帜」表头的批注。",
    ("订单", "归属客服"): "经理查看聊天记录后填写;填了就按它计入客服业绩,优先于备注中的名字。",
    ("订单", "优惠"): f"实付金额 = 数量 × 单价 − 优惠(容差 {_R.amount_tolerance:g} 元)。",
    ("发货", "快递单号"): "快递单号是文本。格式按规则工作簿「快递单号规则」表核对(顺丰 SF+12–13 位、圆通 YT…、极兔 JT…)。",
    ("发货", "订单号"): "订单号是文本,请勿改为数字格式。",
    ("发货", "件数"): "一个订单分几个包裹、共用一个单号时填包裹数。",
    ("发货", "包装人"): "包装人签名:每个包裹必填。",
    ("发货", "类型"): "补发 = 补寄漏发/丢失的商品;换货 = 换货寄出的新商品。两者都不算重复发货。",
    ("发货", "状态"): "拒收、无法送达必须在「原因」列写明原因;丢件、破损用于向快递索赔。",
    ("发货", "保价金额"): "保价包裹丢件/破损时按保价金额索赔。",
    ("发货", "签收日期"): f"发出 {_R.unsigned_days} 天后仍未签收的包裹会被列出。",
    ("发货", "重量"): f"称重重量,单位 kg(大于 0,不超过 {_R.max_weight_kg:g} kg)。",
    ("退换货", "原因"): ("质量原因(" + "、".join(_R.quality_reasons[:4]) + ")由店铺承担运费;"
                        "其他原因(不喜欢、尺码不合适、七天无理由…)由买家承担。"),
    ("退换货", "签收日期"): f"非质量原因 {_R.return_days} 天无理由,从签收次日算起。",
    ("退换货", "商品状态"): "已穿着、已洗涤、吊牌不全、污渍、损坏、修改的商品不支持无理由退换。",
    ("退换货", "商品类别"): "内裤等贴身衣物,非质量问题不退换。",
    ("退换货", "退回方式"): "仓库拒收到付件,请买家寄付。",
    ("退换货", "退回快递单号"): "已寄回的退换货必须填写。",
    ("库存", "库位"): "格式:区-架-层,如 A-01-03(A 区 01 架 03 层)。拣货单按库位排序。",
    ("库存", "实盘数量"): "盘点数量;与账面不同即为盘盈/盘亏。",
    ("库存", "残次数量"): "可售 = 实盘数量(未盘点用账面数量) − 残次数量。",
    ("库存", "盘点日期"): f"每 {_R.stocktake_days} 天盘点一次。",
    ("库存", "安全库存"): "可售低于安全库存时提示补货。",
    ("退换货", "收货日期"): "仓库收到退回商品的日期。",
    ("退换货", "归位日期"): (f"检验后上架(商品状态 完好)或转入残次库的日期;收货后 {_R.return_putback_days} 天内。"
                         "未归位前不计入可售。"),
    ("入库", "实到数量"): "实际到货数量;与应到不符时通知采购和供应商。",
    ("入库", "合格数量"): "检验合格、上架销售的数量。合格 + 不合格 = 实到。",
    ("入库", "不合格处理"): "不合格品不得上架:退回供应商、返厂,或留作残次(记入残次库)。",
    ("入库", "检验人"): "所有货物入库前须检验,检验人签名。",
    ("入库", "采购单号"): "对照采购清单核对品名、规格、数量。",
    ("采购清单", "采购单号"): "入库登记按采购单号核对到货。",
    ("库存调整", "数量"): "增加填正数,减少填负数(如报损 -1)。",
    ("库存调整", "原因"): "报损、借出、归还、样品、领用、盘点调整;转残次 = 正品转入残次库,残次报损 = 残次品报废。",
    ("库存调整", "批准人"): "每笔调整须经主管批准(不能是经办人本人)。",
    ("快递交接", "日期"): "一行一次交接:快递员来收件的日期。同一天同一快递公司来两次可以写两行。",
    ("快递交接", "交接件数"): "快递员当面清点、签收的包裹件数,与当天发货记录中该快递公司的件数核对。",
    ("快递交接", "快递员称重"): "快递员称的重量合计(kg),可不填;与我方称重合计核对。",
    ("快递交接", "快递员报价"): "快递员写在快递单上的运费合计(元),可不填;与价格表核对。",
    ("快递交接", "快递员签字"): "快递员签字了填「是」(或写快递员姓名),没签填「否」。",
    ("快递交接", "底单已收"): "快递员留下的底单收到了填「是」。底单按日期、快递公司保存。",
    ("快递交接", "归档日期"): f"底单保存 {_R.archive_days} 天后必须归档,交管理人员保存;归档后填写日期。",
    ("评价", "订单号"): "订单号是文本,请勿改为数字格式。一条中差评一行;好评也可登记(表示买家已评价,不再催评)。",
    ("评价", "评价日期"): (f"中差评 {_R.review_effect_days} 天生效,{_R.review_window_days} 天后无法修改:"
                       "最后一天还没改好就要写评价解释。"),
    ("评价", "原因类别"): "电话问明原因后选填;心情原因的评价不要当天联系,第二天再联系。",
    ("评价", "跟进1日期"): (f"每次联系一组:日期、方式(电话/旺旺/短信)、结果,依次填跟进1…跟进{reviews.FOLLOW_UPS}。"
                        "中差评必须电话联系。"),
    ("评价", "下次联系时间"): "每次跟进都和买家约好下次联系的时间;到时今日待办会提醒。",
    ("评价", "状态"): "已改好 要填改好日期(计入当月差评改好数);已解释 要填解释日期。",
    ("投诉", "投诉类型"): "少发/漏发的投诉当天补发;维权的投诉第一时间告知负责人。",
    ("投诉", "处理人"): "结案时填写:计入此人的投诉处理数。",
    ("投诉", "结案日期"): f"投诉 {_R.complaint_days} 天内处理完并结案。",
    ("交接班", "班次"): "规则工作簿「班次」表中的名字(默认 早班、晚班)。",
    ("交接班", "接手人"): "接班的客服看到后签名;下一班结束还没人接手会被列为问题。",
    ("交接班", "关联订单"): "相关的订单号(评价、投诉也按订单号查找)。",
    ("联系记录", "事由"): "催评 计入催评数(每单一次);货到付款 = 下单后半小时内的确认电话。",
    ("联系记录", "客服"): "联系买家的客服(催评数按此统计)。",
    ("奖罚登记", "工号"): "员工表的工号(奖罚评分表按工号汇总)。",
    ("奖罚登记", "事由"): "每条都写明原因;仓库事故的罚款要在「仓库事故」表登记事故。",
    ("奖罚登记", "金额"): "元。每笔罚款 50–200 元(规则工作簿的 每笔罚款下限/上限)。",
    ("奖罚登记", "分值"): "奖罚评分表的分:奖为加分,罚为扣分(填正数即可)。迟到早退、请假的扣分按考勤表自动计算。",
    ("奖罚登记", "批准人"): "奖罚须经批准;评分表在发工资前一天交上级批准。",
    ("奖罚登记", "关联订单/评价"): "相关的订单号;仓库事故的罚款按它找「仓库事故」表中同一订单的事故。",
    ("仓库事故", "订单号"): "出事故的订单;没有订单时,奖罚登记中同一天的仓库事故罚款对应这一行。",
}


@dataclass(frozen=True)
class Col:
    """One column as written: header text, kind (number format), drop-down, note, width."""

    header: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    strict: bool = True
    note: str | None = None
    width: float | None = None


def kind_columns(sheet: str, names: list[str] | None = None) -> list[Col]:
    """The template columns of a sheet kind (订单, 发货, 退换货, 库存) from its declaration."""
    kind = KINDS[sheet]
    out = []
    for name in names or TEMPLATE_COLUMNS[sheet]:
        col = kind.column(name)
        choices, strict = (col.choices, True) if col.kind == CHOICE else EXTRA_CHOICES.get((sheet, name), ((), True))
        out.append(Col(HEADER_TEXT.get((sheet, name), name), col.kind, tuple(choices), strict,
                       NOTES.get((sheet, name)), WIDE.get(name)))
    return out


class Book:
    """An XlsxWriter workbook with the house formats."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
        self.wb.set_properties({"title": path.stem, "author": "shopbook", "created": CREATED})
        self._formats: dict = {}
        self.header = self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center",
                                          "valign": "vcenter", "text_wrap": True, "font_name": "等线"})
        self.title = self.wb.add_format({"bold": True, "font_size": 14, "align": "left", "valign": "vcenter",
                                         "font_name": "等线"})
        self.total = self.wb.add_format({"bold": True, "top": 1, "font_name": "等线"})

    def fmt(self, kind: str, total: bool = False):
        key = (kind, total)
        if key not in self._formats:
            spec = {"font_name": "等线"}
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            if total:
                spec.update(bold=True, top=1)
            self._formats[key] = self.wb.add_format(spec)
        return self._formats[key]

    def close(self) -> None:
        self.wb.close()


def _write(ws, book: Book, row: int, c: int, value, kind: str) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, c, value)
    elif isinstance(value, str):
        ws.write_string(row, c, value, book.fmt(kind))
    elif isinstance(value, (int, float, Decimal)):
        # a number in an ID column is a planted mistake: shown the way Excel's General format shows it
        ws.write_number(row, c, float(value), book.fmt("general" if kind == ID else kind))
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, c, value, book.fmt(kind if kind in (DATE, DATETIME) else DATETIME))
    elif isinstance(value, dt.date):
        ws.write_datetime(row, c, dt.datetime(value.year, value.month, value.day),
                          book.fmt(kind if kind in (DATE, DATETIME) else DATE))
    elif isinstance(value, dt.time):
        ws.write_datetime(row, c, value, book.fmt("time"))
    else:
        raise TypeError(f"cannot write {value!r}")


def write_table(book: Book, name: str, cols: list[Col], rows=(), *, title: str | None = None,
                total: dict[str, object] | None = None, format_rows: int = FORMAT_ROWS):
    """One sheet: optional merged title row, the header (frozen, with notes and an autofilter),
    the data rows (lists of values in column order), an optional 合计 row ({header: value},
    the first column gets 合计), drop-downs for `format_rows` rows below the header."""
    ws = book.wb.add_worksheet(name)
    top = 0
    if title:
        ws.merge_range(0, 0, 0, min(len(cols), 8) - 1, title, book.title)
        ws.set_row(0, 24)
        top = 1
    ws.set_row(top, 22)
    for c, col in enumerate(cols):
        ws.set_column(c, c, col.width or WIDTHS.get(col.kind, max(8.5, 2.2 * len(col.header) + 1)),
                      book.fmt(col.kind))
        ws.write_string(top, c, col.header, book.header)
        if col.note:
            ws.write_comment(top, c, col.note, {"author": "shopbook", "x_scale": 2.2, "y_scale": 1.6 +
                                                0.35 * col.note.count("\n")})
    rows = list(rows)
    for r, values in enumerate(rows, start=top + 1):
        for c, (value, col) in enumerate(zip(values, cols)):
            _write(ws, book, r, c, value, col.kind)
    last = top + len(rows)
    if total is not None:
        last += 1
        ws.write_string(last, 0, "合计", book.fmt("text", True))
        for c, col in enumerate(cols):
            if col.header in total:
                ws.write_number(last, c, float(total[col.header]), book.fmt(col.kind, True))
    for c, col in enumerate(cols):
        if col.choices:
            ws.data_validation(top + 1, c, top + max(format_rows, len(rows)), c, {
                "validate": "list", "source": list(col.choices), "ignore_blank": True,
                "show_error": col.strict, "error_type": "stop",
                "error_title": col.header, "error_message": "请从下拉列表中选择:" + "、".join(col.choices)})
    ws.freeze_panes(top + 1, 0)
    # printable: A4 landscape, one page wide, header repeated on every page
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top)
    ws.autofilter(top, 0, max(top + len(rows), top), len(cols) - 1)
    return ws


# --- the rules workbook ---------------------------------------------------------------
def _plain(value):
    """A default value as a cell: Decimal -> number, pandas blanks -> None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


PARAMETER_NOTES = {
    "amount_tolerance": "实付金额与 数量×单价−优惠 允许的差额",
    "payment_cutoff": "此时间之前下单仍未付款的订单列入催付",
    "shipping_cutoff": "此时间之前付款的订单当天发货,之后的次日发货",
    "max_weight_kg": "包裹重量超过此值视为异常",
    "return_days": "非质量原因退换货期限,从签收次日算起",
    "stocktake_days": "盘点周期,超过即提醒盘点",
    "unsigned_days": "发出多少天仍未签收时提醒",
    "location_pattern": "库位格式(正则表达式),默认 区-架-层,如 A-01-03",
    "weight_tolerance_kg": "快递对账:账单重量超出本店称重多少算超重",
    "fee_tolerance": "快递对账:运费允许的差额",
    "claim_multiple": "丢件/破损没有保价时,按运费的几倍索赔",
    "return_putback_days": "库存:退回的商品收货后几天内须归位(上架或转残次)",
    "reorder_cover_days": "库存:建议补货按最近多少天的出库量备货",
    "archive_days": "快递底单保存多少天后必须归档",
    "handover_cutoff": "当天的快递交接在此时间前登记;之前运行时当天未交接的包裹不报缺交接",
    "review_effect_days": "中差评写下后几天生效:生效前电话联系买家",
    "review_window_days": "中差评写下后几天无法修改:最后一天还没改好要写解释",
    "review_warn_days": "修改期限还剩几天时列入「即将锁定」",
    "mood_callback_days": "心情原因的中差评过几天再联系(不要当天打扰)",
    "cod_contact_minutes": "货到付款订单下单后几分钟内必须联系买家",
    "review_chase_days": "签收几天后仍未评价的买家要催评",
    "review_period_days": "签收几天后平台默认好评,之后不再催评",
    "complaint_days": "投诉几天内必须结案",
}


def parameter_rows() -> list[list]:
    """(参数, 值, 说明): every rules parameter with its default, then the payroll parameters."""
    out = []
    for label, attr in rules.PARAMETERS.items():
        value = getattr(rules.DEFAULT_RULES, attr)
        out.append([label, value, PARAMETER_NOTES.get(attr, "")])
    for _, (label, default, note) in pay.default_payroll_parameters().iterrows():
        if isinstance(default, str) and default.endswith("%"):
            default = float(Decimal(default[:-1]) / 100)
        out.append([label, _plain(default), "工资:" + note])
    return out


def _parameter_kind(label: str, value) -> str:
    if isinstance(value, dt.time):
        return "time"
    return "percent" if label.endswith("比例") else "text"


def _aliases(courier: rules.Courier) -> str:
    """The courier's aliases without spellings that differ only in case (SF/sf)."""
    seen, out = set(), []
    for alias in courier.aliases:
        if alias.lower() not in seen:
            seen.add(alias.lower())
            out.append(alias)
    return "、".join(out)


def write_rules(path: Path, *, promotion_days=(), roster=(), promotion_costs=(), categories=()) -> Path:
    """The rules workbook: 参数, 快递单号规则, 快递价格, 活动日, 退换货排除, 岗位薪酬, 城市标准, 排班, 班次,
    推广费用, 商品类别. `promotion_days` are (date, 活动) pairs, `roster` (date, 客服, 班次) rows,
    `promotion_costs` (YYYY-MM, 元) rows for the monthly workbook's ROI, `categories` (商品编码 or
    its prefix, 类别) rows for the stock ledger's 盘点表 and category totals."""
    book = Book(path)
    ws = write_table(book, "参数", [Col("参数", width=16), Col("值", width=30), Col("说明", width=WIDE["说明"])],
                     format_rows=0)
    for r, (label, value, note) in enumerate(parameter_rows(), start=1):
        ws.write_string(r, 0, label)
        _write(ws, book, r, 1, value, _parameter_kind(label, value))
        ws.write_string(r, 2, note)
    courier_rows = [[c.name, _aliases(c), c.pattern] for c in rules.DEFAULT_COURIERS]
    write_table(book, "快递单号规则", [Col("快递公司", width=10), Col("别名", width=WIDE["别名"]),
                                   Col("单号格式", width=WIDE["单号格式"])], courier_rows, format_rows=0)
    prices = default_price_table()
    price_cols = [Col(h, MONEY if h in ("首重价格", "续重单价") else DATE if h.endswith("日期") else NUMBER
                      if "(kg)" in h else "text", width=WIDE.get(h)) for h in prices.columns]
    price_cols[0] = Col("快递公司", choices=tuple(c.name for c in rules.DEFAULT_COURIERS), strict=False, width=10)
    write_table(book, "快递价格", price_cols, [[_plain(v) for v in row] for row in prices.itertuples(index=False)],
                format_rows=200)
    write_table(book, "活动日", [Col("日期", DATE, note="这些日子的订单由当班客服平分,备注不需写名字。"),
                              Col("活动", width=16)], [list(p) for p in promotion_days])
    excl = [list(rules.EXCLUDED_CONDITIONS), list(rules.EXCLUDED_CATEGORIES), list(rules.QUALITY_REASONS)]
    height = max(map(len, excl))
    write_table(book, "退换货排除", [
        Col("商品状态", note="这些状态的商品不支持非质量原因退换。", width=12),
        Col("商品类别", note="这些类别(贴身衣物)不支持非质量原因退换。", width=12),
        Col("质量原因", note="原因含这些词的算质量问题:店铺承担运费,不受 7 天限制。", width=12)],
        [[col[i] if i < len(col) else None for col in excl] for i in range(height)], format_rows=0)
    scheme = pay.default_pay_scheme()
    scheme_cols = [Col(h, MONEY if h in ("底薪", "底薪下限", "底薪上限", "单价", "奖金金额") else
                       "percent" if h == "奖金比例" else "text", width=WIDE.get(h, 11 if h != "岗位" else 12))
                   for h in scheme.columns]
    write_table(book, "岗位薪酬", scheme_cols, [[_plain(v) for v in row] for row in scheme.itertuples(index=False)],
                format_rows=0)
    cities = default_city_table()
    write_table(book, "城市标准", [
        Col("城市", width=8, note="工资按「参数」表「工作城市」选用一行:同一城市多行时用起始日期不晚于当月 1 日的最后一行。"),
        Col("起始日期", DATE), Col("最低工资", MONEY, note="月最低工资标准(元);应发低于它是警告。"),
        Col("最低工资扣除个人社保公积金", choices=("是", "否"), width=14,
            note="是 = 应发减去个人缴纳的社保和公积金后再与最低工资比较(上海、北京);否 = 直接用应发比较。"),
        Col("公积金取整", choices=("分", "元"), width=10, note="个人缴存额四舍五入到分或到元(上海、昆明到元)。"),
        Col("住房租金扣除标准", MONEY, width=12,
            note="住房租金专项附加扣除每月标准:直辖市、省会、计划单列市 1500;市辖区户籍人口超过 100 万 1100;其他 800。"),
        Col("说明", width=WIDE["说明"])],
        [[_plain(v) if not isinstance(v, str) or c != 1 else dt.date.fromisoformat(v) for c, v in enumerate(row)]
         for row in cities.itertuples(index=False)], format_rows=20)
    write_table(book, "排班", [Col("日期", DATE, note="一行一人一天:活动日订单由当天在班的客服平分。"),
                             Col("客服", width=10), Col("班次", choices=("早班", "晚班", "全天"), strict=False)],
                [list(r) for r in roster])
    write_table(book, "班次", [Col("班次", width=10, note="客服班次;一个班次从它的开始时间到下一个班次开始。交接班表按它判断上一班。"),
                             Col("开始时间", "time", width=10)],
                [[shift.name, shift.start] for shift in rules.DEFAULT_SHIFTS], format_rows=0)
    write_table(book, "推广费用", [Col("月份", note="写成 2026-10;月报用它计算 ROI = 销售额 ÷ 推广费用。", width=10),
                               Col("推广费用", MONEY, width=12)], [list(r) for r in promotion_costs])
    write_table(book, "商品类别", [Col("商品编码", note="商品编码或它的开头(如 WX 表示所有 WX 开头的商品);"
                                                    "盘点表按类别小计,盘点差异按类别汇总。类别写「耗材」的按耗材提醒补货。",
                                       width=12), Col("类别", width=12)], [list(r) for r in categories])
    book.close()
    return path


def write_template(sheet: str, path: Path) -> Path:
    book = Book(path)
    write_table(book, sheet, kind_columns(sheet))
    book.close()
    return path


def write_service(path: Path, rows: dict[str, list[list]] | None = None, titles: dict[str, str] | None = None) -> Path:
    """客服.xlsx: the 客服 registers 评价, 投诉, 交接班, 联系记录 (rows per sheet for the demo)."""
    book = Book(path)
    for sheet, names in SERVICE_COLUMNS.items():
        write_table(book, sheet, kind_columns(sheet, names), (rows or {}).get(sheet, ()),
                    title=(titles or {}).get(sheet))
    book.close()
    return path


def write_rewards(path: Path, rows: dict[str, list[list]] | None = None) -> Path:
    """奖罚登记.xlsx: 奖罚登记 (奖/罚 and 事由 as drop-downs) and 仓库事故."""
    book = Book(path)
    for sheet, names in REWARD_COLUMNS.items():
        write_table(book, sheet, kind_columns(sheet, names), (rows or {}).get(sheet, ()))
    book.close()
    return path


def build_all(folder: Path = WORKBOOKS) -> list[Path]:
    out = [write_template(sheet, folder / f"{sheet}.xlsx") for sheet in TEMPLATE_COLUMNS]
    out.append(write_service(folder / "客服.xlsx"))
    out.append(write_rewards(folder / "奖罚登记.xlsx"))
    out.append(write_rules(folder / "规则.xlsx"))
    return out


def run_cli(build, default: Path, doc: str, argv=None) -> int:
    """`--out DIR` (default `default`), then build(DIR) and print the files written."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


def main(argv=None) -> int:
    return run_cli(build_all, WORKBOOKS, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
