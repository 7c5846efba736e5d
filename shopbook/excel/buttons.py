"""One small function per workbook button: read the sheets through xlwings, call the same
library functions as the CLI, write the results back (SPEC §Excel).

Each takes the xlwings Book (`xw.Book.caller()` in Excel, `xw.Book(json=...)` in the tests
and on a server) and returns the one-line Chinese summary the entry point shows. Input
the job cannot use raises `UnusableInput`, whose message the entry point shows as is.

Where a job needs a workbook the button's book does not hold, it is looked for in the
book's own folder (see `beside`): 规则.xlsx for every job; 库存/发货 for the pick list when
the book has no such sheet (库存.xlsx, else 台账.xlsx); the shipping register for the
courier reconciliation (发货.xlsx, else 台账.xlsx); the 快递交接 record for the handover when
the 发货 book has none (快递交接.xlsx, else 交接.xlsx); the ledger for 今日待办 (台账, 订单, 发货,
退换货: each found). The .xlsm versions count too.

Generated sheets are deleted and written again at the end of the book; the clerk's own
sheets are only ever marked (fills and notes on cells with findings), never changed.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd

from shopbook.picking import lists as picking_lists
from shopbook.core import findings as fnd
from shopbook.core.report import counts_text
from shopbook.excel import lists as excel_lists
from shopbook.handover import lists as handover_lists
from shopbook.payroll import run as payroll_run
from shopbook.picking import run as picking_run
from shopbook.today import job as today_job
from shopbook.today import lists as today_lists
from shopbook.excel.book import book_path, read_workbook, save_sheets
from shopbook.excel.results import replace_sheet, show_findings
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import open_workbook
from shopbook.reading.tables import read_table, require
from shopbook.rules import load_rules
from shopbook.sheets.run import validate_books
from shopbook.writing.annotate import ISSUES_SHEET

RULES_WORKBOOK = "规则.xlsx"  # kept next to the shop's workbooks (template: workbooks/规则.xlsx)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
LEDGER = "台账"  # the one-workbook ledger (订单, 发货, 退换货, 库存 sheets)

# sheets the buttons write (named by the job packages); never read back as input
PICK_SHEETS = picking_lists.GENERATED
RECONCILE_SHEETS = ("对账汇总", "争议明细", "未计费")
PAYROLL_SHEETS = payroll_run.RESULT_SHEETS
HANDOVER_SHEETS = tuple(s for s in handover_lists.GENERATED if s != handover_lists.ISSUES_SHEET)
# 今日待办's list sheets carry a prefix in the 客服 workbook: 交接 and 催评 are also names a clerk's
# registers may have (sheet aliases), and a button never deletes a clerk's sheet
TODAY_PREFIX = "待办-"
TODAY_SHEETS = (today_lists.OVERVIEW, *(TODAY_PREFIX + name for name in today_job.LISTS), today_lists.PAY)
BUTTONS_SHEET = "操作"  # the .xlsm's first sheet, holding the buttons (scripts/make_xlsm.py)
OUTPUT_SHEETS = ((ISSUES_SHEET, BUTTONS_SHEET) + PICK_SHEETS + RECONCILE_SHEETS + PAYROLL_SHEETS + HANDOVER_SHEETS
                 + TODAY_SHEETS)

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
TIME = "yyyy-mm-dd hh:mm"
KG = "0.0##"


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def folder_of(book) -> Path | None:
    """The folder the workbook is saved in (None for a workbook never saved, or a remote one)."""
    folder = book_path(book).parent
    return None if folder == Path(".") else folder


def beside(book, *stems: str) -> Path | None:
    """The first existing <stem>.xlsx/.xlsm in the book's folder (not the book itself)."""
    folder = folder_of(book)
    if folder is None:
        return None
    own = book_path(book).name
    for stem in stems:
        for suffix in WORKBOOK_SUFFIXES:
            candidate = folder / f"{stem}{suffix}"
            if candidate.name != own and candidate.exists():
                return candidate
    return None


def rules_path_for(book) -> Path | None:
    """The rules workbook beside this workbook, when there is one."""
    folder = folder_of(book)
    candidate = folder / RULES_WORKBOOK if folder else None
    return candidate if candidate is not None and candidate.exists() else None


