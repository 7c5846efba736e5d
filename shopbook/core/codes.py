"""Every finding code in one place: severity, short title, and the Chinese message.

Templates use {column}, {value} and code-specific fields. A message says what is wrong
and how to fix it. docs/findings.md is generated from this table (scripts/make_docs.py).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    severity: str
    title: str
    template: str


CODES: dict[str, Code] = {}


def _add(code: str, severity: str, title: str, template: str) -> None:
    CODES[code] = Code(severity, title, template)


# --- reading (all sheets) -------------------------------------------------------------
_add("missing-column", "error", "缺少必填列",
     "缺少必填列「{column}」。请在表头行加上这一列(可用的列名:{aliases})。")
_add("required-missing", "error", "必填项为空",
     "「{column}」必须填写,这一格是空的。请补上。")
_add("id-digits-lost", "error", "编号位数已丢失",
     "「{column}」以数字形式保存,显示为 {value},Excel 只保留 15 位有效数字,后面的数字已经丢失,无法还原。"
     "请把这一列设为「文本」格式,再从原始系统重新导出或粘贴这个编号。")
_add("id-leading-zeros-lost", "error", "编号前导零已丢失",
     "「{column}」以数字 {value} 保存,本列其他编号是 {width} 位、以 0 开头,前面的 0 已经丢失。"
     "请把这一列设为「文本」格式,重新输入完整编号。")
_add("id-stored-as-number", "warning", "编号以数字保存",
     "「{column}」以数字形式保存({value}),目前数字完整,但再编辑时可能变成科学计数法并丢位。"
     "请把这一列设为「文本」格式。")
_add("formula-error", "error", "公式错误值",
     "「{column}」是公式算出的错误值 {value}(如 VLOOKUP 找不到时的 #N/A),这一格按空白处理。"
     "请修正公式,或直接填入正确的值。")
_add("value-too-large", "error", "数值大得不合理",
     "「{column}」的值 {value} 大得不合理(超过一万亿)。请核对是否把编号或别的内容填进了这一列。")
_add("normalised", "info", "已规范化",
     "「{column}」有 {count} 个值含全角字符或首尾空格,已按规范化后的值检查(例如 {example})。无需处理,建议统一用半角。")
_add("date-invalid", "error", "日期无法识别",
     "「{column}」的值 {value} 不是有效日期(如 2026-02-30 不存在、年份不在 1900–2099 之间,或格式无法识别)。请改成 2026-10-05 这样的日期。")
_add("date-ambiguous", "warning", "日期有歧义",
     "「{column}」的值 {value} 有歧义(缺年份或年月日顺序不明)。请写成 2026-10-05 这样带四位年份的日期。")
_add("money-invalid", "error", "金额无法识别",
     "「{column}」的值 {value} 不是金额。请只填数字,例如 59.90(可带 ¥ 和千位分隔符)。")
_add("negative-value", "error", "不能为负数",
     "「{column}」的值 {value} 是负数,这里不能小于 0。请更正。")
_add("not-whole-number", "error", "必须是整数",
     "「{column}」的值 {value} 不是整数。数量只能是 1、2、3 这样的整数,请更正。")
_add("not-positive", "error", "必须大于 0",
     "「{column}」的值 {value} 必须大于 0。请更正。")
_add("not-a-number", "error", "不是数字",
     "「{column}」的值 {value} 不是数字。请只填数字。")
_add("value-not-allowed", "error", "取值不在选项中",
     "「{column}」的值 {value} 不在可选范围内({choices})。请从下拉列表中选择。")
_add("duplicate-header", "warning", "表头重复",
     "表头「{column}」出现了不止一次,只使用第一列({value})。请删除或改名多余的列。")
_add("date-in-future", "error", "日期在将来",
     "「{column}」的值 {value} 晚于检查时间 {asof}(不是同一天),还没有到。请核对年、月、日是否输错(例如把 10 月写成了 11 月,或年份多打了一年)。")
_add("time-order-slip", "warning", "时间先后差几分钟",
     "「{column}」{value} 比{other_column} {other} 早了 {gap}(同一天)。多半是两个系统的时钟不一致或录入的小误差;请核对,确认无误可以忽略。")
_add("cell-unreadable", "error", "单元格无法读取",
     "这一格的内容无法读取,按空白处理。请在 Excel 中检查这一格,重新输入正确的值后保存。")
_add("source-recognised", "info", "识别为平台/快递导出格式",
     "识别为 {name}({format}),按这个格式读取 {placed} 列{notes}。")
_add("source-partial", "warning", "导出格式不完整",
     "看起来是 {name},但找不到{fields}对应的列(见到的相近表头:{nearest})。这些字段没有读取;"
     "如果平台改了表头,请在规则工作簿的「来源格式」表补上新的表头。")
_add("source-ambiguous", "warning", "导出格式有两种可能",
     "表头同时符合 {name} 和 {other},按 {name} 读取。如果不对,请在规则工作簿的「来源格式」表中给其中一个加上识别表头。")
_add("source-value-mapped", "info", "平台用语已换算",
     "「{column}」有 {count} 格是{name}的用语,已换成 shopbook 的取值检查(例如 {example})。无需处理。")
_add("source-several", "warning", "找到多个同类表",
     "找到多个{what}:{files};只检查 {used},其余没有检查。请一次只给出一份同类的表(淘宝订单报表与宝贝报表可以一起给)。")
_add("source-column-filled", "info", "空格已按另一列补上",
     "「{column}」有 {count} 格是空的,已按{name}的格式用「{other}」列的值补上(例如 {example})。无需处理。")
_add("source-cannot-check", "info", "导出文件缺少部分内容",
     "{name}没有{fields}列,以下检查无法进行:{checks}。{hint}")

# --- orders ---------------------------------------------------------------------------
_add("time-after-as-of", "warning", "时间晚于检查时间(同一天)",
     "「{column}」{value} 比检查时间 {asof} 晚了 {gap}(同一天)。如果表格是在检查时间之后导出的,可以忽略;"
     "否则请核对电脑或系统的时钟。")
_add("duplicate-order-line", "error", "订单行重复",
     "订单号 {order} 的商品 {sku} 重复出现(另见第 {other} 行)。请删除重复行,或合并数量。")
_add("amount-mismatch", "warning", "实付与单价×数量不符",
     "实付金额 {value} 与 数量×单价{discount} = {expected} 相差超过 {tolerance} 元。请核对单价、数量或优惠。")
_add("phone-invalid", "error", "手机号无效",
     "「{column}」的值 {value} 不是有效的手机号(1 开头 11 位,可带 +86 或分机 -1234)或座机(0+区号+7–8 位)。请核对后重填。")
_add("phone-masked", "warning", "手机号已打码",
     "「{column}」的值 {value} 是平台打码后的号码,无法核对,也不能用来联系买家或打印面单。"
     "请从平台后台导出完整号码(或使用平台提供的虚拟号)。")
_add("province-by-city", "info", "省份按城市推断",
     "{count} 个地址没有写省份,已按开头的城市推断(例如 {example})。建议在「省」列或地址开头写明省份。")
_add("province-invalid", "error", "省份无效",
     "「{column}」的值 {value} 不是 34 个省级行政区之一。{hint}请写成 广东、广东省、内蒙古 这样的省份名称。")
_add("province-missing", "error", "缺少省份",
     "没有填写省份,详细地址里也找不到省份。请填写「省」列,或在地址开头写明省份。")
_add("address-incomplete", "error", "地址不完整",
     "详细地址 {value} 只有省市,没有街道门牌。请补全收货地址,否则无法发货。")
_add("can-merge-shipment", "info", "可合并发货",
     "订单 {order} 与同一收件人的其他已付款未发货订单({others})可合并发货,节省运费。")
_add("payment-chase", "info", "需催付",
     "订单 {order} 下单于 {placed},截至 {asof} 仍未付款。请按催付流程联系买家(黄旗标记)。")
_add("cod-reminder", "info", "货到付款提醒",
     "订单 {order} 为货到付款:运费更高(顺丰 10 元,其他 3–6 元),请在下单 30 分钟内联系买家确认。")
_add("flag-remark-missing", "warning", "旗帜备注不完整",
     "{flag}旗订单的备注缺少{missing}。按店铺规定,{flag}旗备注应为:{pattern}。请补全备注。")
_add("flag-invalid", "error", "旗帜无效",
     "旗帜 {value} 无法识别。请从下拉列表选择 红/黄/绿/紫/蓝/无。")
_add("unknown-sku", "error", "商品编码不存在",
     "商品编码 {value} 在库存表中不存在。请核对编码(注意颜色、尺码),或先在库存表建档。")
_add("out-of-stock", "warning", "缺货",
     "商品 {sku} 的未发货订单共需 {ordered} 件({orders} 单合计,不是本单元格的数量;本行是其中第一单),"
     "可售库存只有 {available} 件。请客服及时告知买家。")
_add("public-order", "info", "公共订单",
     "黄旗订单 {order} 已付款,但备注中没有客服名字,计为公共订单。")
_add("paid-before-placed", "error", "付款早于下单",
     "付款时间 {value} 早于下单时间 {placed}(不是同一天),不可能先付款后下单。多半是其中一个日期输错,请核对两个时间。")
_add("refund-word-unknown", "warning", "售后状态用语不认识",
     "「{column}」有 {count} 格的用语 shopbook 不认识(例如 {words}),按「退款中」处理:不拣货,已发货的会被指出。"
     "如果这个用语表示没有退款,请在规则工作簿的「来源格式」表把它换成「无」。")
_add("orders-joined", "info", "订单报表与宝贝报表已合并",
     "{orders} 的 {order_count} 个订单与 {lines} 的 {line_count} 个商品行按订单号合并检查:"
     "收件人、手机、地址、付款等在 {orders} 中标出,商品、数量在 {lines} 中标出。")
_add("order-without-lines", "warning", "订单没有商品行",
     "订单 {value} 在宝贝报表 {lines} 中没有商品行,无法检查它的商品和库存,也不会拣货。请确认两份报表是同一时间导出的。")
_add("line-without-order", "error", "商品行找不到订单",
     "订单号 {value} 在订单报表 {orders} 中找不到,这一行的收件人、付款无法核对,不会拣货。请确认两份报表是同一时间导出的。")

# --- shipping -------------------------------------------------------------------------
_add("waybill-pattern", "warning", "快递单号格式不符",
     "快递单号 {value} 不符合{courier}的单号格式(应为 {pattern})。请核对是否输错或快递公司填错。")
_add("duplicate-waybill", "error", "快递单号重复",
     "快递单号 {value} 在第 {other} 行也出现过。同一单号不能用于两个包裹;多件包裹请在「件数」注明。")
_add("order-not-found", "error", "订单不存在",
     "订单号 {value} 在订单表中找不到。请核对订单号。")
_add("ship-unpaid", "error", "未付款订单已发货",
     "订单 {value} 尚未付款(也不是货到付款),却已登记发货。请立即联系快递拦截,并核对订单。")
_add("ship-blocked-order", "error", "异常/退款订单已发货",
     "订单 {value} {reason},不能发货。请立即联系快递拦截,并与客服核对。")
_add("over-shipped", "error", "发货数量超过订购数量",
     "订单 {order} 的商品 {sku} 已发 {shipped} 件,订购只有 {ordered} 件。请核对是否多发。")
_add("weight-implausible", "warning", "重量异常",
     "重量 {value} kg 不合理(应大于 0 且不超过 {maximum} kg)。请复称并更正。")
_add("packer-missing", "warning", "缺少包装人",
     "没有填写包装人。按规定每个包裹都要由包装人签名,请补上。")
_add("ship-overdue", "warning", "超时未发货",
     "订单 {order} 于 {paid} 付款,应在 {deadline} 当天发出,截至 {asof} 仍未登记发货。请尽快安排并告知买家。")
_add("ship-differs-from-order", "warning", "发货信息与订单不一致",
     "「{column}」登记为 {value},订单中是 {expected}。如是买家要求的变更请忽略,否则请核对。")
_add("reason-missing", "error", "缺少原因",
     "状态为 {status} 的包裹必须在「原因」列写明原因。请补上。")
_add("unsigned-parcel", "warning", "长时间未签收",
     "快递单号 {waybill} 于 {shipped} 发出,已 {days} 天未签收(正常 3–5 天)。请查询物流并联系买家。")
_add("shipped-before-paid", "error", "发货早于付款",
     "发货日期 {value} 早于订单 {order} 的付款时间 {paid}:货在买家付款之前就发出了。请核对发货日期和订单号;"
     "如确实先发了货,请立即与客服核对这张订单。")
_add("signed-before-shipped", "error", "签收早于发货",
     "签收日期 {value} 早于订单 {order} 的发货日期 {shipped}:包裹还没发出就已签收。请核对签收日期、发货日期或订单号。")
_add("weight-missing", "warning", "缺少重量",
     "快递单号 {waybill} 已发货,但没有填写重量。快递员收件时每单都要称重、写在快递单上,请补上称重重量"
     "(月结对账要按它核对是否超重)。")
_add("fee-missing", "warning", "缺少运费",
     "快递单号 {waybill} 已发货,但没有填写运费。请把快递单上的运费登记进来,便于交接和月结对账时核对。")

# --- returns --------------------------------------------------------------------------
_add("freight-payer-wrong", "error", "运费承担方错误",
     "原因「{reason}」应由{expected}承担运费,这里填的是 {value}。质量问题/发错货/漏发/破损由店铺承担,其余由买家承担。")
_add("return-window-exceeded", "error", "超过 7 天无理由期限",
     "非质量原因退换,签收于 {signed},申请于 {applied},已超过签收次日起 {days} 天的期限。应拒绝无理由退换。")
_add("return-excluded-goods", "error", "不支持无理由退换",
     "{what},按规定不支持非质量原因的退换货。请拒绝,或核实是否质量问题。")
_add("return-flag-mismatch", "warning", "退换货与订单旗帜不符",
     "{kind}登记的订单 {order} 在订单表中不是{flag}旗。请核对订单旗帜或登记类型。")
_add("return-waybill-missing", "warning", "缺少退回快递单号",
     "{kind}已寄回(状态 {status}),但没有填写退回快递单号。请补上,便于仓库核对。")
_add("return-freight-collect", "error", "到付退回",
     "退回方式为到付,仓库会拒收到付包裹。请联系买家改为寄付(质量问题运费由店铺另行补偿)。")
_add("refund-exceeds-paid", "error", "退款超过实付",
     "退款金额 {value} 超过该订单行的实付金额 {paid}。请核对退款金额。")
_add("refund-attachments-missing", "warning", "附件不全已退款",
     "已退款,但附件齐全为「否」。请确认吊牌、包装、赠品已退回。")
_add("reason-required", "error", "缺少退换原因",
     "没有填写退换货原因。每一行都要写明原因,以便判断运费承担和退换期限。")
_add("return-received-too-early", "error", "退货收到早于发货",
     "收货日期 {value} 早于订单 {order} 的{event} {other}:货还没{what}就收到了退回的货,不可能。请核对收货日期或订单号。")

# --- stock ----------------------------------------------------------------------------
_add("duplicate-sku", "error", "商品重复建档",
     "商品 {value} 在第 {other} 行也有一行。同一商品编码+颜色+尺码只能有一行,请合并。")
_add("stock-variance", "warning", "盘点差异",
     "{kind} {diff} 件(账面 {book},实盘 {counted}){valued}。请复盘确认并调整账面。")
_add("reorder-alert", "warning", "补货预警",
     "可售库存 {sellable} 件,低于安全库存 {safety} 件。请安排补货。")
_add("location-missing", "warning", "缺少库位",
     "没有填写库位。请填写库位(如 A-01-03),否则拣货单无法按库位排序。")
_add("location-pattern", "warning", "库位格式不符",
     "库位 {value} 不符合店铺格式(应为 {pattern},如 A-01-03 表示 A 区 01 架 03 层)。请更正。")
_add("stocktake-stale", "warning", "盘点过期",
     "上次盘点是 {date},距 {asof} 已 {days} 天(规定每 {limit} 天盘点一次)。请安排盘点。")

# --- rules workbook -------------------------------------------------------------------
_add("rule-invalid", "error", "规则无效",
     "规则表「{sheet}」中的 {value} 无效:{reason}。已使用默认值,请更正规则表。")
_add("rule-date-invalid", "error", "规则表日期无效",
     "规则表「{rules_sheet}」的 {value} 不是日期,这一行没有使用。请写成 2026-11-11 这样的日期。")


# the jobs' codes (pick lists, reconciliation, payroll, month, stock ledger, handover, 客服) are in
# job_codes.py, in the same table
from shopbook.core import job_codes  # noqa: E402,F401 (importing it adds them)
