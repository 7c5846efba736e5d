"""The 月报 workbook, written with XlsxWriter: native charts over the workbook's own tables, every
figure a stored value, A4 print setup on every sheet."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from shopbook.core.months import month_label
from shopbook.monthly import figures, job, lists
from shopbook.monthly.lists import (AGENT_SHEET_COLUMNS, COURIER_SHEET_COLUMNS, ITEM_SHEET_COLUMNS,
                                    PAYROLL_SHEET_COLUMNS, REASON_SHEET_COLUMNS, REVIEW_SHEET_COLUMNS,
                                    STOCK_SHEET_COLUMNS, folder_label, note_text, review_total)
from shopbook.writing import marks
from shopbook.writing.pages import header_date
from shopbook.writing.safe import atomic_path


# --- writing the workbook --------------------------------------------------------------------
NUMBER_FORMATS = {"count": "#,##0", "money": "#,##0.00", "rate": "0.00%", "ratio": "0.00", "num2": "#,##0.00",
                  "date": "yyyy-mm-dd", "text": "@", "change_money": "+#,##0.00;-#,##0.00;0.00",
                  "change_count": "+#,##0;-#,##0;0", "change_rate": "+0.00%;-0.00%;0.00%",
                  "change_ratio": "+0.00;-0.00;0.00", "growth": "+0.0%;-0.0%;0.0%",
                  # a change of a rate, in percentage points (the cell holds points: 1.2, not 0.012)
                  "change_points": '+0.00" 个百分点";-0.00" 个百分点";0.00" 个百分点"'}
SERIES_COLORS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47")


class Formats:
    def __init__(self, wb):
        self.wb = wb
        self.title = wb.add_format({"bold": True, "font_size": 16})
        self.subtitle = wb.add_format({"font_color": "#595959"})
        self.section = wb.add_format({"bold": True, "font_size": 12})
        self.header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#305496", "border": 1,
                                     "text_wrap": True, "valign": "vcenter", "align": "center"})
        self.cells = {k: wb.add_format({"num_format": v, "border": 1, "border_color": "#BFBFBF"})
                      for k, v in NUMBER_FORMATS.items()}
        self.totals = {k: wb.add_format({"num_format": v, "bold": True, "top": 2, "bg_color": "#F2F2F2"})
                       for k, v in NUMBER_FORMATS.items()}
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"})
        self.note = wb.add_format({"valign": "top"})
        self.note_wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.missing = wb.add_format({"font_color": "#808080", "border": 1, "border_color": "#BFBFBF"})
        self.label = wb.add_format({"bold": True, "border": 1, "border_color": "#BFBFBF"})
        self.error = wb.add_format({"font_color": "#C00000", "text_wrap": True, "valign": "top"})
        self.red = wb.add_format({"font_color": "#C00000", "bold": True})


def _blank(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def put(ws, f: Formats, row: int, col: int, value, kind: str, total: bool = False) -> None:
    """One stored value (never a formula) with its number format; money is fen; a change of a
    rate is written in percentage points."""
    if kind == "share_count":  # an order count that promotion-day sharing may split (1/n each)
        kind = "count" if _blank(value) or float(value).is_integer() else "num2"
    if kind == "change_rate":
        kind, value = "change_points", None if _blank(value) else round(float(value) * 100, 2)
    fmt = (f.totals if total else f.cells)[kind]
    if _blank(value):
        ws.write_blank(row, col, None, fmt)
    elif kind in ("text",):
        ws.write_string(row, col, str(value), fmt)
    elif kind == "date":
        ws.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), fmt)
    elif kind in ("money", "change_money"):
        ws.write_number(row, col, int(value) / 100, fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def table(ws, f: Formats, columns, frame: pd.DataFrame, *, row: int = 0, col: int = 0,
          total: dict | None = None, filter_: bool = True) -> int:
    """Write `frame` under a header row; `columns` = [(name, kind, width)]. A total row (its
    values given, stored) goes under the data. Returns the row after the table."""
    for c, (name, kind, width) in enumerate(columns):
        ws.set_column(col + c, col + c, width)
        ws.write_string(row, col + c, name, f.header)
    ws.set_row(row, 30)
    values = frame[[name for name, _, _ in columns]].astype(object).to_numpy() if len(frame) else []
    r = row
    for r, record in enumerate(values, start=row + 1):
        for c, ((_, kind, _), value) in enumerate(zip(columns, record)):
            put(ws, f, r, col + c, value, kind)
    if filter_ and len(frame):
        ws.autofilter(row, col, r, col + len(columns) - 1)
    if total is not None:
        r += 1
        for c, (name, kind, _) in enumerate(columns):
            if c == 0:
                ws.write_string(r, col, str(total.get(name, "合计")), f.totals["text"])
            else:
                put(ws, f, r, col + c, total.get(name), kind, total=True)
    return r + 1


def print_setup(ws, f: Formats, title: str, repeat: int | None = 0, landscape: bool = True) -> None:
    if landscape:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if repeat is not None:
        ws.repeat_rows(repeat)
    ws.set_header(f'&L&"-,Bold"{title}&R{f.printed}')
    ws.set_footer("&C第 &P 页,共 &N 页")


def _chart(wb, kind: str, title: str, subtype: str | None = None):
    chart = wb.add_chart({"type": kind, **({"subtype": subtype} if subtype else {})})
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 340})
    return chart



def overview_sheet(wb, f: Formats, run: MonthRun) -> None:
    r = run.report
    ws = wb.add_worksheet("概览")
    ws.hide_gridlines(2)
    ws.write_string(0, 0, f"月报 {month_label(r.month)}", f.title)
    ws.write_string(1, 0, f"店铺经营月报 · 生成于 {dt.datetime.now():%Y-%m-%d %H:%M} · 数据文件夹「{folder_label(run.folder)}」"
                    + (f" · 上月数据取自「{folder_label(run.previous_folder, run.folder)}」" if run.previous_folder else ""),
                    f.subtitle)
    header = ["指标", "本月", "上月", "变化", "环比", "口径说明"]
    widths = [16, 15, 15, 13, 9, 58]
    for c, (name, width) in enumerate(zip(header, widths)):
        ws.set_column(c, c, width)
        ws.write_string(3, c, name, f.header)
    last = r.previous.figures if r.previous is not None else None
    row = 4
    for fig in job.FIGURES:
        value = r.figures[fig.key]
        ws.write_string(row, 0, fig.label, f.label)
        if value is None:
            ws.write_string(row, 1, "无数据", f.missing)
        else:
            put(ws, f, row, 1, value, fig.kind)
        if last is not None and last.get(fig.key) is not None:
            put(ws, f, row, 2, last[fig.key], fig.kind)
        else:
            ws.write_blank(row, 2, None, f.cells["text"])
        put(ws, f, row, 3, figures.change(value, last.get(fig.key) if last else None, fig.kind), f"change_{fig.kind}")
        put(ws, f, row, 4, figures.growth(value, last.get(fig.key) if last else None, fig.kind), "growth")
        ws.write_string(row, 5, fig.definition, f.wrap)
        row += 1
    ws.freeze_panes(4, 1)
    row += 1
    ws.write_string(row, 0, "说明", f.section)
    row += 1
    notes = run.findings
    if not len(notes):
        ws.write_string(row, 0, "本月各部分数据齐全。", f.note)
        row += 1
    for n in notes.itertuples(index=False):
        mark = {"error": "需处理", "warning": "请注意", "info": "提示"}[n.severity]
        ws.write_string(row, 0, mark, f.red if n.severity == "error" else f.note)
        text = note_text(n)
        ws.merge_range(row, 1, row, 5, text, f.error if n.severity == "error" else f.note_wrap)
        ws.set_row(row, 30 if len(text) > 70 else None)
        row += 1
    row += 1
    ws.write_string(row, 0, "数据来源", f.section)
    row += 1
    for what, source in run.sources:
        ws.write_string(row, 0, what, f.note)
        ws.merge_range(row, 1, row, 5, source, f.note)
        row += 1
    if len(r.daily) and r.figures["sales"] is not None:
        ws.insert_chart(row + 1, 0, daily_chart(wb, "客服日报", len(r.daily)), {"x_scale": 1.3})
    print_setup(ws, f, f"月报 {month_label(r.month)} 概览", repeat=None, landscape=False)


def daily_chart(wb, sheet: str, days: int):
    chart = _chart(wb, "column", "每日销售额与订单数")
    chart.add_series({"name": "销售额", "categories": [sheet, 1, 0, days, 0], "values": [sheet, 1, 2, days, 2],
                      "fill": {"color": SERIES_COLORS[0]}, "gap": 60})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": "订单数", "categories": [sheet, 1, 0, days, 0], "values": [sheet, 1, 1, days, 1],
                     "y2_axis": True, "line": {"color": SERIES_COLORS[1], "width": 2}, "marker": {"type": "circle",
                                                                                                "size": 4}})
    chart.combine(line)
    chart.set_x_axis({"date_axis": True, "num_format": "m/d", "major_unit": 2, "major_unit_type": "days",
                      "num_font": {"rotation": -45}})
    chart.set_y_axis({"name": "销售额(元)", "num_format": "#,##0", "major_gridlines": {"visible": True,
                                                                                     "line": {"color": "#D9D9D9"}}})
    line.set_y2_axis({"name": "订单数"})
    return chart


def agents_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("客服业绩")
    a = r.agents
    end = table(ws, f, AGENT_SHEET_COLUMNS, a, total=lists.agent_total(r))
    ws.freeze_panes(1, 1)
    row = end + 1
    ws.write_string(row, 0, "归属依据", f.section)
    after = table(ws, f, lists.BASIS_SHEET_COLUMNS, lists.basis_rows(r), row=row + 1, filter_=False)
    if r.reviews is not None:  # 好评改善 per 客服, from the 评价 register
        row = after + 1
        ws.write_string(row, 0, "好评改善(评价登记表)", f.section)
        end_reviews = table(ws, f, REVIEW_SHEET_COLUMNS, r.reviews, row=row + 1, total=review_total(r.reviews),
                            filter_=False)
        ws.write_string(end_reviews, 0, "差评数: 本月的差评;差评改好数: 本月改好的中差评;改善率 = 差评改好数 ÷ 差评数。", f.note)
    for c, (_, _, width) in enumerate(AGENT_SHEET_COLUMNS):
        ws.set_column(c, c, width)  # the small tables above reset the first widths
    if len(a):
        chart = _chart(wb, "bar", "各客服销售额")
        chart.add_series({"name": "销售额", "categories": ["客服业绩", 1, 0, len(a), 0],
                          "values": ["客服业绩", 1, 3, len(a), 3], "fill": {"color": SERIES_COLORS[0]},
                          "data_labels": {"value": True, "num_format": "#,##0"}})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.set_legend({"none": True})
        chart.set_size({"width": 620, "height": max(260, 40 * len(a) + 80)})
        ws.insert_chart(1, len(AGENT_SHEET_COLUMNS) + 1, chart)
    print_setup(ws, f, f"月报 {month_label(r.month)} 客服业绩")


def daily_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("客服日报")
    d = r.daily
    columns = lists.daily_columns(d)
    table(ws, f, columns, d, total=lists.sum_total(d, columns, "日期"), filter_=False)
    ws.freeze_panes(1, 1)
    ws.insert_chart(1, len(columns) + 1, daily_chart(wb, "客服日报", len(d)))
    print_setup(ws, f, f"月报 {month_label(r.month)} 客服日报(按付款日,各客服销售额)")



def returns_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("退换货分析")
    reasons, items = r.returns_by_reason, r.returns_by_item
    end = table(ws, f, REASON_SHEET_COLUMNS, reasons, total=lists.reason_total(reasons), filter_=False)
    gap = len(REASON_SHEET_COLUMNS) + 1
    ws.set_column(gap - 1, gap - 1, 3)
    table(ws, f, ITEM_SHEET_COLUMNS, items, col=gap, filter_=False)
    ws.freeze_panes(1, 0)
    if len(reasons):
        chart = _chart(wb, "bar", "退换货原因(单数)")
        chart.add_series({"name": "合计单数", "categories": ["退换货分析", 1, 0, len(reasons), 0],
                          "values": ["退换货分析", 1, 4, len(reasons), 4], "fill": {"color": SERIES_COLORS[1]},
                          "data_labels": {"value": True}})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
        chart.set_size({"width": 620, "height": max(260, 36 * len(reasons) + 80)})
        ws.insert_chart(end + 1, 0, chart)
    print_setup(ws, f, f"月报 {month_label(r.month)} 退换货分析(按登记日期)")



def stock_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("库存预警")
    alerts = r.stock_alerts
    end = table(ws, f, STOCK_SHEET_COLUMNS, alerts)
    if not len(alerts):
        ws.write_string(2, 0, "本月没有缺货或低于安全库存的商品。", f.note)
    else:
        ws.conditional_format(1, 0, end - 1, 0, {"type": "text", "criteria": "containing", "value": "缺货",
                                                 "format": f.red})
    ws.freeze_panes(1, 2)
    print_setup(ws, f, f"月报 {month_label(r.month)} 库存预警")



def courier_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("快递对账")
    c = r.couriers
    end = table(ws, f, COURIER_SHEET_COLUMNS, c, total=lists.sum_total(c, COURIER_SHEET_COLUMNS, "快递公司"),
                filter_=False)
    ws.freeze_panes(1, 1)
    ws.write_string(end + 1, 0, "应付金额 = 账单金额 − 多收 − 索赔 − 抵扣。争议明细见快递对账生成的「对账结果」工作簿。",
                    f.note)
    if len(c):
        chart = _chart(wb, "column", "各快递公司多收与索赔(元)")
        chart.add_series({"name": "多收金额", "categories": ["快递对账", 1, 0, len(c), 0],
                          "values": ["快递对账", 1, 3, len(c), 3], "fill": {"color": SERIES_COLORS[1]},
                          "data_labels": {"value": True, "num_format": "#,##0.00"}})
        chart.add_series({"name": "索赔金额", "categories": ["快递对账", 1, 0, len(c), 0],
                          "values": ["快递对账", 1, 4, len(c), 4], "fill": {"color": SERIES_COLORS[0]}})
        chart.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        ws.insert_chart(end + 3, 0, chart)
    print_setup(ws, f, f"月报 {month_label(r.month)} 快递对账")



def payroll_sheet(wb, f: Formats, r: job.MonthReport) -> None:
    ws = wb.add_worksheet("工资汇总")
    p = r.payroll
    end = table(ws, f, PAYROLL_SHEET_COLUMNS, p, total=lists.payroll_total(p))
    ws.freeze_panes(1, 2)
    row = end + 1
    ws.write_string(row, 0, "按岗位", f.section)
    table(ws, f, lists.POSITION_SHEET_COLUMNS, lists.by_position(p), row=row + 1, filter_=False)
    for c, (_, _, width) in enumerate(PAYROLL_SHEET_COLUMNS[:4]):
        ws.set_column(c, c, max(width, 12))
    print_setup(ws, f, f"月报 {month_label(r.month)} 工资汇总")


def write_month_workbook(run: MonthRun, target: Path) -> Path:
    """The manager's workbook: 概览, 客服业绩, 客服日报 and the sections whose inputs were found."""
    import xlsxwriter

    r = run.report
    with atomic_path(target) as tmp:
        # text stays text: a file, sheet or 客服 name starting with '=' is no formula, nor a link
        wb = xlsxwriter.Workbook(str(tmp), {"default_date_format": "yyyy-mm-dd", "strings_to_formulas": False,
                                            "strings_to_urls": False})
        wb.set_properties({"title": f"月报 {month_label(r.month)}", "author": "shopbook"})
        marks.mark_xlsxwriter(wb, "month")
        f = Formats(wb)
        f.printed = header_date(run.as_of)  # the date in every page header
        overview_sheet(wb, f, run)
        agents_sheet(wb, f, r)
        daily_sheet(wb, f, r)
        if r.returns_by_reason is not None:
            returns_sheet(wb, f, r)
        if r.stock_alerts is not None:
            stock_sheet(wb, f, r)
        if r.couriers is not None:
            courier_sheet(wb, f, r)
        if r.payroll is not None:
            payroll_sheet(wb, f, r)
        wb.close()
    return Path(target)