def file_name(book) -> str:
    """The workbook's file name, as messages name it."""
    return book_path(book).name


def marked_text(unmarked: int) -> str:
    return f"问题单元格太多,另有 {unmarked} 个单元格没有标色,请看「{ISSUES_SHEET}」表。" if unmarked else ""


# --- 校验 ------------------------------------------------------------------------------------
def validate_book(book, as_of: dt.datetime | None = None, rules_path: Path | None = None) -> str:
    """校验: check every 订单/发货/退换货/库存 sheet of the book and mark what is wrong."""
    rules, rule_findings = load_rules(rules_path or rules_path_for(book))
    result = validate_books(read_workbook(book, skip=OUTPUT_SHEETS), rules, as_of or now(), rule_findings)
    if not result.rows_checked:
        raise UnusableInput(f"{file_name(book)}: 这个工作簿里没有找到订单、发货、退换货或库存表"
                            f"(按工作表名或表头查找)。请检查表头是否为 订单号、快递单号、商品编码 等。")
    unmarked = show_findings(book, result.findings)
    checked = ",".join(f"{sheet} {n} 行" for sheet, n in result.rows_checked.items())
    return (f"校验完成({checked}):{counts_text(result.findings)}。每条问题都列在「{ISSUES_SHEET}」表。"
            + marked_text(unmarked))


# --- 生成拣货单 --------------------------------------------------------------------------------
def _table_beside(book, kind, stems: tuple[str, ...], required: bool):
    """The `kind` table of the first workbook found beside the book, and its path (None, None
    when there is none; a workbook found without the table is unusable input when required)."""
    path = beside(book, *stems)
    if path is None:
        return None, None
    own = open_workbook(path)
    table = read_table(own, kind)
    if table is None and not required:
        return None, None
    return require(table, own, kind), path


def _batch_records(book) -> pd.DataFrame:
    """The 拣货批次 record kept in the book (read by the CLI's reader, via a plain copy)."""
    from shopbook.picking import job as picking
    from shopbook.picking.job import BATCH_SHEET
    from shopbook.picking.run import read_batches

    if BATCH_SHEET not in [s.name for s in book.sheets]:
        return picking.empty_records()
    with tempfile.TemporaryDirectory() as folder:
        copy = save_sheets(book, [BATCH_SHEET], Path(folder) / f"{book_path(book).stem}.xlsx")
        try:
            return read_batches(copy)
        except UnusableInput as exc:
            raise UnusableInput(str(exc).replace(str(copy), file_name(book))) from None


def picklist_book(book, as_of: dt.datetime | None = None, rules_path: Path | None = None) -> str:
    """生成拣货单: the next batch from the book's 订单 (and 库存/发货: the book's own sheets, else
    库存.xlsx/发货.xlsx or 台账.xlsx beside it) into 汇总拣货单, 按单拣货单, 缺货, 暂缓拣货 and
    the 拣货批次 record, all sheets of this book."""
    from shopbook.picking import job as picking
    from shopbook.picking.checks import unusable_reason
    from shopbook.sheets.orders import ORDERS
    from shopbook.sheets.shipping import SHIPPING
    from shopbook.sheets.stock import STOCK
    from shopbook.sheets.validate import load_sheets

    as_of = as_of or now()
    rules, rule_findings = load_rules(rules_path or rules_path_for(book))
    workbook = read_workbook(book, skip=OUTPUT_SHEETS)
    sheets = load_sheets(workbook, rules, as_of)
    orders = require(sheets.orders, workbook, ORDERS)
    stock, shipping, used = sheets.stock, sheets.shipping, []
    if stock is None:
        stock, path = _table_beside(book, STOCK, ("库存", LEDGER), required=True)
        if stock is None:
            raise UnusableInput(f"{file_name(book)}: 没有「库存」表。请在本工作簿加一张库存表,或把 库存.xlsx"
                                f"(或含库存表的 台账.xlsx)放在本工作簿所在的文件夹。")
        used.append(path.name)
    if shipping is None:
        shipping, path = _table_beside(book, SHIPPING, ("发货", LEDGER), required=False)
        if path is not None:
            used.append(path.name)
    reason = unusable_reason(orders, stock, shipping)
    if reason:
        raise UnusableInput(reason)

    result, records, states = picking.next_batch(orders, stock, shipping, _batch_records(book), rules, as_of)
    _write_pick_sheets(book, result, records, states)

    if result.batch_id:
        message = (f"拣货批次 {result.batch_id}:{result.order_count} 单,{int(result.lines['数量'].sum())} 件,"
                   f"{len(result.wave)} 个拣货行(见「汇总拣货单」「按单拣货单」)。")
    else:
        message = "没有新的可拣订单。"
    if len(result.shortages):
        message += f"缺货 {result.shortages['订单号'].nunique()} 单整单未拣(见「缺货」,请客服告知买家)。"
    if len(result.held):
        message += f"数据有问题暂缓 {result.held['订单号'].nunique(dropna=False)} 单(见「暂缓拣货」;按「校验」可标出问题单元格)。"
    if result.open_batches:
        message += f"未完成的批次 {'、'.join(result.open_batches)} 中的订单不再重复拣货。"
    if used:
        message += f"另读取了 {'、'.join(used)}。"
    if len(rule_findings):  # the pick list has no 问题 sheet: the rules workbook's findings go in the message
        message += f"规则工作簿有问题({counts_text(rule_findings)}):" + ";".join(rule_findings["message"])
    return message


