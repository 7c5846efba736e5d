"""The jobs' finding codes, added to the one table of shopbook.core.codes (severity, short
title, Chinese message): pick lists, reconciliation, payroll, the month, the stock ledger, the
courier handover and the 客服 registers. docs/findings.md is generated from both files."""
from __future__ import annotations

from shopbook.core.codes import _add

# --- pick lists (shopbook.picking.job) ----------------------------------------------------
# (pick-list codes go here)
_add("pick-variant-unknown", "error", "库存表没有这个颜色/尺码",
     "商品 {sku} 的 {variant} 在库存表中没有对应的行,无法确定库位和库存,这张订单暂不拣货。"
     "请核对订单的颜色/尺码,或在库存表中补建这一行。")
_add("pick-stock-row-invalid", "error", "库存行数据有误",
     "商品 {sku} 在库存表 {stock_cell} 有错误({problem}),可售数量无法确定,这张订单暂不拣货。请先更正库存表。")

# --- courier reconciliation (shopbook.courier.job) ----------------------------------------
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
_add("bill-sheet-is-register", "warning", "这是发货登记表,不是账单",
     "{value} 看起来是发货登记表(有 {marks} 等列),不是快递公司的账单,没有计入账单。"
     "账单应有 快递单号、计费重量、运费 等列;发货登记请作为发货记录给出。")
_add("bill-file-skipped", "error", "账单文件未能对账",
     "{value} 中找不到可读的快递账单({reason}),这个文件没有对账。"
     "如果它是账单,请确认表头含 快递单号/运单号、计费重量、运费/应付金额,或在规则工作簿的「来源格式」表登记它的表头。")
_add("bill-weight-grams", "info", "计费重量按克换算",
     "「{column}」以克为单位({why}),{count} 个重量已换算为千克后对账(例如 {example})。")
_add("bill-weight-unit-suspect", "warning", "计费重量单位可疑",
     "「{column}」的重量中位数是 {median},超过 {maximum} kg,看起来是以克为单位,但表头和格式都没有注明。"
     "已按千克对账;如果是克,请把表头改成「{column}(g)」,或在规则工作簿「来源格式」表登记 重量单位 为 g。")
_add("bill-date-year-added", "info", "寄件日期补上年份",
     "「{column}」有 {count} 个日期没有年份(例如 {example}),已按账单期间补为 {year} 年。")
_add("bill-extra-services", "info", "增值服务计入运单",
     "{count} 行是同一运单的增值服务或附加费({services}),合计 {amount} 元,已计入对应运单的附加费,不算重复计费。"
     "运费核对只比较运费本身。")
_add("bill-extra-without-base", "warning", "增值服务没有运费行",
     "运单 {value} 的{service}({amount} 元)在账单中没有对应的运费行。请向快递公司核实这一行是否多收。")
_add("bill-footer-rows", "info", "账单汇总行",
     "账单末尾的汇总行({labels})已识别,没有当作包裹计费。")
_add("bill-count-mismatch", "warning", "账单件量与明细不符",
     "账单写明 {label} {stated},明细共有 {lines} 个运单。请向快递公司核实是否漏列或多列了明细。")
_add("bill-summary-mismatch", "warning", "账单汇总与明细不符",
     "账单{where}写明「{label}」{stated} 元,按明细算出 {expected} 元({how}),差 {diff} 元。"
     "请向快递公司核实汇总是否算错,或账单是否漏列、多列了明细。")

# --- payroll (shopbook.payroll.job) -------------------------------------------------------
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
_add("count-differs-from-register", "warning", "绩效数与登记表统计不符",
     "{name}({id})的「{column}」填写 {value},按 {source} 统计为 {counted}。请核对;本次按绩效表填写的数计算。"
     "如登记表是对的,清空这一格即按登记表计算。")
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
_add("bonus-unset", "info", "奖金未设定",
     "岗位「{position}」的{bonus}还没有设定(「岗位薪酬」表的「{setting}」为空),本月按 0 计算;工资条上不显示这条说明。"
     "如需发放,请在规则工作簿的「岗位薪酬」表填写「{setting}」。")
_add("count-name-unknown", "warning", "登记表中的人不在员工表",
     "{source} 统计到「{name}」的{column} {count},但员工表中没有这个姓名或花名,未计入任何人的工资。"
     "如是本店员工,请在员工表的「花名」列写上「{name}」。")
