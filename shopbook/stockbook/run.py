"""The stock ledger from files: read the workbooks (each sheet kind found by sheet name, alias or
header row, in whichever workbook holds it), run the pure job, write the result workbook; the
run object the CLI and the demo print."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from shopbook.core import report
from shopbook.core import findings as fnd
from shopbook.sheets.context import Sheets
from shopbook.sheets.orders import ORDERS
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import open_workbook
from shopbook.reading.tables import assign_sheets, parse_table, read_table
from shopbook.sheets.returns import RETURNS
from shopbook.rules import Rules, load_rules
from shopbook.sheets.adjustments import ADJUSTMENTS
from shopbook.sheets.inbound import INBOUND
from shopbook.sheets.opening import OPENING
from shopbook.sheets.purchases import PURCHASES
from shopbook.sheets.shipping import SHIPPING
from shopbook.sheets.stock import STOCK
from shopbook.stockbook import job
from shopbook.stockbook.lists import listings
from shopbook.stockbook.xlsx import write_workbook

KINDS = (ORDERS, SHIPPING, RETURNS, STOCK, INBOUND, PURCHASES, ADJUSTMENTS, OPENING)
ATTR = {ORDERS.name: "orders", SHIPPING.name: "shipping", RETURNS.name: "returns", STOCK.name: "stock",
        INBOUND.name: "inbound", PURCHASES.name: "purchases", ADJUSTMENTS.name: "adjustments", OPENING.name: "opening"}
DEFAULT_OUTPUT = "库存结果.xlsx"
# of the shop's other registers only the columns the ledger reads are parsed (a year of order
# lines is the biggest sheet of all); their own checks are validate's
USED = {ORDERS.name: ("订单号", "商品编码", "商品名称", "颜色", "尺码", "数量"),
        SHIPPING.name: ("发货日期", "订单号", "快递公司", "快递单号", "类型", "状态", "商品编码", "数量", "颜色", "尺码"),
        RETURNS.name: ("登记日期", "订单号", "类型", "商品编码", "数量", "商品状态", "状态", "退回快递单号", "收货日期",
                       "归位日期")}


def _parsed_kind(kind):
    """The kind as the ledger parses it: only the columns it reads (USED), none of them required."""
    if kind.name not in USED:
        return kind
    keep = USED[kind.name]
    return replace(kind, columns=tuple(replace(c, required=False) for c in kind.columns if c.name in keep))


@dataclass
class Inputs:
    tables: Sheets
    sources: dict[str, Path]  # sheet name -> the workbook it came from (for links)
    notes: pd.DataFrame


def read_inputs(paths: list[Path], opening: Path | None, rules: Rules, as_of: dt.datetime) -> Inputs:
    """Every sheet kind of the stock ledger from the workbooks, first workbook first; the 期初 of
    `opening` (a previous result) takes the place of one found in the workbooks."""
    tables = Sheets(rules=rules, as_of=as_of)
    sources: dict[str, Path] = {}
    seen: dict[str, list[tuple[str, str]]] = {}  # kind -> (file, sheet) of every sheet found
    for path in paths:
        book = open_workbook(path)
        found = assign_sheets(book, list(KINDS))
        for kind in KINDS:
            if kind.name not in found:
                continue
            name, header_pos = found[kind.name]
            seen.setdefault(kind.name, []).append((path.name, name))
            if getattr(tables, ATTR[kind.name]) is None:
                setattr(tables, ATTR[kind.name], parse_table(book.sheet(name), _parsed_kind(kind), header_pos))
                sources.setdefault(name, path)
    if opening is not None:
        book = open_workbook(opening)
        table = read_table(book, OPENING)
        if table is None:
            raise UnusableInput(f"{opening}: 找不到「期初」表(上一期库存结果中的期初表,按工作表名 "
                                f"{'/'.join((OPENING.name,) + OPENING.sheet_aliases)} 或表头查找)。")
        tables.opening = table
        sources[table.sheet] = opening
    shown = {kind: [f"{file}「{sheet}」" for file, sheet in hits] for kind, hits in seen.items()}
    notes = [fnd.sheet_level(hits[0][1], "stock-several-sources", what=kind, files="、".join(shown[kind]),
                             used=shown[kind][0])
             for kind, hits in seen.items() if len(hits) > 1 and not (kind == OPENING.name and opening)]
    if tables.stock is None and tables.opening is None:
        names = "、".join(p.name for p in paths)
        raise UnusableInput(f"{names}: 找不到「库存」表或「期初」表,无法确定期初库存(库存表按工作表名 "
                            f"{'/'.join((STOCK.name,) + STOCK.sheet_aliases)} 或表头查找)。")
    return Inputs(tables, sources, fnd.combine(notes))


def sellable_for(paths: list[Path], rules: Rules, as_of: dt.datetime) -> pd.Series | None:
    """可售 per stock key computed from the movements in these workbooks (None when they hold no
    入库 or 库存调整): what `picklist --movements` allocates from."""
    inputs = read_inputs([p for p in paths if p is not None], None, rules, as_of)
    if not inputs.tables.has_movements():
        return None
    return job.sellable(inputs.tables, rules, as_of)


@dataclass
class StockRun:
    result: job.StockResult
    findings: pd.DataFrame
    paths: list[Path]
    output: Path | None = None
    sources: dict = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return report.exit_code(self.findings)

    def as_json(self) -> dict:
        data = self.result.as_json()
        data["findings"] = fnd.records(self.findings) if len(self.findings) else []
        data["summary"] = fnd.summary(self.findings)
        data["output"] = str(self.output) if self.output else None
        return data

    def headline(self) -> str:
        r, t = self.result, self.result.totals
        moves = int((r.movements["kind"] != job.OPENING).sum())
        reorder = int((r.balances["建议补货"] > 0).sum())
        s = fnd.summary(self.findings)
        return (f"库存 {r.start.isoformat()} 至 {r.end.isoformat()}: {len(r.balances)} 个商品,流水 {moves} 条"
                f"(入库 {t['入库']} 件,出库 {t['出库']} 件,退货入库 {t['退货入库']} 件,调整 {t['调整']:+d} 件),"
                f"期末账面 {t['期末账面']} 件(可售 {t['可售']},残次 {t['残次']}),需补货 {reorder} 个;"
                f"错误 {s['errors']},警告 {s['warnings']}")

    def report(self, limit: int = 200) -> str:
        lines = [self.headline() + "。"]
        lines += report.by_sheet(self.findings, limit, "见 --json 或结果工作簿的「问题」表。")
        if self.output:
            lines.append(f"\n已写出: {self.output}(库存结存、库存流水、残次库、盘点表、入库异常、期初、问题)")
            lines.append("下一期: 把「期初」表复制到仓库工作簿,或用 --opening 指定本结果工作簿。")
        return "\n".join(lines)


def default_output(paths: list[Path]) -> Path:
    return paths[0].parent / DEFAULT_OUTPUT


def run_stock(paths: list[Path], *, opening: Path | None = None, start: dt.date | None = None,
              end: dt.date | None = None, rules_path: Path | None = None, as_of: dt.datetime,
              output: Path | None = None, show_progress: bool = False) -> StockRun:
    """Read, compute, write. UnusableInput (exit 2) for inputs the job cannot use."""
    from shopbook.sheets.run import progress

    paths = [Path(p) for p in paths]
    output = Path(output) if output else default_output(paths)
    if output.suffix.lower() != ".xlsx":
        raise UnusableInput(f"{output}: 结果只能写成 .xlsx 工作簿。")
    for p in [*paths, *([Path(opening)] if opening else []), *([Path(rules_path)] if rules_path else [])]:
        if output.resolve() == p.resolve():
            raise UnusableInput(f"{output}: 输出文件不能与输入工作簿相同,请另选文件名(-o)。")
    if start and end and start > end:
        raise UnusableInput(f"期间无效: --from {start.isoformat()} 晚于 --to {end.isoformat()}。")
    rules, rule_findings = load_rules(rules_path)
    with progress("正在计算库存 …", show_progress):
        inputs = read_inputs(paths, Path(opening) if opening else None, rules, as_of)
        result, found = job.compute(inputs.tables, rules, as_of, start, end)
        if result is None:
            raise UnusableInput(found["message"].iloc[0])
        findings = fnd.combine([rule_findings, inputs.notes, found])
        run = StockRun(result, findings, paths, sources=inputs.sources)
        run.output = write_workbook(output, listings(result, findings), inputs.sources)
    return run
