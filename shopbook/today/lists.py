"""The generated sheets of 今日待办, as frames with their column kinds: used by today.xlsx and (later)
the Excel button. Nothing here writes a file.

今日概览 (each list: count, overdue, what to do — linked to its sheet), one sheet per list sorted
by deadline, 客服绩效 (the month's pay counts, a plain record payroll reads) and 问题.
"""
from __future__ import annotations

import pandas as pd

from shopbook.rules import Rules
from shopbook.today import job
from shopbook.core.report import SEVERITY_ZH
from shopbook.writing.listing import Col, Listing

OVERVIEW, PAY, ISSUES = "今日概览", "客服绩效", "问题"


ITEM_COLUMNS = (Col("序号", 5, "int"), Col("期限", 15, "due"), Col("状态", 8),
                Col("订单号", 21, "id"), Col("买家", 14), Col("负责人", 8),
                Col("事项", 50, "wrap"), Col("详情", 30, "wrap"), Col("来源", 12, "link"),
                Col("已办", 6, "check"))
OVERVIEW_COLUMNS = (Col("清单", 16, "link"), Col("条数", 7, "int"), Col("逾期", 7, "int"),
                    Col("要做的事", 115, "wrap"))
PAY_COLUMNS = tuple(Col(c, 12 if c != "客服" else 10, "text" if c in ("月份", "客服") else "int")
                    for c in job.PAY_COLUMNS)
ISSUE_COLUMNS = (Col("序号", 5, "int"), Col("级别", 6), Col("工作表", 10),
                 Col("行", 6, "int"), Col("单元格", 9, "link"), Col("代码", 26),
                 Col("说明", 90, "wrap"), Col("原值", 20))


def what_to_do(rules: Rules) -> dict[str, str]:
    """Each list's instruction, from the shop's rules (seed 001/002) and its numbers."""
    return {
        job.REVIEWS_DUE: "新的中差评当天打电话问明原因(心情评价第二天再联系);约好的下次联系时间到了再联系。"
                         "每次跟进记在评价表「跟进」列,并约好下次联系时间。",
        job.LOCKING: f"中差评 {rules.review_effect_days} 天生效,{rules.review_window_days} 天后无法修改:"
                     "改不好就在最后一天写评价解释,并填「解释日期」。",
        job.HANDOVER: "上一班交接、还没有人接手的事项:接手后在交接班表「接手人」签名并跟进。",
        job.CUT_OFF: "拣货单打印后又插绿/蓝旗、退款中或已关闭的订单:马上通知仓库截单,商品放回原库位。",
        job.REFUNDS: "每天查看退款中和维权中的订单,时间长的先处理;维权第一时间告知负责人。",
        job.REORDERED: "买家重新拍下并已付款:旧的未付款订单征得买家同意后关闭,不要再催付。",
        job.COD: f"货到付款订单下单后 {rules.cod_contact_minutes} 分钟内电话联系买家:告知到付手续费较高,同意后再发货,"
                 "否则请买家重新下单。联系后填订单表「联系时间」或记入联系记录(事由 货到付款)。",
        job.SHORT: "少发、漏发核实后当天补发,发货登记「类型」填 补发。",
        job.ABNORMAL: "丢件、破损、拒收、无法送达的包裹:联系快递和买家,补发、退款或索赔后在发货登记「处理结果」写明。",
        job.CHASE: f"签收 {rules.review_chase_days} 天还没评价的买家:联系邀请评价并做体验回访"
                   f"(签收 {rules.review_period_days} 天后平台默认好评,不用再催)。记入联系记录,事由 催评。",
        job.PAYMENT: f"未付款订单:旺旺在线的及时跟进,{rules.payment_cutoff:%H:%M} 给买家发消息催付;重拍的订单见「重拍」。",
        job.OVERDUE: "已付款、过了发货日还没发出的订单:催仓库发货,或告知买家原因。",
    }


