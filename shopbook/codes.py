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
     "「{column}」的值 {value} 不是有效日期(如 2026-02-30 不存在,或格式无法识别)。请改成 2026-10-05 这样的日期。")
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

# --- orders ---------------------------------------------------------------------------
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
     "商品 {sku} 订购 {ordered} 件,可售库存只有 {available} 件。请客服及时告知买家。")
_add("public-order", "info", "公共订单",
     "黄旗订单 {order} 已付款,但备注中没有客服名字,计为公共订单。")

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

# --- pick lists (shopbook.picking) ----------------------------------------------------
# (pick-list codes go here)
_add("pick-variant-unknown", "error", "库存表没有这个颜色/尺码",
     "商品 {sku} 的 {variant} 在库存表中没有对应的行,无法确定库位和库存,这张订单暂不拣货。"
     "请核对订单的颜色/尺码,或在库存表中补建这一行。")
_add("pick-stock-row-invalid", "error", "库存行数据有误",
     "商品 {sku} 在库存表 {stock_cell} 有错误({problem}),可售数量无法确定,这张订单暂不拣货。请先更正库存表。")

# --- courier reconciliation (shopbook.courier) ----------------------------------------
# (reconciliation codes go here)
_add("bill-total-mismatch", "warning", "账单合计与明细不符",
     "账单的合计运费 {stated} 元,与明细各行运费之和 {lines} 元不符(差 {diff} 元)。"
     "请向快递公司核实:合计是否算错,或账单是否漏列、多列了明细行。")
_add("bill-price-missing", "warning", "缺少快递价格",
     "快递单号 {waybill}:价格表中没有{courier}寄往{province}的价格,无法核对运费,应收运费留空。"
     "请在规则工作簿的「快递价格」表补上这一行(省份可写多个,用、分隔)。")
_add("bill-shop-weight-missing", "warning", "发货记录缺少重量",
     "快递单号 {waybill} 在发货记录(第 {register_row} 行)中没有重量,无法核对是否超重,应收运费留空。请补上称重重量。")
_add("bill-courier-differs", "warning", "账单快递公司与发货记录不符",
     "快递单号 {waybill} 的账单快递公司是 {value},发货记录登记为 {registered}。请核对是否串单或登记错误。")
_add("price-row-invalid", "error", "快递价格行无效",
     "快递价格表第 {row} 行({value})无效:{reason}。这一行没有使用,请更正。")
_add("bill-file-skipped", "warning", "文件不是快递账单",
     "{value} 中找不到快递账单(需要 快递单号、计费重量、运费 等表头),已跳过。")

# --- payroll (shopbook.payroll) -------------------------------------------------------
# (payroll codes go here)
_add("employee-id-duplicate", "error", "工号重复",
     "工号 {value} 在员工表中重复(第一次出现在第 {other} 行),只按第一行计算工资。每位员工只能有一行,请删除重复行或改正工号。")
_add("duplicate-row-for-employee", "error", "同一工号多行",
     "工号 {value} 在「{sheet_name}」中出现了不止一次(第一次在第 {other} 行),只使用第一行。请合并为一行。")
_add("unknown-employee-id", "error", "工号不在员工表",
     "「{sheet_name}」中的工号 {value} 在员工表中找不到,这一行没有计入任何人的工资。人员只按工号匹配(不按姓名),请核对工号或先在员工表添加此人。")
_add("name-mismatch", "warning", "姓名与员工表不符",
     "工号 {id} 在员工表中是「{expected}」,这里写的是「{value}」。人员按工号匹配,请核对工号是否填错。")
_add("id-card-invalid", "error", "身份证号无效",
     "身份证号 {value} 无效:{reason}(GB 11643)。请对照身份证核对 18 位号码,最后一位可能是 X。")
_add("bank-account-invalid", "error", "银行账号无效",
     "银行账号 {value} 不是有效账号(应为 10–30 位数字)。此人不会列入银行代发文件,请改正。")
_add("bank-account-luhn", "warning", "银行卡号校验未通过",
     "银行账号 {value} 未通过银行卡校验位(Luhn)检查。对公账户或存折账号可能如此,可以忽略;若是银行卡,请核对是否抄错。")
_add("bank-account-missing", "warning", "没有银行账号",
     "{name}({id})没有填写银行账号,不会列入银行代发文件。请补填账号,或另行发放。")
_add("attendance-missing", "error", "没有考勤",
     "{name}({id})在考勤表中没有记录,本次按全勤计算(缺勤扣款 0)。请在考勤表补上此人(按工号)。")
_add("attendance-days-invalid", "error", "应出勤天数无效",
     "应出勤天数 {value} 必须大于 0,无法计算缺勤扣款。请更正。")