_add("count-name-shared", "warning", "登记表中的名字对应多名员工",
     "{source} 统计到「{name}」的{column} {count},但员工表中有几个人叫这个名字或花名({ids}),无法确定是谁,未计入。"
     "请在记录中写全名,或改用各不相同的花名。")
_add("count-unassigned", "warning", "登记记录没有写人名",
     "{source} 中有{column} {count} 没有填写人名(拣货人、包装人或经手客服),未计入任何人的工资。请补上。")
_add("reward-penalty-out-of-range", "warning", "罚款金额超出规定范围",
     "奖罚登记的罚款 {value} 元不在每笔 {low}–{high} 元之内(制度规定)。请核对金额,或分开登记。")
_add("reward-reason-missing", "warning", "奖罚没有写事由",
     "这条{kind}没有写事由。奖罚评分表要交上级批准,每条都要写明原因。")
_add("reward-approver-missing", "warning", "奖罚没有批准人",
     "这条{kind}没有批准人。奖罚须经批准,请填写批准人。")
_add("reward-incident-missing", "warning", "仓库事故罚款没有事故记录",
     "这条罚款的事由是仓库事故,但{where}。请先在「仓库事故」表登记事故(日期、订单号、责任人、经过)。")
_add("reward-person-unknown", "warning", "奖罚登记的工号不在员工表",
     "工号 {value} 不在本月工资的员工中,这条奖罚没有计入奖罚评分表。请核对工号。")
_add("score-sheet-late", "warning", "奖罚评分表晚于发薪日前一天",
     "奖罚评分表的制表日期 {made} 晚于发薪日({payday})前一天 {due}。按制度,评分表须在发工资前一天交上级批准。")
_add("special-deduction-capped", "warning", "专项附加扣除超过标准",
     "{name}({id})的{column} {typed} 元不符合标准:{reason},本月按 {used} 元扣除。请对照个税 App 中的申报核对。")
_add("serious-illness-at-settlement", "warning", "大病医疗不在每月扣除",
     "{name}({id})填写了大病医疗 {typed} 元:大病医疗{reason},本月按 0 扣除。请在次年汇算清缴时申报。")
_add("rent-and-loan-both", "error", "住房租金与房贷利息不能同时扣除",
     "{name}({id})同时填写了住房贷款利息和住房租金:两项在一个纳税年度内不能同时享受(国发〔2018〕41号),"
     "本月两项都没有扣除。请只保留其中一项后重算。")
_add("special-deduction-total-differs", "warning", "专项附加扣除合计与分项不符",
     "{name}({id})的专项附加扣除填写 {value},按分项({items})为 {amount} 元。本月按分项扣除;请核对或清空合计这一格。")
_add("low-income-allowance-ineligible", "warning", "不符合全年 6 万元减除条件",
     "{name}({id})标明「上年工资不超过6万」,但入职日期是 {joined}:上一纳税年度不是每月都在本店预扣预缴,"
     "不能自 1 月起按全年 6 万元扣除(国家税务总局公告2020年第19号),本月按每月 5000 元计算。请核对。")
_add("minimum-wage-below", "warning", "低于最低工资标准",
     "{name}({id})本月{compared} {wage} 元,低于{city}月最低工资标准 {minimum} 元{how}。请核对底薪、缺勤和罚款。")

# --- monthly workbook (shopbook.monthly.job) ----------------------------------------------
_add("month-section-missing", "info", "月报缺少一部分",
     "文件夹中没有{what},月报不含「{section}」。")
_add("month-section-unusable", "error", "月报一部分无法生成",
     "{what}无法使用({reason}),月报不含「{section}」。请改正后重新生成月报。")
_add("month-several-sources", "info", "找到多个同类表",
     "找到多个{what}:{files};月报使用 {used}。")
_add("month-no-orders", "error", "本月没有订单",
     "订单表中没有付款时间在 {month} 的订单{span}。销售、客服业绩等数字都是 0,请检查月份是否写对、"
     "订单表是否是这个月的。")
_add("month-amount-missing", "error", "订单金额缺失",
     "订单 {order} 这一行既没有「实付金额」,也无法用 数量×单价 算出,未计入销售额。请补上实付金额后重新生成月报。")
_add("month-no-duty-roster", "error", "活动日没有排班",
     "{day} 是活动日,但规则工作簿的「排班」表没有这一天值班的客服,这天的 {count} 单按「公共订单」统计。"
     "请在「排班」表补上这一天的客服后重新生成月报。")
