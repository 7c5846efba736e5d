"""One small function per workbook button: read the sheets through xlwings, call the same
library functions as the CLI, write the results back (SPEC §Excel).

Each takes the xlwings Book (`xw.Book.caller()` in Excel, `xw.Book(json=...)` in the tests
and on a server) and returns the one-line Chinese summary the entry point shows. Input
the job cannot use raises `UnusableInput`, whose message the entry point shows as is.

Where a job needs a workbook the button's book does not hold, it is looked for in the
book's own folder (see `beside`): 规则.xlsx for every job; 库存/发货 for the pick list when
the book has no such sheet (库存.xlsx, else 台账.xlsx); the shipping register for the
courier reconciliation (发货.xlsx, else 台账.xlsx). The .xlsm versions count too.

Generated sheets are deleted and written again at the end of the book; the clerk's own
sheets are only ever marked (fills and notes on cells with findings), never changed.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.excel import engine
from shopbook.excel.book import book_path, read_workbook, save_sheets
from shopbook.excel.results import delete_sheet, replace_sheet, replace_sheet_rows, show_findings
from shopbook.reading.cells import fen_text
from shopbook.reading.files import UnusableInput, open_workbook
from shopbook.reading.tables import read_table, require
from shopbook.rules import load_rules
from shopbook.sheets.validate import validate
from shopbook.writing.annotate import ISSUES_SHEET

RULES_WORKBOOK = "规则.xlsx"  # kept next to the shop's workbooks (template: workbooks/规则.xlsx)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
LEDGER = "台账"  # the one-workbook ledger (订单, 发货, 退换货, 库存 sheets)

# sheets the buttons write; never read back as input
PICK_SHEETS = ("汇总拣货单", "按单拣货单", "缺货", "暂缓拣货", "拣货批次")  # = picking_io.GENERATED
RECONCILE_SHEETS = ("对账汇总", "争议明细", "未计费")
PAYROLL_SHEETS = ("工资表", "工资条", "银行代发", "未代发名单", "下月个税累计", "下月责任金台账", "奖罚评分表")
BUTTONS_SHEET = "操作"  # the .xlsm's first sheet, holding the buttons (scripts/make_xlsm.py)
OUTPUT_SHEETS = (ISSUES_SHEET, BUTTONS_SHEET) + PICK_SHEETS + RECONCILE_SHEETS + PAYROLL_SHEETS

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


def counts_text(findings) -> str:
    severity = findings["severity"].value_counts() if len(findings) else pd.Series(dtype=int)
    return f"错误 {severity.get('error', 0)},警告 {severity.get('warning', 0)},提示 {severity.get('info', 0)}"


def marked_text(unmarked: int) -> str:
    return f"问题单元格太多,另有 {unmarked} 个单元格没有标色,请看「{ISSUES_SHEET}」表。" if unmarked else ""


# --- 校验 ------------------------------------------------------------------------------------
def validate_book(book, as_of: dt.datetime | None = None, rules_path: Path | None = None) -> str:
    """校验: check every 订单/发货/退换货/库存 sheet of the book and mark what is wrong."""
    rules, rule_findings = load_rules(rules_path or rules_path_for(book))
    result = validate(read_workbook(book, skip=OUTPUT_SHEETS), rules, as_of or now(), rule_findings)
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
    reason = picking.unusable_reason(orders, stock, shipping)
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


def _stamp(result) -> str:
    batch = f"批次 {result.batch_id}" if result.batch_id else "无新批次"
    return f"{batch}    拣货时间 {result.picked_at:%Y-%m-%d %H:%M}"


def _write_pick_sheets(book, result, records: pd.DataFrame, states: pd.DataFrame) -> None:
    from shopbook.sheets.orders import COD

    ids = ("订单号", "商品编码", "批次号")
    wave = result.wave
    wave.insert(0, "序号", range(1, len(wave) + 1))
    wave["已拣"] = None
    replace_sheet(book, "汇总拣货单", wave, text_columns=ids, title=(
        "汇总拣货单", f"{_stamp(result)}    订单 {result.order_count} 单,按库位顺序排列,一趟拣完"),
        widths={"商品名称": 26, "商品编码": 16})

    lines = result.lines.copy()
    first = ~lines["订单号"].duplicated()
    cod = lines["付款时间"].isna() & (lines["付款方式"] == COD)
    lines["付款时间"] = lines["付款时间"].astype(object).where(~cod, COD)
    by_order = pd.DataFrame({"序号": first.cumsum()})
    for column in ("订单号", "付款时间", "收件人", "快递公司", "库位", "商品编码", "商品名称", "颜色", "尺码", "规格",
                   "数量", "赠品", "顾客要求"):
        by_order[column] = lines[column]
    for column in ("序号", "订单号", "付款时间", "收件人", "快递公司", "顾客要求"):  # once per order
        by_order[column] = by_order[column].astype(object).where(first, None)
    by_order["核对"] = None
    replace_sheet(book, "按单拣货单", by_order, text_columns=ids, number_formats={"付款时间": TIME},
                  title=("按单拣货单", f"{_stamp(result)}    订单 {result.order_count} 单,按付款先后排列"),
                  widths={"订单号": 20, "商品名称": 22, "顾客要求": 26, "付款时间": 16})

    short = result.shortages.copy()
    short.insert(0, "序号", range(1, len(short) + 1))
    replace_sheet(book, "缺货", short, text_columns=ids, number_formats={"付款时间": TIME},
                  title=("缺货订单", f"{_stamp(result)}    整单未拣、不占用库存,请客服告知买家"),
                  widths={"订单号": 20, "付款时间": 16})

    held = result.held.copy()
    held.insert(0, "序号", range(1, len(held) + 1))
    replace_sheet(book, "暂缓拣货", held, text_columns=ids,
                  title=("暂缓拣货的订单", f"{_stamp(result)}    数据有问题,改正订单表/库存表后重新生成"),
                  widths={"订单号": 20, "问题": 70})

    record = records.assign(批次状态=records["批次号"].map(states["状态"]) if len(records) else None)
    replace_sheet(book, "拣货批次", record, text_columns=ids,
                  number_formats={"拣货时间": TIME, "付款时间": TIME}, widths={"订单号": 20, "拣货时间": 16})


# --- 快递对账 ----------------------------------------------------------------------------------
def reconcile_book(book, as_of: dt.datetime | None = None, rules_path: Path | None = None) -> str:
    """快递对账: the bill sheet(s) of this book against the shipping register beside it
    (发货.xlsx, else 台账.xlsx) into 对账汇总, 争议明细 and 未计费; bill cells with findings marked."""
    from shopbook.courier import job
    from shopbook.courier.run import WrongFile, place_findings, price_frame, read_bills, read_register

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
        try:
            bills = read_bills([copy], rules)
        except WrongFile as exc:
            raise UnusableInput(str(exc).replace(str(copy), file_name(book))
                                + "请把快递公司的月结账单粘贴到本工作簿,发货登记放在同一文件夹的 发货.xlsx 或 台账.xlsx。"
                                ) from None
        except UnusableInput as exc:
            raise UnusableInput(str(exc).replace(str(copy), file_name(book))) from None
    prefix = f"{copy.name}:"  # several bill sheets are named file:sheet; here they are the book's sheets
    bills.data["_source"] = bills.data["_source"].str.removeprefix(prefix)
    bills.findings["sheet"] = bills.findings["sheet"].str.removeprefix(prefix)
    bills.letters = {k.removeprefix(prefix): v for k, v in bills.letters.items()}
    bills.headers = {k.removeprefix(prefix): v for k, v in bills.headers.items()}
    try:
        register = read_register(register_path)
    except WrongFile as exc:
        raise UnusableInput(f"{exc}「快递对账」从本工作簿所在文件夹的 发货.xlsx(或 台账.xlsx)读取发货登记,"
                            f"请放入发货登记表。") from None
    result = job.reconcile(bills.data, register.data.assign(_row=register.data.index), price_frame(rules),
                           rules, as_of=as_of)
    findings = fnd.combine([rule_findings, bills.findings, register.findings, place_findings(result.findings, bills)])

    unmarked = show_findings(book, findings)
    _write_reconcile_sheets(book, result, [register_path.name, rules_path.name if rules_path else "内置价格表"], as_of)
    s = result.summary
    disputes = len(result.disputes())
    return (f"快递对账完成:账单 {len(result.lines)} 行,争议/索赔/抵扣 {disputes} 行,已发货未计费 "
            f"{s['counts'][job.NOT_BILLED]} 件;账单 {s['bill_total'] / 100:,.2f} 元,应付 {s['net_payable'] / 100:,.2f} 元"
            f"(见「对账汇总」「争议明细」「未计费」)。问题:{counts_text(findings)}。" + marked_text(unmarked))


def _fen(value):
    return None if value is None or value is pd.NA or pd.isna(value) else int(value) / 100


def _kg(value):
    return None if value is None or value is pd.NA or pd.isna(value) else int(value) / 1000


def _write_reconcile_sheets(book, result, sources: list[str], as_of: dt.datetime) -> None:
    from shopbook.courier import job
    from shopbook.courier.run import DETAIL_COLUMNS, NOT_BILLED_COLUMNS, detail_rows, not_billed_rows, sorted_disputes

    s = result.summary
    labels = {"bill_total": "账单金额", "overcharge_total": "多收(争议)", "claims_total": "索赔",
              "offsets_total": "抵扣(无法送达)", "net_payable": "应付金额"}
    rows = []
    for name, figures in list(s["by_courier"].items()) + [("合计", s)]:
        row = {"快递公司": name, "账单行数": sum(v for k, v in figures["counts"].items() if k != job.NOT_BILLED)}
        row.update({labels[k]: figures[k] / 100 for k in job.FIGURES})
        row["已发未计费"] = figures["counts"][job.NOT_BILLED]
        for category in job.CATEGORIES:
            row[job.CATEGORY_ZH[category]] = figures["counts"][category]
        rows.append(row)
    tol = result.tolerances
    replace_sheet(book, "对账汇总", pd.DataFrame(rows), number_formats={v: MONEY for v in labels.values()}, title=(
        "快递对账汇总",
        f"对账时间 {as_of:%Y-%m-%d %H:%M}    发货记录与价格表: {'、'.join(sources)}",
        f"容差: 重量 {job.kg_text(tol['weight_g'])} kg;金额 {fen_text(tol['fee_fen'])} 元。"
        "应付金额 = 账单金额 − 多收 − 索赔 − 抵扣;多收含未发货、重复计费、超重、运费不符(少收为负)。"))

    convert = {"money": _fen, "kg": _kg}

    def frame(columns, rows) -> pd.DataFrame:
        kinds = [kind for _, _, kind in columns]
        return pd.DataFrame([[convert.get(k, lambda v: v)(v) for k, v in zip(kinds, row)] for row in rows],
                            columns=[h for h, _, _ in columns])

    _table(book, "争议明细", frame(DETAIL_COLUMNS, detail_rows(result, sorted_disputes(result.disputes()))),
           DETAIL_COLUMNS)
    _table(book, "未计费", frame(NOT_BILLED_COLUMNS, not_billed_rows(result)), NOT_BILLED_COLUMNS)


def _table(book, name: str, frame: pd.DataFrame, columns) -> None:
    """A list sheet laid out as the CLI's result workbook lays it out (courier_io columns)."""
    formats = {"money": MONEY, "kg": KG, "date": DATE}
    replace_sheet(book, name, frame,
                  text_columns=[h for h, _, kind in columns if kind in ("waybill", "text")],
                  number_formats={h: formats[kind] for h, _, kind in columns if kind in formats},
                  widths={h: w for h, w, _ in columns})