def _write_pick_sheets(book, result, records: pd.DataFrame, states: pd.DataFrame) -> None:
    """The pick list's generated sheets (shopbook.picking.lists, as the CLI's workbook has them)."""
    from shopbook.picking.lists import listings

    for name, listing in listings(result, records, states).items():
        cols = listing.columns
        replace_sheet(book, name, listing.table(), text_columns=[c.header for c in cols if c.kind == "id"],
                      number_formats={c.header: TIME for c in cols if c.kind == "time"},
                      title=(listing.title, listing.info) if listing.printable else (),
                      widths={c.header: c.width for c in cols})


# --- 快递对账 ----------------------------------------------------------------------------------
def reconcile_book(book, as_of: dt.datetime | None = None, rules_path: Path | None = None) -> str:
    """快递对账: the bill sheet(s) of this book against the shipping register beside it
    (发货.xlsx, else 台账.xlsx) into 对账汇总, 争议明细 and 未计费 — the CLI's run (read_inputs →
    compute → lists); bill cells with findings marked."""
    from shopbook.courier import lists
    from shopbook.courier.run import read_inputs

    as_of = as_of or now()
    rules_path = rules_path or rules_path_for(book)
    rules, rule_findings = load_rules(rules_path)
    register_path = beside(book, "发货", LEDGER)
    if register_path is None:
        raise UnusableInput(f"{file_name(book)}: 找不到发货登记。请把 发货.xlsx(或含发货表的 台账.xlsx)放在"
                            f"本工作簿所在的文件夹,再按「快递对账」。")
    names = [s.name for s in book.sheets if s.name not in OUTPUT_SHEETS]
    with tempfile.TemporaryDirectory() as folder:
        copy = save_sheets(book, names, Path(folder) / f"{book_path(book).stem}.xlsx")

        def here(exc) -> str:  # the copy stands for the book
            return str(exc).replace(str(copy), file_name(book))

        def wrong_bill(exc) -> UnusableInput:
            return UnusableInput(here(exc) + "请把快递公司的月结账单粘贴到本工作簿,发货登记放在同一文件夹的 发货.xlsx 或 台账.xlsx。")

        def wrong_register(exc) -> UnusableInput:
            return UnusableInput(f"{exc}「快递对账」从本工作簿所在文件夹的 发货.xlsx(或 台账.xlsx)读取发货登记,请放入发货登记表。")
        try:
            inputs = read_inputs([copy], register_path, rules, rule_findings, register_sheet=None,
                                 wrong_bill=wrong_bill, wrong_register=wrong_register)
        except UnusableInput as exc:
            raise UnusableInput(here(exc)) from None
    inputs.bills.strip_source_prefix(f"{copy.name}:")  # several bill sheets are named file:sheet: here the book's
    result, findings = inputs.compute(as_of)

    unmarked = show_findings(book, findings)
    sources = [register_path.name, rules_path.name if rules_path else "内置价格表"]
    replace_sheet(book, lists.SUMMARY_SHEET, lists.summary_frame(result),
                  number_formats={v: MONEY for v in lists.FIGURE_LABELS.values()},
                  title=lists.summary_title(result, sources, as_of))
    for listing in (lists.disputes(result, inputs.proof), lists.not_billed(result)):
        _table(book, listing)
    s = result.summary
    return (f"快递对账完成:账单 {len(result.lines)} 行,争议/索赔/抵扣 {len(result.disputes())} 行,已发货未计费 "
            f"{s['counts'][lists.NOT_BILLED]} 件;账单 {s['bill_total'] / 100:,.2f} 元,应付 {s['net_payable'] / 100:,.2f} 元"
            f"(见「对账汇总」「争议明细」「未计费」)。问题:{counts_text(findings)}。" + marked_text(unmarked))