_add("attendance-over", "warning", "实出勤超过应出勤",
     "实出勤 {actual} 天超过应出勤 {expected} 天,缺勤扣款按 0 计。请核对考勤(加班另行计算)。")
_add("base-missing", "error", "缺少底薪",
     "{name}({id})是{position},该岗位没有统一底薪{range},请在员工表「底薪」列填写。本次底薪按 0 计算。")
_add("base-out-of-range", "warning", "底薪超出岗位范围",
     "底薪 {value} 不在{position}的底薪范围 {range} 元内。请核对。")
_add("position-unknown", "warning", "岗位不在薪酬表",
     "岗位「{value}」不在岗位薪酬表中,只计底薪,不计提成和奖金。请核对岗位名称,或在规则表「岗位薪酬」中添加这个岗位。")
_add("piece-count-missing", "error", "缺少计件数量",
     "{name}({id})是{position},按「{column}」计件,但没有填写数量(按 0 计算)。请在绩效表填写,没有就填 0。")
_add("sales-figure-missing", "error", "缺少销售额或目标",
     "{name}({id})是{position},需要「{column}」才能判断是否达到个人销售目标,营业额奖金暂按 0 计算。请在绩效表填写。")
_add("turnover-missing", "warning", "缺少店铺营业额",
     "{name}({id})是{position},营业额奖金按店铺营业额计算,但绩效表没有(唯一的)店铺营业额,奖金按 0 计算。请在此人一行填写店铺营业额。")
_add("penalty-invalid", "error", "罚款无法识别",
     "罚款 {value} 无法识别。多笔罚款请写成 100+50 或 100、50。")
_add("penalty-out-of-range", "error", "罚款超出规定范围",
     "罚款 {amounts} 元超出店规每笔 {minimum}–{maximum} 元的范围(已按所填金额扣除)。请核对金额。")
_add("housing-fund-rate-invalid", "error", "公积金比例无效",
     "公积金比例 {value} 无效:{reason}。请填写 5%–12% 之间的比例,例如 7%。本次公积金按 0 计算。")
_add("social-insurance-none", "info", "未填社保基数",
     "{count} 人没有填写社保基数,社保和公积金按 0 计算:{names}。如需代扣,请在员工表填写社保基数。")
_add("net-pay-negative", "error", "实发工资为负数",
     "{name}({id})本月实发工资为 {amount} 元(负数),不会列入银行代发文件。请核对缺勤、罚款和各项扣款。")
_add("shop-count-missing", "warning", "缺少全店统计列",
     "绩效表没有「{column}」列或整列为空,无法确认全店{what}为 0,{consequence}本月不发放。请加上这一列并填写(没有就填 0)。")
_add("duty-forfeited", "info", "责任金本月不计提",
     "本月全店仓库事故 {count} 起,司库本月责任金({amount} 元)不计提。")
_add("duty-ledger-absent", "warning", "缺少责任金台账",
     "本月是季度第一个月,应发放 {quarter} 的司库责任金,但工作簿中没有「责任金台账」表,按 0 发放。请补上上月结果中的责任金台账。")
_add("duty-ledger-none", "warning", "缺少责任金台账",
     "工作簿中没有「责任金台账」表,{quarter} 此前月份({months})计提的司库责任金无法结转,本季度累计只从本月算起。"
     "请补上上月结果中的责任金台账后重算。")
_add("duty-ledger-gap", "error", "责任金台账不连续",
     "「{sheet_name}」截至 {stamp},缺少 {missing} 的记录,责任金累计会少算。请先用中间月份的工资结果更新台账。")
_add("tax-ytd-gap", "error", "个税累计不连续",
     "「{sheet_name}」截至 {stamp},缺少 {missing} 的数据,累计预扣个税会算错。请先用中间月份的工资结果更新个税累计。")
_add("tax-ytd-new-year", "info", "新纳税年度",
     "个税累计是 {stamp},{year} 年从 1 月起重新累计,上年数据不结转。")
_add("carried-unstamped", "warning", "累计表没有年月标记",
     "「{sheet_name}」没有填写「年份」「截至月份」,无法确认它是上个月({previous})的数据,本次按上个月的数据使用。请核对后补上这两列。")
_add("tax-ytd-absent", "warning", "没有个税累计表",
     "工作簿中没有「个税累计」表,{month} 之前本年度的收入和已预扣税额按 0 计算。若本年度此前已在本店发过工资,请补上上月结果中的个税累计。")
_add("tax-ytd-missing", "error", "个税累计中没有此人",
     "{name}({id})入职日期为 {joined},但个税累计表中没有此人,个税按本年第一个月计算,可能少扣。请补上此人的累计数据。")
_add("tax-months-mismatch", "warning", "累计月数与入职日期不符",
     "累计月数 {value} 与入职日期 {joined} 不符(本年本月之前应为 {expected} 个月)。本次按表中数值计算,请核对。")