# --- 计算工资 ----------------------------------------------------------------------------------
def payroll_month(tables, as_of: dt.datetime) -> dt.date:
    """The month to pay: the one after the latest 年份/截至月份 stamp of 个税累计/责任金台账
    (they hold the months already paid), else the month before `as_of` (pay is worked
    out after the month ends)."""
    from shopbook.payroll.carried import workbook_month

    stamped = workbook_month(tables)
    if stamped is not None:
        return stamped
    first = as_of.date().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def payroll_book(book, month: dt.date | None = None, as_of: dt.datetime | None = None,
                 rules_path: Path | None = None) -> str:
    """计算工资: the month's pay from the book's 员工/考勤/绩效/个税累计/责任金台账 into 工资表,
    工资条, 银行代发 (+ 未代发名单) and next month's 下月个税累计/下月责任金台账."""
    from shopbook.payroll.job import compute_payroll
    from shopbook.payroll.months import month_label
    from shopbook.payroll.run import attach_records, folder_records, read_payroll_book
    from shopbook.rules.pay import load_pay_scheme

    rules, rule_findings = load_rules(rules_path or rules_path_for(book))
    scheme, scheme_findings = load_pay_scheme(rules)
    tables = read_payroll_book(read_workbook(book, skip=OUTPUT_SHEETS))
    month = month or payroll_month(tables, as_of or now())
    if folder_of(book):  # the 绩效 figures 绩效 leaves blank, from the records beside the workbook
        attach_records(tables, folder_records(folder_of(book), book_path(book), rules_path or rules_path_for(book)),
                       rules, month)
    result, found = compute_payroll(tables, scheme, month, as_of=(as_of or now()).date())
    result.check_bank_total()
    findings = fnd.combine([rule_findings, scheme_findings, found])
    unmarked = show_findings(book, findings)
    _write_payroll_sheets(book, result, errors=int((findings["severity"] == "error").sum()) if len(findings) else 0)

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


def _write_payroll_sheets(book, result, errors: int = 0) -> None:
    """The payroll's sheets; with `errors` the 银行代发 sheet opens with a red banner row
    (the same as the CLI's result workbook) so it is never uploaded as it is."""
    from shopbook.payroll.lists import MONEY_COLUMNS, TEXT_COLUMNS, WIDTHS, strip_headers, strip_values
    from shopbook.payroll.xlsx import UNCHECKED_BANNER

    def formats(frame):
        return dict(text_columns=[c for c in frame.columns if c in TEXT_COLUMNS],
                    number_formats={c: MONEY for c in frame.columns if c in MONEY_COLUMNS},
                    widths={c: w for c, w in WIDTHS.items() if c in frame.columns and c != "说明"})

    label = f"{result.month.year} 年 {result.month.month} 月"
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