_add("month-input-other-month", "warning", "不是本月的数据",
     "{what} {source} 是 {other} 的数据,不是 {month} 的,没有计入月报,月报不含「{section}」。"
     "请把 {month} 的{what}放进文件夹。")
_add("month-previous-empty", "warning", "上月没有数据",
     "上月文件夹 {folder} 中没有 {month} 的订单{span},月报不作上月对比。请检查上月文件夹。")

# --- stock ledger registers (入库, 采购清单, 库存调整, 期初) -----------------------------------
_add("inbound-arrival-differs", "warning", "实到与应到不符",
     "应到 {expected} 件,实到 {value} 件,{kind} {diff} 件。请通知采购与供应商核对(补发、退回或调整采购单)。")
_add("inbound-inspection-mismatch", "error", "检验数量与实到不符",
     "合格 {good} 件 + 不合格 {bad} 件 = {total} 件,与实到 {arrived} 件不符。所有货物须检验后入库,"
     "请复核检验数量;本次按{booked}记入库存。")
_add("inbound-defect-sellable", "error", "不合格品计入可售",
     "不合格 {value} 件没有写处理方式({choices})。按规定不合格品不得上架销售,本次记入残次库、不计入可售;"
     "请写明处理方式,如已上架请撤下。")
_add("inbound-inspector-missing", "warning", "缺少检验人",
     "没有填写检验人。所有货物入库前都要检验,请补上检验人。")
_add("inbound-not-on-po", "error", "采购单上没有这个商品",
     "采购单 {po} 中没有商品 {item},这批货不在采购清单上。请与采购核对是否发错货,确认后再入库(本次已按实收记入库存)。")
_add("inbound-po-unknown", "warning", "采购单号不存在",
     "采购单号 {value} 在采购清单中找不到。请核对单号,或先在采购清单登记这张采购单。")
_add("inbound-over-po", "error", "入库超过采购数量",
     "采购单 {po} 的商品 {item} 订购 {ordered} 件,累计实到 {received} 件(含本行),超出 {over} 件。请与采购和供应商核对。")
_add("po-line-duplicate", "warning", "采购单行重复",
     "采购单 {po} 的商品 {item} 在第 {other} 行也有一行。同一采购单同一商品请合并为一行。")
_add("adjustment-reason-missing", "error", "库存调整没有原因",
     "库存调整没有填写原因(如 {examples})。每笔调整都要写明原因,本次仍按所填数量记账。")
_add("adjustment-approver-missing", "error", "库存调整没有批准人",
     "库存调整没有填写批准人。调整库存须经主管批准,请补签;本次仍按所填数量记账。")
_add("adjustment-self-approved", "warning", "经办人自己批准",
     "经办人和批准人都是 {value}。库存调整应由经办人以外的主管批准,请复核。")

# --- stock ledger (shopbook.stockbook) ----------------------------------------------------
_add("stock-negative", "error", "账面库存为负",
     "商品 {item} {date} 的这笔{kind}({qty})后,账面结存为 {balance} 件,低于 0。请核对这笔流水以及之前的入库、出库记录。")
_add("stock-key-unknown", "warning", "库存表中没有这个商品",
     "商品 {item} 有库存流水,但库存表中没有这一行,期初按 0 计。请在库存表建档(库位、安全库存、成本价)。")
_add("movement-unbookable", "error", "无法记入库存流水",
     "这一行无法记入库存流水:{what}。请补全后重新计算。")
_add("movements-outside-period", "info", "流水不在本期",
     "「{sheet}」有 {count} 条流水不在本期 {start} 至 {end} 内({when}),没有计入。")
_add("resend-goods-unknown", "warning", "补发包裹商品不明",
     "补发包裹 {value} 没有填写商品编码和数量,按订单 {order} 整单出库记账。如只补发了部分商品,请在发货表填写商品编码和数量。")
_add("exchange-goods-unknown", "warning", "换货包裹商品不明",
     "换货包裹 {value} 没有填写商品编码、颜色、尺码,按退换货登记的 {item} 出库记账。请在发货表填写实际换出的商品。")
_add("return-not-shelved", "warning", "退货未归位",
     "退回的商品 {item} 于 {received} 收到,已 {days} 天没有归位或转残次(规定收货后 {limit} 天内)。"
     "请检验后上架或转入残次库,并填写归位日期;未归位前不计入可售。")
_add("return-shelved-late", "info", "退货归位超时",
     "退回的商品 {item} 于 {received} 收到,{shelved} 才归位,用了 {days} 天(规定 {limit} 天内)。")
