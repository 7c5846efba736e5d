"""The generated sheets of the handover, as frames and column kinds (used by xlsx.py and, later,
the 打印交接单 button): 交接单 (one slip per courier and day), 交接核对, 今日发货清单, 底单归档, 问题."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from shopbook.handover import job
from shopbook.handover.job import HandoverResult
from shopbook.core.places import province_short
from shopbook.core.report import SEVERITY_ZH
from shopbook.writing.listing import Col, Listing

SLIP_SHEET, CHECK_SHEET, SHIPPED_SHEET, ARCHIVE_SHEET, ISSUES_SHEET = "交接单", "交接核对", "今日发货清单", "底单归档", "问题"
GENERATED = (SLIP_SHEET, CHECK_SHEET, SHIPPED_SHEET, ARCHIVE_SHEET, ISSUES_SHEET)


@dataclass
class Slip:
    """One 交接单: a courier company's parcels of one day, to be counted and signed at the pickup."""
    day: pd.Timestamp
    courier: str
    couriers: str | None
    senders: str | None
    frame: pd.DataFrame  # SLIP_COLUMNS sources, one row per waybill
    parcels: int
    grams: int | None  # None: a weight is missing
    fee: int | None  # None: a weight or a price is missing
    handed: int | None  # from the handover record, when there is one
    result: str | None

    @property
    def title(self) -> str:
        return f"快递交接单  {self.courier}  {self.day:%Y-%m-%d}"


# one A4 portrait page wide at 100 % (manual page breaks rule out fit-to-page): 64 character widths
SLIP_COLUMNS = (Col("序号", 5, "int"), Col("快递单号", 19, "id", "waybill"), Col("收件省", 7, source="省"),
                Col("包装人", 7, source="packer"), Col("件数", 5, "int", "parcels"), Col("重量(kg)", 8, "kg", "grams"),
                Col("运费(元)", 8, "money", "fee"), Col("核对", 5, "check"))
CHECK_COLUMNS = (Col("日期", 11, "date", "day"), Col("快递公司", 8, source="courier"), Col("快递员", 10, source="couriers"),
                 Col("发货件数", 8, "int", "registered"), Col("交接件数", 8, "int", "handed"),
                 Col("我方重量(kg)", 10, "kg", "shop_g"), Col("快递员称重(kg)", 11, "kg", "courier_g"),
                 Col("价格表运费", 10, "money", "table_fen"), Col("快递员报价", 10, "money", "courier_fen"),
                 Col("快递员签字", 8, source="签字"), Col("底单已收", 8, source="底单"), Col("归档日期", 11, "date", "archived"),
                 Col("结果", 34, "wrap", "result"))
SHIPPED_COLUMNS = (Col("发货日期", 11, "date", "day"), Col("包装人", 8, source="packer"), Col("序号", 5, "int"),
                   Col("订单号", 21, "id", "order"), Col("快递公司", 8, source="courier"), Col("快递单号", 20, "id", "waybill"),
                   Col("收件人", 9, source="recipient"), Col("省", 8), Col("件数", 5, "int", "parcels"),
                   Col("重量(kg)", 9, "kg", "grams"), Col("状态", 8, source="status"))
ARCHIVE_COLUMNS = (Col("事项", 16, source="item"), Col("日期", 11, "date", "day"), Col("快递公司", 8, source="courier"),
                   Col("快递员", 9, source="couriers"), Col("件数", 5, "int", "parcels"), Col("快递单号", 20, "id", "waybill"),
                   Col("订单号", 21, "id", "order"), Col("说明", 50, "wrap", "note"), Col("位置", 16, "link", "where"))
ISSUE_COLUMNS = (Col("序号", 5, "int"), Col("级别", 6), Col("工作表", 12, source="sheet"), Col("行", 6, "int", "row"),
                 Col("列", 10, source="column"), Col("单元格", 8, "link", "cell"), Col("代码", 24, source="code"),
                 Col("说明", 70, "wrap", "message"), Col("值", 16, "id", "value"))


def _span(r: HandoverResult) -> str:
    return f"{r.first:%Y-%m-%d}" if r.first == r.last else f"{r.first:%Y-%m-%d} 至 {r.last:%Y-%m-%d}"


def slips(r: HandoverResult) -> list[Slip]:
    """The 交接单 of the period: one per courier and day that has parcels, in day then courier order."""
    pickups = r.pickups.set_index(job.KEYS) if len(r.pickups) else None
    out = []
    for (day, courier), group in r.lines.groupby(job.KEYS, sort=False):
        frame = group.assign(序号=range(1, len(group) + 1), 省=[province_short(p) if isinstance(p, str) else None
                                                              for p in group["province"]], 核对=None)
        frame["grams"] = frame["grams"].astype("Int64").where(~frame["unknown"].astype(bool), pd.NA)
        p = pickups.loc[(day, courier)] if pickups is not None and (day, courier) in pickups.index else None
        out.append(Slip(day, courier, p["couriers"] if p is not None and isinstance(p["couriers"], str) else None,
                        p["senders"] if p is not None and isinstance(p["senders"], str) else None,
                        frame.reset_index(drop=True), int(group["parcels"].sum()),
                        None if group["unknown"].any() else int(group["grams"].sum()),
                        None if not group["priced"].all() else int(group["fee"].fillna(0).sum()),
                        job._int(p["handed"]) if p is not None and r.has_handover else None,
                        p["result"] if p is not None and r.has_handover else None))
    return out