def state_text(frame: pd.DataFrame, today: pd.Timestamp) -> pd.Series:
    """逾期 / 今天 / (blank for later)."""
    due_today = frame["due"].dt.normalize() == today
    return pd.Series(["逾期" if o else "今天" if t else "" for o, t in zip(frame["overdue"], due_today)],
                     index=frame.index, dtype=object)


def list_frame(items: pd.DataFrame, as_of) -> pd.DataFrame:
    """A list's items as the rows of its sheet (links: _target = (source kind, sheet, cell))."""
    today = pd.Timestamp(as_of).normalize()
    cells = [f"{c}{int(r)}" if isinstance(c, str) else f"A{int(r)}" for c, r in zip(items["column"], items["row"])]
    return pd.DataFrame({
        "序号": range(1, len(items) + 1),
        "期限": items["due"], "_time": ~items["due_day"].astype(bool),
        "状态": state_text(items, today),
        "订单号": items["order"], "买家": items["buyer"], "负责人": items["who"],
        "事项": items["reason"], "详情": items["detail"],
        "来源": [f"{s}!{c}" for s, c in zip(items["sheet"], cells)],
        "_target": list(zip(items["source"], items["sheet"], cells)),
        "已办": None,
    })


def overview(result: job.TodayResult, rules: Rules, findings: pd.DataFrame) -> Listing:
    todo = what_to_do(rules)
    rows = []
    for name in job.LISTS:
        lacking = result.skipped.get(name)
        rows.append({"清单": name, "_target": name, "条数": result.counts[name], "逾期": result.overdue[name],
                     "要做的事": todo[name] + (f"(没有{lacking},未生成)" if lacking else "")})
    total, late = sum(result.counts.values()), sum(result.overdue.values())
    day, shift = result.shift
    sev = findings["severity"].value_counts() if len(findings) else {}
    info = (f"时间 {result.as_of:%Y-%m-%d %H:%M}(当前班次: {day:%m-%d} {shift})    共 {total} 项,逾期 {late} 项    "
            f"登记表问题: 错误 {sev.get('error', 0)},警告 {sev.get('warning', 0)}(见「{ISSUES}」表)")
    return Listing(OVERVIEW, "今日待办", info, OVERVIEW_COLUMNS, pd.DataFrame(rows), internal_links=True)


def item_sheet(name: str, frame: pd.DataFrame, result: job.TodayResult, rules: Rules) -> Listing:
    late = int(frame["overdue"].sum()) if len(frame) else 0
    info = what_to_do(rules)[name]
    if name in result.skipped:
        info = f"没有找到{result.skipped[name]},这张清单没有生成。"
    title = f"{name}({len(frame)} 项" + (f",逾期 {late} 项)" if late else ")")
    return Listing(name, title, info, ITEM_COLUMNS, list_frame(frame, result.as_of))


def pay_sheet(result: job.TodayResult) -> Listing:
    return Listing(PAY, f"客服绩效 {result.month:%Y-%m}", "", PAY_COLUMNS, result.pay, printable=False)


def issues_sheet(findings: pd.DataFrame) -> Listing:
    f = findings.reset_index(drop=True)
    frame = pd.DataFrame({
        "序号": range(1, len(f) + 1),
        "级别": f["severity"].map(SEVERITY_ZH),
        "工作表": f["sheet"], "行": f["row"], "单元格": f["cell"], "代码": f["code"], "说明": f["message"],
        "原值": f["value"],
        "_target": [(None, s, c) if isinstance(c, str) else None for s, c in zip(f["sheet"], f["cell"])],
    })
    return Listing(ISSUES, "登记表问题", "评价、投诉、交接班、联系记录表中需要改正或补填的地方;点「单元格」打开原表。",
                 ISSUE_COLUMNS, frame)


def sheets(result: job.TodayResult, findings: pd.DataFrame, rules: Rules) -> list[Listing]:
    """Every generated sheet, in workbook order."""
    return ([overview(result, rules, findings)]
            + [item_sheet(name, result.lists[name], result, rules) for name in job.LISTS]
            + [pay_sheet(result), issues_sheet(findings)])
