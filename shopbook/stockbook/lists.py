"""The stock ledger's generated sheets, as frames with column kinds: what xlsx.py writes and an
Excel button would write back. Sheets: 库存结存, 库存流水, 残次库, 盘点表, 入库异常, 期初, 问题."""
from __future__ import annotations

import numpy as np
import pandas as pd

from shopbook.sheets import stock as stock_sheet
from shopbook.core.findings import FIELDS
from shopbook.stockbook.movements import OPENING
from shopbook.stockbook.job import StockResult
from shopbook.core.report import SEVERITY_ZH
from shopbook.writing.listing import Col, Listing

BALANCE_SHEET, FLOW_SHEET, DEFECT_SHEET, COUNT_SHEET = "库存结存", "库存流水", "残次库", "盘点表"
INBOUND_SHEET, CARRIED_SHEET, ISSUES_SHEET = "入库异常", "期初", "问题"
SUBTOTAL, TOTAL = "小计", "合计"


def _walk(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in shelf walk order (库位 zone, shelf, layer), then 商品编码."""
    order = stock_sheet.location_order(frame["库位"])
    return frame.assign(_z=order["zone"], _s=order["shelf"], _l=order["layer"], _t=order["text"]).sort_values(
        ["_z", "_s", "_l", "_t", "商品编码", "颜色", "尺码"], kind="stable", na_position="last").drop(
        columns=["_z", "_s", "_l", "_t"])


BALANCE_COLUMNS = (Col("类别", 8), Col("库位", 9), Col("商品编码", 11, "id"), Col("商品名称", 18), Col("颜色", 7),
                   Col("尺码", 6), Col("期初", 7, "int"), Col("入库", 7, "int"), Col("出库", 7, "int"),
                   Col("退货入库", 8, "int"), Col("调整", 7, "int"), Col("期末账面", 8, "int"), Col("残次", 6, "int"),
                   Col("可售", 7, "int"), Col("安全库存", 8, "int"), Col("建议补货", 8, "int"), Col("盘点日期", 11, "date"),
                   Col("盘点日账面", 9, "int"), Col("实盘", 7, "int"), Col("差异", 7, "int"), Col("差异金额", 10, "money"),
                   Col("期初残次", 8, "int"), Col("转残次", 7, "int"), Col("残次减少", 8, "int"))
FLOW_COLUMNS = (Col("日期", 11, "date"), Col("类型", 11), Col("商品编码", 11, "id"), Col("商品名称", 18), Col("颜色", 7),
                Col("尺码", 6), Col("账面变动", 8, "int"), Col("账面结存", 8, "int"), Col("残次变动", 8, "int"),
                Col("残次结存", 8, "int"), Col("单号", 19, "id"), Col("说明", 26), Col("来源", 16, "link"))
DEFECT_COLUMNS = (Col("库位", 9), Col("商品编码", 11, "id"), Col("商品名称", 18), Col("颜色", 7), Col("尺码", 6),
                  Col("数量", 6, "int"), Col("来源", 13), Col("单号", 19, "id"), Col("说明", 22),
                  Col("入残次日期", 11, "date"), Col("天数", 6, "int"), Col("来源位置", 16, "link"))
COUNT_COLUMNS = (Col("序号", 5, "seq"), Col("库位", 9), Col("商品编码", 11, "id"), Col("商品名称", 20, "wrap"),
                 Col("颜色", 7), Col("尺码", 6), Col("账面数量", 8, "int"), Col("其中残次", 8, "int"),
                 Col("实盘数量", 9, "blank"), Col("差异", 7, "blank"), Col("备注", 14, "blank"))
INBOUND_COLUMNS = (Col("日期", 11, "date"), Col("入库单号", 14, "id"), Col("采购单号", 14, "id"), Col("供应商", 12),
                   Col("商品编码", 11, "id"), Col("颜色", 7), Col("尺码", 6), Col("应到数量", 8, "int"),
                   Col("实到数量", 8, "int"), Col("合格数量", 8, "int"), Col("不合格数量", 9, "int"),
                   Col("不合格处理", 10), Col("问题", 60, "wrap"), Col("来源", 14, "link"))
CARRIED_COLUMNS = (Col("商品编码", 12, "id"), Col("商品名称", 18), Col("颜色", 7), Col("尺码", 6), Col("账面数量", 9, "int"),
                   Col("残次数量", 9, "int"), Col("截至日期", 11, "date"))
ISSUE_COLUMNS = (Col("序号", 5, "seq"), Col("严重程度", 8), Col("工作表", 10), Col("行", 7, "int"), Col("列", 12),
                 Col("单元格", 12, "link"), Col("代码", 26), Col("说明", 80, "wrap"), Col("原值", 20, "id"))


def _present(columns: tuple[Col, ...], variants: list[str]) -> tuple[Col, ...]:
    """颜色/尺码 only when the stock is keyed on them."""
    return tuple(c for c in columns if c.header not in stock_sheet.VARIANT_COLUMNS or c.header in variants)


def _period(result: StockResult) -> str:
    return f"{result.start.isoformat()} 至 {result.end.isoformat()}"


def balance_listing(result: StockResult) -> Listing:
    b = _walk(result.balances).reset_index(drop=True)
    frame = b[[c.header for c in BALANCE_COLUMNS]].copy()
    totals = {c.header: int(frame[c.header].fillna(0).sum()) for c in BALANCE_COLUMNS
              if c.kind in ("int", "money") and c.header not in ("安全库存", "盘点日账面", "实盘", "差异", "差异金额")}
    counted = frame["差异"].notna()
    for name in ("盘点日账面", "实盘", "差异", "差异金额"):
        totals[name] = int(frame.loc[counted, name].fillna(0).sum()) if counted.any() else None
    total_row = {**{c.header: None for c in BALANCE_COLUMNS}, "类别": TOTAL, **totals}
    frame = pd.concat([frame, pd.DataFrame([total_row])], ignore_index=True)
    bold = np.zeros(len(frame), dtype=bool)
    bold[-1] = True
    t = result.totals
    info = (f"期间 {_period(result)}    期初来自「{result.opening_source}」    {len(b)} 个商品    期末账面 {t['期末账面']} 件,"
            f"残次 {t['残次']} 件,可售 {t['可售']} 件    期末账面 = 期初 + 入库 − 出库 + 退货入库 + 调整;"
            f"可售 = 期末账面 − 残次;差异 = 实盘 − 盘点日账面")
    return Listing(BALANCE_SHEET, "库存结存", info, _present(BALANCE_COLUMNS, result.variants), frame, bold=bold)


def flow_listing(result: StockResult) -> Listing:
    m = result.movements
    names = m["key"].map(result.balances.set_index("_key")["商品名称"])
    parts = result.balances.set_index("_key")
    frame = pd.DataFrame({
        "日期": m["date"], "类型": m["kind"], "商品编码": m["key"].map(parts["商品编码"]), "商品名称": names,
        "颜色": m["key"].map(parts["颜色"]), "尺码": m["key"].map(parts["尺码"]),
        "账面变动": m["book"], "账面结存": m["balance"], "残次变动": m["defect"].where(m["defect"] != 0),
        "残次结存": m["defect_balance"], "单号": m["ref"], "说明": m["note"],
        "来源": m["sheet"].where(m["sheet"].notna()).astype(object)})
    frame.loc[(m["kind"] == OPENING).to_numpy(), ["账面变动", "残次变动"]] = None
    links = pd.DataFrame({"sheet": m["sheet"], "row": m["row"], "letter": m["letter"]})
    info = (f"期间 {_period(result)}    {int((m['kind'] != OPENING).sum())} 条流水,按日期排列(同一天先入后出);"
            f"账面结存、残次结存为该商品到这一笔为止的结存")
    return Listing(FLOW_SHEET, "库存流水", info, _present(FLOW_COLUMNS, result.variants), frame.reset_index(drop=True),
                   printable=True, links=links.reset_index(drop=True))


def defect_listing(result: StockResult) -> Listing:
    d = result.defects
    frame = d.rename(columns={}).assign(来源位置=d["_sheet"])[[c.header for c in DEFECT_COLUMNS]]
    links = pd.DataFrame({"sheet": d["_sheet"], "row": d["_row"], "letter": d["_letter"]})
    info = (f"截至 {result.end.isoformat()}:残次库共 {int(d['数量'].sum()) if len(d) else 0} 件(残次品与正品分开存放,"
            f"不计入可售);先报损的按最早入残次的批次扣除")
    return Listing(DEFECT_SHEET, "残次库", info, _present(DEFECT_COLUMNS, result.variants), frame.reset_index(drop=True),
                   links=links.reset_index(drop=True))


def count_listing(result: StockResult) -> Listing:
    """盘点表: by 类别 (in walk order of each category's first shelf), shelf by shelf within it,
    a 小计 per category and a 合计; 实盘数量 left blank for the count."""
    b = _walk(result.balances).reset_index(drop=True)
    b = b.assign(_pos=range(len(b)))
    first = b.groupby("类别")["_pos"].transform("min")
    b = b.assign(_first=first).sort_values(["_first", "_pos"], kind="stable")
    rows, bold, number = [], [], 0
    for category, group in b.groupby("类别", sort=False):
        for r in group.itertuples(index=False):
            number += 1
            rows.append({"序号": number, "库位": r.库位, "商品编码": r.商品编码, "商品名称": r.商品名称, "颜色": r.颜色,
                         "尺码": r.尺码, "账面数量": r.期末账面, "其中残次": r.残次 or None})
            bold.append(False)
        rows.append({"库位": f"{SUBTOTAL} {category}", "商品名称": f"{len(group)} 个商品",
                     "账面数量": int(group["期末账面"].sum()), "其中残次": int(group["残次"].sum()) or None})
        bold.append(True)
    rows.append({"库位": TOTAL, "商品名称": f"{len(b)} 个商品", "账面数量": int(b["期末账面"].sum()),
                 "其中残次": int(b["残次"].sum()) or None})
    bold.append(True)
    frame = pd.DataFrame(rows, columns=[c.header for c in COUNT_COLUMNS])
    info = (f"账面截至 {result.end.isoformat()}    按类别、库位顺序排列:先按类点出总数,再逐架核对    "
            f"盘点日期:____年__月__日")
    return Listing(COUNT_SHEET, "盘点表", info, _present(COUNT_COLUMNS, result.variants), frame, landscape=False,
                   footer=("盘点人:______________", "第 &P 页 / 共 &N 页", "复核人:______________"),
                   bold=np.array(bold), autofilter=False, row_height=21.0,
                   page_header=f"账面截至 {result.end.isoformat()}")


def inbound_listing(result: StockResult, findings: pd.DataFrame) -> Listing:
    t = result.inbound
    headers = [c.header for c in INBOUND_COLUMNS]
    if t is None:
        frame = pd.DataFrame(columns=headers)
        links = pd.DataFrame(columns=["sheet", "row", "letter"])
    else:
        mine = findings[(findings["sheet"] == t.sheet) & findings["row"].notna()]
        mine = mine[mine["severity"].isin(["error", "warning"])]
        problems = mine.groupby(mine["row"].astype(int))["message"].agg(lambda m: "\n".join(m))
        rows = problems.index
        d = t.data.reindex(rows)
        frame = pd.DataFrame({h: (d[h] if h in d else None) for h in headers if h not in ("问题", "来源")}, index=rows)
        frame["问题"] = problems
        frame["来源"] = t.sheet
        frame = frame.reset_index(drop=True)[headers]
        links = pd.DataFrame({"sheet": t.sheet, "row": rows, "letter": t.letters.get("商品编码", "A")})
    info = f"期间 {_period(result)}    入库登记中有问题的行({len(frame)} 行):实到与应到、检验数量、不合格处理、采购单"
    return Listing(INBOUND_SHEET, "入库异常", info, _present(INBOUND_COLUMNS, result.variants), frame,
                   links=links.reset_index(drop=True))


def carried_listing(result: StockResult) -> Listing:
    """期初 for the next period: a plain sheet (header in row 1) to paste or pass with --opening."""
    frame = result.carried[[c.header for c in CARRIED_COLUMNS]].reset_index(drop=True)
    return Listing(CARRIED_SHEET, "", "", _present(CARRIED_COLUMNS, result.variants), frame, printable=False)


def issue_listing(findings: pd.DataFrame) -> Listing:
    f = findings[FIELDS].reset_index(drop=True)
    frame = pd.DataFrame({
        "序号": range(1, len(f) + 1), "严重程度": f["severity"].map(SEVERITY_ZH), "工作表": f["sheet"],
        "行": pd.to_numeric(f["row"], errors="coerce").astype("Int64"), "列": f["column"],
        "单元格": f["cell"], "代码": f["code"], "说明": f["message"], "原值": f["value"]})
    cell = f["cell"].astype(object)
    letters = cell.str.extract(r"^([A-Z]+)")[0]
    links = pd.DataFrame({"sheet": f["sheet"].where(cell.notna()), "row": frame["行"], "letter": letters})
    info = f"共 {len(f)} 条:错误 {int((f['severity'] == 'error').sum())},警告 {int((f['severity'] == 'warning').sum())}," \
           f"提示 {int((f['severity'] == 'info').sum())}。点「单元格」可打开原工作簿的那一格"
    return Listing(ISSUES_SHEET, "问题", info, ISSUE_COLUMNS, frame, links=links)


def listings(result: StockResult, findings: pd.DataFrame) -> list[Listing]:
    """Every generated sheet, in workbook order."""
    return [balance_listing(result), flow_listing(result), defect_listing(result), count_listing(result),
            inbound_listing(result, findings), carried_listing(result), issue_listing(findings)]