def _yes_no(values: pd.Series) -> list:
    return [None if v is None or v != v else ("是" if v else "否") for v in values]


def check_listing(r: HandoverResult) -> Listing:
    """交接核对: one row per courier and day, the register beside the handover, and the verdict."""
    p = r.pickups.copy()
    both = p["first_row"].notna() if "first_row" in p else pd.Series(False, index=p.index)
    p["签字"] = [v if b else None for v, b in zip(_yes_no(p["signed"]), both)] if "signed" in p else None
    p["底单"] = [v if b else None for v, b in zip(_yes_no(p["slips"]), both)] if "slips" in p else None
    p["shop_g"] = p["shop_g"].where(~p["shop_unknown"].fillna(True).astype(bool))
    p["table_fen"] = p["table_fen"].where(~p["table_unknown"].fillna(True).astype(bool))
    p["courier_g"] = p["courier_g"].where(p["courier_g"] >= 0)
    bad = int((p["result"] != "相符").sum()) if r.has_handover else 0
    info = (f"{_span(r)}    {len(p)} 次交接(每家快递每天一行)    需处理 {bad} 次" if r.has_handover
            else f"{_span(r)}    没有快递交接表,只列出发货记录")
    return Listing(CHECK_SHEET, "快递交接核对", info, CHECK_COLUMNS, p)


def shipped_listing(r: HandoverResult) -> Listing:
    """今日发货清单: the parcels sent, by day and packer, for 客服 to check every day."""
    lines = r.lines.copy()
    lines["packer"] = lines["packer"].where(lines["packer"].notna(), "(未填)")
    lines = lines.sort_values(["day", "packer", "courier", "row"], kind="stable").reset_index(drop=True)
    lines["序号"] = lines.groupby(["day", "packer"], sort=False).cumcount() + 1
    lines["省"] = [province_short(p) if isinstance(p, str) else None for p in lines["province"]]
    lines["grams"] = lines["grams"].astype("Int64").where(~lines["unknown"].astype(bool), pd.NA)
    by_packer = lines.groupby("packer", sort=False)["parcels"].sum()
    packers = "、".join(f"{name} {int(n)} 件" for name, n in by_packer.items())
    info = (f"{_span(r)}    发货 {int(lines['parcels'].sum())} 件 {lines['order'].nunique()} 单    按包装人: {packers}"
            if len(lines) else f"{_span(r)}    没有发货记录")
    return Listing(SHIPPED_SHEET, "今日发货清单", info, SHIPPED_COLUMNS, lines)


def archive_listing(r: HandoverResult, sources: dict) -> Listing:
    """底单归档: the 底单 past the archive period, and the slips of lost/damaged/undeliverable parcels."""
    a = r.archive.copy()
    a["where"] = [f"{s} 第 {row} 行" for s, row in zip(a["sheet"], a["row"])]
    links = [_link(sources, s, None, row) for s, row in zip(a["sheet"], a["row"])]
    todo = int((a["item"] == job.TODO_ARCHIVE).sum())
    info = f"截至 {r.as_of:%Y-%m-%d %H:%M}    待归档 {todo} 份    单独存放 {len(a) - todo} 张"
    return Listing(ARCHIVE_SHEET, "底单归档与单独存放", info, ARCHIVE_COLUMNS, a, links=links)


def issues_listing(findings: pd.DataFrame, sources: dict) -> Listing:
    """问题: every finding, its cell linked to the source workbook."""
    f = findings.reset_index(drop=True).copy()
    f["序号"] = range(1, len(f) + 1)
    f["级别"] = f["severity"].map(SEVERITY_ZH)
    links = [_link(sources, s, c, None) for s, c in zip(f["sheet"], f["cell"])]
    sev = f["severity"].value_counts()
    info = (f"错误 {sev.get('error', 0)},警告 {sev.get('warning', 0)},提示 {sev.get('info', 0)}"
            "    点击「单元格」打开原表的这一格" if len(f) else "没有发现问题")
    return Listing(ISSUES_SHEET, "交接问题", info, ISSUE_COLUMNS, f, links=links)


def _link(sources: dict, sheet: str, cell, row) -> tuple | None:
    """(file, sheet, cell) of a finding or a row in the source workbooks, or None."""
    if sheet not in sources:
        return None
    path, name = sources[sheet]
    if cell is None or cell != cell:
        if row is None or row != row:
            return None
        cell = f"A{int(row)}"
    return Path(path), name, cell