def _table(book, listing) -> None:
    """A list sheet laid out as the CLI's result workbook lays it out (shopbook.courier.lists)."""
    formats = {"money": MONEY, "kg": KG, "date": DATE}
    replace_sheet(book, listing.name, listing.shown(),
                  text_columns=[h for h, _, kind in listing.columns if kind in ("waybill", "text")],
                  number_formats={h: formats[kind] for h, _, kind in listing.columns if kind in formats},
                  widths={h: w for h, w, _ in listing.columns})


# --- 计算工资 ----------------------------------------------------------------------------------
def payroll_book(book, month: dt.date | None = None, as_of: dt.datetime | None = None,
                 rules_path: Path | None = None) -> str:
    """计算工资: the month's pay from the book's 员工/考勤/绩效/个税累计/责任金台账 into 工资表,
    工资条, 银行代发 (+ 未代发名单) and next month's 下月个税累计/下月责任金台账."""
    from shopbook.core.months import month_label
    from shopbook.payroll.job import compute_payroll
    from shopbook.payroll.run import attach_records, folder_records, month_to_pay, read_payroll_book
    from shopbook.rules.pay import load_pay_scheme

    rules, rule_findings = load_rules(rules_path or rules_path_for(book))
    scheme, scheme_findings = load_pay_scheme(rules)
    tables = read_payroll_book(read_workbook(book, skip=OUTPUT_SHEETS))
    month = month or month_to_pay(tables, as_of or now())
    if folder_of(book):  # the 绩效 figures 绩效 leaves blank, from the records beside the workbook
        attach_records(tables, folder_records(folder_of(book), book_path(book), rules_path or rules_path_for(book)),
                       rules, month)
    result, found = compute_payroll(tables, scheme, month, as_of=(as_of or now()).date())
    result.check_bank_total()
    findings = fnd.combine([rule_findings, scheme_findings, found])
    unmarked = show_findings(book, findings)
    excel_lists.write_payroll(book, result, errors=int((findings["severity"] == "error").sum()) if len(findings) else 0)

    t = result.totals
    message = (f"{month_label(month)} 工资:{len(result.slips)} 人,应发合计 {t['gross']:,.2f},实发合计 {t['net']:,.2f};"
               f"银行代发 {len(result.bank)} 人,合计 {result.bank_total:,.2f}。问题:{counts_text(findings)}。")
    if len(result.left_out):
        message += f"{len(result.left_out)} 人未列入银行代发(见「未代发名单」)。"
    if (findings["severity"] == "error").any() if len(findings) else False:
        message += "有错误未改正,「银行代发」表首行已标明未核对,仅供核对,请勿直接提交银行。"
    message += ("下月计算前,请把「下月个税累计」「下月责任金台账」的内容复制到「个税累计」「责任金台账」。"
                + marked_text(unmarked))
    return message


# --- 打印交接单 --------------------------------------------------------------------------------
HANDOVER_BESIDE = ("快递交接", "交接")  # the 快递交接 record beside the 发货 workbook, when the book has none


