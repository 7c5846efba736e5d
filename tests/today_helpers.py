"""Small inline 客服 workbooks for the today tests: header rows of each register and the ledger,
and a runner that reads them as the command does and computes the day."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import write_book
from shopbook.rules import DEFAULT_RULES

D = dt.datetime
AS_OF = D(2026, 10, 31, 18, 0)

ORDER_HEAD = ["订单号", "下单时间", "付款时间", "买家", "收件人", "手机", "省", "详细地址", "商品编码", "数量", "单价",
              "实付金额", "付款方式", "旗帜", "备注", "客服", "状态"]
SHIP_HEAD = ["发货日期", "订单号", "快递公司", "快递单号", "包装人", "类型", "状态", "原因", "签收日期"]
RETURN_HEAD = ["登记日期", "订单号", "类型", "原因", "申请日期", "状态", "处理人"]
REVIEW_HEAD = ["订单号", "买家", "评价日期", "评价类型", "评价内容", "原因类别", "责任客服", "跟进1日期", "跟进1方式",
               "跟进1结果", "跟进2日期", "跟进2方式", "跟进2结果", "下次联系时间", "状态", "解释日期", "改好日期"]
COMPLAINT_HEAD = ["投诉日期", "订单号", "买家", "投诉类型", "内容", "责任人", "处理人", "处理结果", "结案日期"]
HANDOVER_HEAD = ["交接日期", "班次", "交出人", "接手人", "事项", "关联订单", "状态"]
CONTACT_HEAD = ["联系时间", "订单号", "事由", "客服", "方式", "结果"]


def order(no, placed=D(2026, 10, 31, 9), paid=D(2026, 10, 31, 9, 5), buyer="甜甜", name="王静",
          phone="13812345678", address="人民路1号", payment="在线支付", flag=None, remark=None, agent="小美",
          status="待发货"):
    return [no, placed, paid, buyer, name, phone, "浙江", address, "A1", 1, 10, 10, payment, flag, remark, agent,
            status]


def parcel(no, sent=D(2026, 10, 20), signed=D(2026, 10, 23), kind="正常", state="正常", reason=None,
           waybill=None):
    return [sent, no, "中通", waybill or f"78{int(no) % 10**12:012d}", "老周", kind, state, reason, signed]


def review(no, written, kind="差评", cause=None, who="吴思琪", f1=None, f2=None, nxt=None, state=None,
           explained=None, turned=None, buyer="甜甜", content="不好"):
    f1, f2 = f1 or (None, None, None), f2 or (None, None, None)
    return [no, buyer, written, kind, content, cause, who, *f1, *f2, nxt, state, explained, turned]


def complaint(day, no="1001", kind="质量", content="坏了", who="吴思琪", result=None, closed=None):
    return [day, no, "甜甜", kind, content, "仓库", who, result, closed]


def handover(day, shift, giver="小美", taker=None, item="回电话", no=None, state=None):
    return [day, shift, giver, taker, item, no, state]


def contact(when, no, reason="催评", who="吴思琪", method="旺旺", result="已好评"):
    return [when, no, reason, who, method, result]


def books(tmp_path: Path, ledger: dict | None = None, service: dict | None = None) -> list[Path]:
    """台账.xlsx and 客服.xlsx from {sheet: rows} (header rows added)."""
    heads = {"订单": ORDER_HEAD, "发货": SHIP_HEAD, "退换货": RETURN_HEAD, "评价": REVIEW_HEAD, "投诉": COMPLAINT_HEAD,
             "交接班": HANDOVER_HEAD, "联系记录": CONTACT_HEAD}
    out = []
    for name, sheets in (("台账.xlsx", ledger), ("客服.xlsx", service)):
        if sheets:
            out.append(write_book(tmp_path / name, {s: [heads[s], *rows] for s, rows in sheets.items()}))
    return out


def day(tmp_path: Path, ledger: dict | None = None, service: dict | None = None, as_of=AS_OF,
        rules=DEFAULT_RULES, batches=None):
    """(result, findings) of the job on these sheets, read as `shopbook today` reads them."""
    from shopbook.today import job
    from shopbook.today.run import read_inputs

    inputs = read_inputs(books(tmp_path, ledger, service), rules, as_of)
    if batches is not None:
        inputs.tables.batches = batches
    result, findings = job.compute(inputs.tables, rules, as_of)
    return result, findings


def listed(result, name) -> list[tuple]:
    """(order, due text, sheet, row) of a list's items."""
    from shopbook.today.run import item_records
    return [(i["order"], i["due"], i["sheet"], i["row"]) for i in item_records(result.lists[name])]


def coded(findings, code) -> list[str]:
    return list(findings.loc[findings["code"] == code, "cell"])