_add("annual-bonus-already-used", "warning", "年终奖单独计税已用过",
     "{name}({id})本年度已在 {used} 按全年一次性奖金单独计税(每人每年只能一次),这次的年终奖并入当月工资计税。")
_add("annual-bonus-expired", "info", "年终奖单独计税已到期",
     "全年一次性奖金单独计税政策执行至 {until},{month} 的年终奖并入当月工资计税。")
_add("not-yet-joined", "info", "尚未入职",
     "{name}({id})入职日期 {value} 在 {month} 之后,本月不计工资。")

# --- monthly workbook (shopbook.monthly) ----------------------------------------------
_add("month-section-missing", "info", "月报缺少一部分",
     "文件夹中没有{what},月报不含「{section}」。")
_add("month-section-unusable", "error", "月报一部分无法生成",
     "{what}无法使用({reason}),月报不含「{section}」。请改正后重新生成月报。")
_add("month-several-sources", "info", "找到多个同类表",
     "找到多个{what}:{files};月报使用 {used}。")
_add("month-no-orders", "warning", "本月没有订单",
     "订单表中没有付款时间在 {month} 的订单。请检查 --month 是否写对。")
_add("month-amount-missing", "error", "订单金额缺失",
     "订单 {order} 这一行既没有「实付金额」,也无法用 数量×单价 算出,未计入销售额。请补上实付金额后重新生成月报。")
_add("month-no-duty-roster", "error", "活动日没有排班",
     "{day} 是活动日,但规则工作簿的「排班」表没有这一天值班的客服,这天的 {count} 单按「公共订单」统计。"
     "请在「排班」表补上这一天的客服后重新生成月报。")

# --- 客服 registers and daily lists (shopbook.today) -----------------------------------
_add("review-not-phoned", "warning", "中差评未电话联系",
     "{kind}(订单 {order})评价于 {day},评价 {effect} 天后生效,现已 {days} 天,仍没有电话联系的记录。制度要求中差评必须"
     "打电话问明原因:请尽快联系买家,并在「跟进」列记下日期、方式(电话)和结果。")
_add("review-reason-missing", "warning", "中差评没有原因",
     "{kind}(订单 {order})已经联系过买家,但没有填写「原因类别」。请按联系结果选填 质量/尺码/服务/快递/心情/恶意,"
     "原因要在群里告诉大家、周会上说。")
_add("review-next-contact-missing", "warning", "没有下次联系时间",
     "{kind}(订单 {order})还在跟进中,但没有「下次联系时间」。每次跟进都要和买家约好下次联系的时间并填上,"
     "到时今日待办才会提醒。")
_add("review-window-missed", "warning", "评价已锁定未处理",
     "{kind}(订单 {order})评价于 {day},{window} 天修改期限已过({last} 是最后一天),既没有改好也没有写解释,"
     "这条评价已无法修改。以后请在最后一天前写好评价解释;确已处理请补上「改好日期」或「解释日期」。")
_add("review-credited-twice", "error", "改好重复计算",
     "订单 {order} 的评价已在第 {other} 行记为已改好,这一行又记了一次,差评改好数会重复计算。请删除重复的行。")
_add("review-credited-two-people", "error", "改好记给两个人",
     "订单 {order} 的评价已在第 {other} 行记为 {first} 改好,这一行又记给 {who}。一条评价只能计入一个人的"
     "差评改好数,请核对后只保留一行。")
_add("review-date-missing", "warning", "缺少改好/解释日期",
     "状态是「{status}」,但没有填写「{date_column}」,{effect}。请补上日期。")
_add("complaint-overdue", "warning", "投诉超期未结案",
     "投诉(订单 {order})登记于 {day},已 {days} 天还没有结案(规定 {limit} 天内处理完)。请尽快处理,"
     "并填写处理结果和结案日期。")
_add("complaint-part-missing", "warning", "投诉结案信息不全",
     "投诉已结案,但没有填写「{part}」,{effect}。请补上。")
_add("handover-not-taken", "warning", "交接事项无人接手",
     "{day} {shift} {giver} 交接的事项「{item}」到下一班结束仍没有人接手。请接手的客服在「接手人」签名并跟进处理。")
_add("handover-shift-unknown", "warning", "班次不认识",
     "「{column}」的值 {value} 不是规则中的班次({shifts}),按当天最后一班计算。请改成规则工作簿「班次」表中的名字。")
_add("short-resend-late", "warning", "少发没有当天补发",
     "订单 {order} 少发/漏发于 {day} 登记,补发包裹 {resent} 才发出,没有做到当天补发。")
_add("today-list-skipped", "info", "清单未生成",
     "没有找到{what},「{list}」清单没有生成。")
_add("today-several-sources", "info", "找到多个同类表",
     "找到多个{what}:{files};使用 {used}。")