def handover_book(book, as_of: dt.datetime | None = None, rules_path: Path | None = None) -> str:
    """打印交接单: the day's 交接单 (one per courier) from the book's 发货 register and its 快递交接
    record (the book's own sheet, else 快递交接.xlsx or 交接.xlsx beside it), with 交接核对,
    今日发货清单 and 底单归档; cells with findings marked. The day is the latest with parcels."""
    from shopbook.handover import job
    from shopbook.handover.run import read_inputs

    as_of = as_of or now()
    rules, rule_findings = load_rules(rules_path or rules_path_for(book))
    workbook = read_workbook(book, skip=OUTPUT_SHEETS)
    tables, sources = read_inputs(workbook)
    if tables.handover is None and (record := beside(book, *HANDOVER_BESIDE)) is not None:
        tables, sources = read_inputs(workbook, record)
    day = job.last_shipping_day(tables, rules, as_of)
    result, found = job.compute(tables, rules, as_of, first=day, last=day)
    findings = fnd.combine([rule_findings, found])

    unmarked = show_findings(book, findings)
    slips = handover_lists.slips(result)
    excel_lists.write_slips(book, handover_lists.SLIP_SHEET, slips, handover_lists.SLIP_COLUMNS, result.has_handover)
    for listing in (handover_lists.check_listing(result), handover_lists.shipped_listing(result),
                    handover_lists.archive_listing(result, sources)):
        excel_lists.write_columns(book, listing.name, (listing.title, listing.info), listing.columns, listing.frame,
                                  listing.links)
    parcels = sum(s.parcels for s in slips)
    checked = ("核对了快递交接表" if result.has_handover else
               "没有快递交接表(本工作簿或同一文件夹的 快递交接.xlsx),只打印交接单")
    return (f"交接单 {day:%Y-%m-%d}:{len(slips)} 张,{parcels} 件(见「{handover_lists.SLIP_SHEET}」,每家快递一页);"
            f"{checked}。问题:{counts_text(findings)}。" + marked_text(unmarked))


# --- 今日待办 ----------------------------------------------------------------------------------
TODAY_BESIDE = (LEDGER, "订单", "发货", "退换货")  # the ledger beside the 客服 workbook (each that exists)


def today_book(book, as_of: dt.datetime | None = None, rules_path: Path | None = None) -> str:
    """今日待办: the 客服 day's lists from the book's registers (评价, 投诉, 交接班, 联系记录) and the
    ledger beside it (台账, 订单, 发货, 退换货 .xlsx/.xlsm, each found) into 今日概览, one
    「待办-…」 sheet per list, sorted by deadline, and 客服绩效; register cells with findings marked."""
    from shopbook.today import job
    from shopbook.today.run import read_inputs

    as_of = as_of or now()
    rules, rule_findings = load_rules(rules_path or rules_path_for(book))
    others = [p for p in dict.fromkeys(beside(book, stem) for stem in TODAY_BESIDE) if p is not None]
    inputs = read_inputs([read_workbook(book, skip=OUTPUT_SHEETS), *others], rules, as_of)
    result, found = job.compute(inputs.tables, rules, as_of, None)
    findings = fnd.combine([rule_findings, inputs.findings, found])

    unmarked = show_findings(book, findings)
    for sheet in today_lists.sheets(result, findings, rules):
        if sheet.name == today_lists.ISSUES:
            continue  # the 问题 sheet is show_findings', linked to the marked cells
        name = TODAY_PREFIX + sheet.name if sheet.name in job.LISTS else sheet.name
        targets = sheet.frame["_target"] if "_target" in sheet.frame else [None] * len(sheet.frame)
        links = [(None, TODAY_PREFIX + t, "A1") if sheet.internal_links else excel_lists.source_cell(inputs.sources, t)
                 for t in targets]
        excel_lists.write_columns(book, name, (sheet.title, sheet.info) if sheet.printable else (), sheet.columns,
                                  sheet.frame, links)
    total, late = sum(result.counts.values()), sum(result.overdue.values())
    read = f"另读取了 {'、'.join(p.name for p in others)}。" if others else "同一文件夹没有台账/订单/发货表,只列登记表的事项。"
    return (f"今日待办 {as_of:%Y-%m-%d %H:%M}:共 {total} 项,逾期 {late} 项(见「{today_lists.OVERVIEW}」)。{read}"
            f"登记表问题:{counts_text(findings)}。" + marked_text(unmarked))

