"""A job's generated sheets (its lists.py: frames + column kinds) written into the open workbook,
the way the job's own xlsx.py lays them out for a file: title lines above the header, IDs as
text, dates/kg/元 as numbers with their formats, the source cell of each row linked.

Column objects are the jobs' own `Col(header, source, width, kind)`; the kinds understood are
text, id, wrap, check, int, date, due (a date, or a time where the frame's `_time` is true),
kg (grams), money (fen) and link.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from shopbook.core.months import month_title
from shopbook.excel import engine
from shopbook.excel.book import book_path
from shopbook.excel.results import Formula, delete_sheet, replace_sheet, replace_sheet_rows

MONEY, DATE, TIME, KG = "#,##0.00", "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0.0##"
FORMATS = {"money": MONEY, "kg": KG, "date": DATE, "int": "0"}


def link_formula(book, path, sheet: str, cell: str, text: str) -> Formula:
    """A HYPERLINK formula to a cell: of this workbook (path None or the book's own), else of
    the workbook at `path` (Excel opens it)."""
    own = path is None or Path(path).name == book_path(book).name
    where = "" if own else str(Path(path))
    target = "{}#'{}'!{}".format(where, sheet.replace("'", "''"), cell).replace('"', '""')
    return Formula(f'=HYPERLINK("{target}","{str(text).replace(chr(34), chr(34) * 2)}")')


def _blank(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def _value(v, kind: str):
    """A frame value as the cell takes it (None for blanks)."""
    if _blank(v):
        return None
    if kind == "kg":
        return int(v) / 1000
    if kind == "money":
        return int(v) / 100
    if kind == "int":
        return int(v)
    if kind in ("date", "due"):
        if isinstance(v, pd.Timestamp):
            return v.to_pydatetime()
        return v if isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time())
    if kind == "id":
        return str(v)
    return v


def source_cell(sources: dict, target) -> tuple | None:
    """(file, sheet, cell) of a list row's source: target = (sheet kind or None, sheet, cell)."""
    if not target:
        return None
    kind, sheet, cell = target
    found = sources.get(kind) or sources.get(sheet)
    return None if not found else (found[0], found[1], cell)


def write_columns(book, name: str, title: tuple[str, ...], columns, frame: pd.DataFrame, links=None):
    """The sheet `name` (replaced): `title` lines, then the header and one row per frame row.
    `links` gives per row what the link column points at — (path or None, sheet, cell) — or None."""
    frame = frame.reset_index(drop=True)
    timed = bool(frame["_time"].any()) if "_time" in frame and len(frame) else False
    data = {}
    for c in columns:
        values = frame[c.key].tolist() if c.key in frame else [None] * len(frame)
        cells = [_value(v, c.kind) for v in values]
        if c.kind == "link" and links is not None:
            cells = [link_formula(book, *links[i], text) if text is not None and links[i] else text
                     for i, text in enumerate(cells)]
        data[c.header] = cells
    formats = {c.header: FORMATS[c.kind] for c in columns if c.kind in FORMATS}
    formats.update({c.header: TIME if timed else DATE for c in columns if c.kind == "due"})
    return replace_sheet(book, name, pd.DataFrame(data, columns=[c.header for c in columns], dtype=object),
                         text_columns=[c.header for c in columns if c.kind == "id"], number_formats=formats,
                         title=title, widths={c.header: c.width for c in columns})


def write_slips(book, name: str, slips, columns, has_handover: bool):
    """The handover's 交接单 (one block per courier and day, laid out as the printed file: title,
    courier line, header, waybills, 合计, signature lines), each block starting a printed page."""
    rows, bold, breaks = [], [], []
    for slip in slips:
        if rows:
            breaks.append(len(rows) + 1)
        bold.append(len(rows) + 1)
        rows.append([slip.title])
        rows.append([f"快递员 {slip.couriers or '__________'}    发货员 {slip.senders or '__________'}    "
                     f"共 {slip.parcels} 件({len(slip.frame)} 个单号)"])
        bold.append(len(rows) + 1)
        rows.append([c.header for c in columns])
        for record in slip.frame.to_dict("records"):
            rows.append([_value(record.get(c.key), c.kind) for c in columns])
        total = ["合计", f"{len(slip.frame)} 个单号", None, None, slip.parcels,
                 None if slip.grams is None else slip.grams / 1000, None if slip.fee is None else slip.fee / 100, None]
        bold.append(len(rows) + 1)
        rows.append(total)
        missing = [w for w, ok in (("重量", slip.grams is not None), ("运费", slip.fee is not None)) if not ok]
        if missing:
            rows.append([f"有包裹缺少{'、'.join(missing)}(或价格表中没有价格),合计未计入,请补上后重新打印。"])
        rows.append(["发货员签字:________________            快递员签字:________________"])
        rows.append(["快递员清点实收 ________ 件      底单已留存 □      交接时间 ____月____日 ____:____"])
        if has_handover:
            rows.append(["交接记录: 尚未登记" if slip.handed is None else f"交接记录: 交接 {slip.handed} 件,{slip.result}"])
        rows.append([])
    if not rows:
        rows = [["这段时间的发货记录中没有包裹,没有交接单。"]]
    letters = [chr(65 + i) for i in range(len(columns))]
    sheet = replace_sheet_rows(
        book, name, rows, text_letters="".join(x for x, c in zip(letters, columns) if c.kind == "id"),
        number_formats={x: FORMATS[c.kind] for x, c in zip(letters, columns) if c.kind in ("kg", "money")},
        bold_rows=bold, widths={x: c.width for x, c in zip(letters, columns)})
    engine.print_setup(sheet, page_breaks=breaks, landscape=False)
    return sheet


def write_payroll(book, result, errors: int = 0) -> None:
    """The payroll's sheets; with `errors` the 银行代发 sheet opens with a red banner row
    (the same as the CLI's result workbook) so it is never uploaded as it is."""
    from shopbook.payroll.lists import MONEY_COLUMNS, TEXT_COLUMNS, WIDTHS, strip_headers, strip_values
    from shopbook.payroll.xlsx import UNCHECKED_BANNER

    def formats(frame):
        return dict(text_columns=[c for c in frame.columns if c in TEXT_COLUMNS],
                    number_formats={c: MONEY for c in frame.columns if c in MONEY_COLUMNS},
                    widths={c: w for c, w in WIDTHS.items() if c in frame.columns and c != "说明"})

    label = month_title(result.month)
    sheet = result.sheet()
    if len(sheet):  # a 合计 row under the money columns, as the CLI's 工资表 has
        total = {c: sum((v for v in sheet[c] if isinstance(v, Decimal)), Decimal("0.00"))
                 for c in sheet.columns if c in MONEY_COLUMNS}
        sheet = pd.concat([sheet, pd.DataFrame([{"序号": "合计", **total}])], ignore_index=True)
    replace_sheet(book, "工资表", sheet, title=(f"{label} 工资表",), **formats(sheet))

    with_bonus = any(s.annual_bonus for s in result.slips)
    headers = strip_headers(with_bonus)
    rows, header_rows = [[f"{label} 工资条"], []], []
    for s in result.slips:
        header_rows.append(len(rows) + 1)
        rows += [headers, strip_values(s, with_bonus), ["说明:" + s.payslip_explanation], []]
    letters = "".join(chr(65 + i) for i, h in enumerate(headers) if h in TEXT_COLUMNS)
    money = {chr(65 + i): MONEY for i, h in enumerate(headers) if h in MONEY_COLUMNS}
    replace_sheet_rows(book, "工资条", rows, text_letters=letters, number_formats=money, bold_rows=[1] + header_rows,
                       widths={chr(65 + i): {"身份证号": 20, "银行账号": 22, "岗位": 11}.get(h, 9.5)
                               for i, h in enumerate(headers)})

    banner = (f"{UNCHECKED_BANNER}(错误 {errors} 个,见「问题」表;改正后重新计算)",) if errors else ()
    bank = replace_sheet(book, "银行代发", result.bank, title=banner, **formats(result.bank))
    if errors:
        engine.set_font(bank["A1"], color="#C00000")
    if len(result.left_out):
        replace_sheet(book, "未代发名单", result.left_out, **formats(result.left_out))
    else:
        delete_sheet(book, "未代发名单")
    replace_sheet(book, "下月个税累计", result.tax_ytd, **formats(result.tax_ytd))
    replace_sheet(book, "下月责任金台账", result.duty_ledger, **formats(result.duty_ledger))
    if result.scores is not None:  # the book holds a 奖罚登记
        replace_sheet(book, "奖罚评分表", result.scores, title=(f"{label} 奖罚评分表    制表日期 {result.scored_on:%Y-%m-%d}",),
                      **formats(result.scores))
    else:
        delete_sheet(book, "奖罚评分表")