_add("return-putback-unrecorded", "info", "退换货没有归位日期列",
     "退换货表没有「归位日期」列,退回的商品按{basis}记入库存。请加上「收货日期」和「归位日期」两列,以便核对退货是否及时归位。")
_add("stock-variance-category", "warning", "类别盘点差异",
     "类别「{category}」盘点差异:盘盈 {gain} 件,盘亏 {loss} 件,净差 {net} 件{valued}。按规定先按类核对总数,请复盘后调整账面。")
_add("consumable-low", "warning", "耗材低于安全库存",
     "耗材 {item} 剩余 {sellable},低于安全库存 {safety}。请及时补货或通知快递员补送,避免发货时没有面单、快递袋。")
_add("opening-gap", "error", "期初与本期不衔接",
     "「期初」表截至 {stamp},本期从 {start} 开始,中间 {missing} 的流水没有计入。请先计算中间的期间,或把 --from 改为 {next}。")
_add("opening-unstamped", "warning", "期初表没有截至日期",
     "「期初」表没有填写「截至日期」,无法确认它是上期({previous})的结存,本次按上期结存使用。请核对后补上截至日期。")
_add("opening-missing-key", "warning", "期初表中没有这个商品",
     "商品 {item} 在期初表中没有,期初按 0 计(库存表的账面数量 {value} 未使用)。如是新品请忽略,否则请核对期初表。")
_add("stock-several-sources", "info", "找到多个同类表",
     "找到多个「{what}」表:{files};使用 {used}。")
_add("stock-outflow-unjoined", "error", "出库无法记账",
     "发货表没有商品编码和数量,也没有订单表可以对照,发出的商品无法记入库存流水。请一并给出订单表。")
_add("opening-applied-twice", "error", "同一期间应用两次",
     "「{sheet_name}」已截至 {stamp},不能再从 {start} 起计算(同一期间不能应用两次)。要重算本期,请使用截至 {previous} 的期初表(上一期的计算结果)。")

# --- courier handover (shopbook.handover, shopbook.sheets.courier_handover) ------------
_add("handover-unsigned", "error", "交接没有快递员签字",
     "{date} {courier} 的交接没有快递员签字(「{column}」为 {value})。按规定快递员要清点件数并签上本人名字;"
     "请找快递员补签。没有签字的交接不能作为丢件索赔或账单争议的凭证。")
_add("handover-slips-missing", "error", "底单没有收回",
     "{date} {courier} 的交接没有收回底单(「{column}」为 {value})。快递员填好快递单后要留一份底单给店铺保存,"
     "请向快递员索取,收回后改为「是」。")
_add("handover-not-archived", "warning", "底单超期未归档",
     "{date} {courier} 的底单已保存 {days} 天,超过 {limit} 天仍未归档。请把底单按日期、快递公司归档,"
     "交管理人员保存,并填写归档日期。")
_add("handover-archive-before-date", "error", "归档日期早于交接日期",
     "归档日期 {value} 早于交接日期 {date}。请核对归档日期。")
_add("handover-count-mismatch", "error", "交接件数与发货记录不符",
     "{date} {courier} 交接 {handed} 件,发货记录中这一天{courier}有 {registered} 件({diff})。"
     "请清点底单与发货记录:少单立即查找包裹,登记有误的请更正。")
_add("handover-missing", "error", "包裹没有交接记录",
     "快递单号 {value}({date} {courier})没有交接记录:快递交接表中没有这一天{courier}的交接。"
     "请核对包裹是否已交给快递员,并补登交接;没有交接签字,丢件或账单争议时无法举证。")
_add("handover-unregistered", "error", "交接的包裹不在发货记录中",
     "{date} {courier} 交接 {handed} 件,但发货记录中这一天没有{courier}的包裹。"
     "请核对交接的日期和快递公司,或补登发货记录。")
_add("handover-weight-differs", "warning", "快递员称重与我方不符",
     "{date} {courier} 快递员称重 {courier_kg} kg,我方称重合计 {shop_kg} kg({parcels} 件),相差 {diff_kg} kg,"
     "超过容差 {limit_kg} kg。请复称,有问题让快递员当场更改。")
_add("handover-price-differs", "warning", "快递员报价与价格表不符",
     "{date} {courier} 快递员报价 {quoted} 元,按价格表应为 {expected} 元({parcels} 件),{way} {diff} 元。"
     "请当场核对;月结对账以价格表为准。")

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
