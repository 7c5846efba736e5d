"""File adapter of `shopbook handover`: read the shipping register and the 快递交接 record
(the same workbook or a workbook of its own), run the pure job, hold the run (exit code, JSON,
report), write the 交接单 workbook. Also reads the handover for the reconciliation's evidence.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shopbook.core import report
from shopbook.core import findings as fnd
from shopbook.handover import job
from shopbook.handover.evidence import Proof
from shopbook.handover.job import HandoverResult, Tables
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import Workbook, as_workbook, open_workbook
from shopbook.reading.tables import Table, assign_sheets, parse_table, read_table, require
from shopbook.courier.job import kg_text
from shopbook.core.money import fen_text
from shopbook.core.places import province_short
from shopbook.rules import Rules, load_rules
from shopbook.sheets.courier_handover import COURIER_HANDOVER
from shopbook.sheets.shipping import SHIPPING
from shopbook.writing.safe import refuse_if_open

DEFAULT_OUTPUT = "交接单.xlsx"


# --- reading ----------------------------------------------------------------------------------
def _same(a: Path | None, b: Path | None) -> bool:
    return a is not None and b is not None and Path(a).resolve() == Path(b).resolve()


def read_inputs(register: Path | Workbook, handover: Path | None = None) -> tuple[Tables, dict[str, tuple[Path, str]]]:
    """The 发货 table of REGISTER (a file, or a workbook already open: the Excel button's) and the
    快递交接 table of HANDOVER (or, without it, of REGISTER when it holds one). Sheets are found as
    validate finds them (name, alias, headers), so an orders sheet is never taken for the register.
    Returns the tables and, per finding sheet label, the (file, sheet) it points at (labels carry
    the file name when two files share a sheet name)."""
    from shopbook.sheets.validate import SHEET_KINDS

    book = as_workbook(register)
    register = book.path
    found = assign_sheets(book, [kind for kind, _, _ in SHEET_KINDS])
    if SHIPPING.name not in found:
        require(None, book, SHIPPING)
    name, pos = found[SHIPPING.name]
    shipping = parse_table(book.sheet(name), SHIPPING, pos)
    sources = {shipping.sheet: (Path(register), shipping.sheet)}
    hand: Table | None = None
    if handover is not None and not _same(handover, register):
        other = open_workbook(handover)
        hand = require(read_table(other, COURIER_HANDOVER), other, COURIER_HANDOVER)
        if hand.sheet == shipping.sheet:  # two files, one sheet name: say which file
            label = f"{Path(handover).name}:{hand.sheet}"
            hand.findings = hand.findings.assign(sheet=label)
            hand.sheet = label
            sources[label] = (Path(handover), label.split(":", 1)[1])
        else:
            sources[hand.sheet] = (Path(handover), hand.sheet)
    elif COURIER_HANDOVER.name in found:
        name, pos = found[COURIER_HANDOVER.name]
        hand = parse_table(book.sheet(name), COURIER_HANDOVER, pos)
        sources[hand.sheet] = (Path(register), hand.sheet)
    elif handover is not None:
        require(None, book, COURIER_HANDOVER)
    return Tables(shipping, hand), sources


def proof_for(shipments: Path, register: pd.DataFrame, handover: Path | None, rules: Rules) -> Proof | None:
    """The handover evidence for the reconciliation: from HANDOVER when given (it must hold a
    快递交接 sheet), else from a sheet named 快递交接 (or an alias) in the shipments workbook;
    None when there is none. Only sheets so named are read, so a big register is not read twice."""
    if handover is not None:
        book = open_workbook(handover)
        table = require(read_table(book, COURIER_HANDOVER), book, COURIER_HANDOVER)
    else:
        if Path(shipments).suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
            return None
        table = read_table(open_workbook(shipments), COURIER_HANDOVER, fallback=False)
        if table is None:
            return None
    return Proof.build(register, table.data, rules)


# --- the run ----------------------------------------------------------------------------------
@dataclass
class HandoverRun:
    result: HandoverResult
    findings: pd.DataFrame
    register: Path
    handover: Path | None
    sources: dict = field(default_factory=dict)
    output: Path | None = None

    @property
    def exit_code(self) -> int:
        """1 when a finding is an error (a count that does not match, a parcel not handed over, a
        missing signature or 底单…), else 0; unusable input never gets here (2)."""
        return report.exit_code(self.findings)

    def counts(self) -> dict:
        by_code = self.findings["code"].value_counts()
        return {code: int(by_code.get(code, 0)) for code in (
            "handover-count-mismatch", "handover-missing", "handover-unregistered", "handover-unsigned",
            "handover-slips-missing", "handover-weight-differs", "handover-price-differs", "handover-not-archived",
            "weight-missing", "fee-missing")}

    def as_json(self) -> dict:
        r = self.result
        summary = fnd.summary(self.findings)
        lines = r.lines
        summary.update({
            "from": f"{r.first:%Y-%m-%d}", "to": f"{r.last:%Y-%m-%d}", "parcels": int(lines["parcels"].sum()),
            "waybills": len(lines), "handover_lists": int(len(lines.groupby(job.KEYS))) if len(lines) else 0,
            "handover_record": r.has_handover, "checks": self.counts(),
        })
        out = {"summary": summary, "pickups": pickups_json(r), "lists": lists_json(r), "archive": archive_json(r),
               "findings": fnd.records(self.findings)}
        if self.output:
            out["output"] = str(self.output)
        return out

    def report(self, limit: int = 30) -> str:
        r = self.result
        lines = r.lines
        span = f"{r.first:%Y-%m-%d}" if r.first == r.last else f"{r.first:%Y-%m-%d} 至 {r.last:%Y-%m-%d}"
        lists = len(lines.groupby(job.KEYS)) if len(lines) else 0
        out = [f"快递交接 {span}: 发货 {int(lines['parcels'].sum()) if len(lines) else 0} 件({len(lines)} 个单号),"
               f"交接单 {lists} 张(每家快递每天一张)。"]
        if not len(lines):
            out.append("  这段时间的发货记录中没有包裹。")
        if not r.has_handover:
            out.append("没有快递交接表:只打印交接单,没有核对交接(交接表模板见 workbooks/快递交接.xlsx)。")
        c = self.counts()
        words = (("handover-count-mismatch", "件数不符", "次"), ("handover-missing", "未交接", "件"),
                 ("handover-unregistered", "交接了发货记录中没有的包裹", "次"), ("handover-unsigned", "快递员未签字", "次"),
                 ("handover-slips-missing", "底单未收", "次"), ("handover-weight-differs", "称重不符", "次"),
                 ("handover-price-differs", "报价不符", "次"), ("weight-missing", "没填重量", "件"),
                 ("fee-missing", "没填运费", "件"))
        if r.has_handover or c["weight-missing"] or c["fee-missing"]:
            found = [f"{text} {c[code]} {unit}" for code, text, unit in words if c[code]]
            out.append("核对: " + (",".join(found) if found else "交接件数、签字、底单都与发货记录相符") + "。")
        archive = r.archive
        todo = archive[archive["item"] == job.TODO_ARCHIVE] if len(archive) else archive
        apart = archive[archive["item"] != job.TODO_ARCHIVE] if len(archive) else archive
        if len(todo):
            out.append(f"底单待归档 {len(todo)} 份(保存超过规定天数):")
            for a in todo.head(limit).itertuples(index=False):
                out.append(f"  {a.day:%Y-%m-%d} {a.courier} {a.couriers or ''}: {a.note}")
        if len(apart):
            out.append(f"单独存放的底单 {len(apart)} 张:")
            for a in apart.head(limit).itertuples(index=False):
                out.append(f"  {a.day:%Y-%m-%d} {a.courier} {a.waybill}: {a.note}")
        f = self.findings
        if len(f):
            out.append(f"\n问题: {report.counts_text(f)}" + ("(详见交接单工作簿的「问题」表)" if self.output else ""))
            out += report.listed(f, limit)
            if len(f) > limit:
                out.append(f"  …… 另有 {len(f) - limit} 条,见 --json 或「问题」表。")
        if self.output:
            out.append(f"\n已写出交接单: {self.output}")
        return "\n".join(out)




def _kg(grams, unknown=False) -> float | None:
    if unknown or grams is None or grams is pd.NA or grams != grams or grams < 0:
        return None
    return float(kg_text(int(grams)))


def _flag(value) -> bool | None:
    """A yes/no of a merged frame (NaN where that side is missing) as True, False or None."""
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else bool(value)


def pickups_json(r: HandoverResult) -> list[dict]:
    out = []
    for p, verdict in zip(r.pickups.to_dict("records"), r.pickups["result"]):
        couriers = p.get("couriers")
        out.append({
            "date": f"{p['day']:%Y-%m-%d}", "courier": p["courier"],
            "couriers": couriers if isinstance(couriers, str) else None,
            "registered": job._int(p.get("registered")), "handed": job._int(p.get("handed")),
            "shop_weight": _kg(p.get("shop_g"), _flag(p.get("shop_unknown")) is not False),
            "courier_weight": _kg(p.get("courier_g")),
            "table_fee": fen_text(p.get("table_fen")) if _flag(p.get("table_unknown")) is False else None,
            "courier_fee": fen_text(p.get("courier_fen")),
            "signed": _flag(p.get("signed")) if job._int(p.get("first_row")) is not None else None,
            "slips_received": _flag(p.get("slips")) if job._int(p.get("first_row")) is not None else None,
            "archived": None if pd.isna(p.get("archived")) else f"{p['archived']:%Y-%m-%d}",
            "result": verdict,
        })
    return out


def lists_json(r: HandoverResult) -> list[dict]:
    out = []
    for (day, courier), group in r.lines.groupby(job.KEYS, sort=False):
        unknown = bool(group["unknown"].any())
        unpriced = not bool(group["priced"].all())
        out.append({
            "date": f"{day:%Y-%m-%d}", "courier": courier, "parcels": int(group["parcels"].sum()),
            "weight": _kg(int(group["grams"].sum()), unknown),
            "fee": None if unpriced else fen_text(int(group["fee"].fillna(0).sum())),
            "waybills": [{"waybill": w, "province": province_short(p) if isinstance(p, str) else None,
                          "parcels": int(n), "weight": _kg(g, u), "fee": fen_text(fee) if ok else None}
                         for w, p, n, g, u, fee, ok in zip(group["waybill"], group["province"], group["parcels"],
                                                           group["grams"], group["unknown"], group["fee"],
                                                           group["priced"])],
        })
    return out


def archive_json(r: HandoverResult) -> list[dict]:
    def text(v):
        return v if isinstance(v, str) else None
    return [{"item": a["item"], "date": f"{a['day']:%Y-%m-%d}", "courier": text(a["courier"]),
             "waybill": text(a["waybill"]), "status": text(a["status"]), "note": a["note"]}
            for a in r.archive.to_dict("records")]


def _day(text: str | dt.date | None) -> dt.date | None:
    if text is None or isinstance(text, dt.date):
        return text
    from shopbook.reading.cells import parse_date
    parsed, problems = parse_date(pd.Series([text], dtype=object))
    if pd.isna(parsed.iloc[0]):
        raise UnusableInput(f"无法识别的日期 {text!r},请写成 2026-10-05。")
    return parsed.iloc[0].date()


def _in_sheet_order(findings: pd.DataFrame, sources: dict) -> pd.DataFrame:
    """Rule findings first, then the register's, then the handover's, each by row."""
    if findings.empty:
        return findings
    order = {label: i for i, label in enumerate(sources)}
    keyed = findings.assign(_sheet=findings["sheet"].map(order).fillna(-1),
                            _row=pd.to_numeric(findings["row"], errors="coerce").fillna(0))
    return keyed.sort_values(["_sheet", "_row"], kind="stable").drop(columns=["_sheet", "_row"]).reset_index(drop=True)


def default_output(register: Path) -> Path:
    """交接单.xlsx beside the register."""
    return Path(register).parent / DEFAULT_OUTPUT


def run_handover(register: Path, handover: Path | None = None, *, rules_path: Path | None = None,
                 as_of: dt.datetime, first=None, last=None, output: Path | None = None,
                 show_progress: bool = False) -> HandoverRun:
    """Read the register (and the handover), check the period, write the 交接单 workbook."""
    from shopbook.handover.xlsx import write_handover
    from shopbook.sheets.run import progress

    register = Path(register)
    handover = Path(handover) if handover is not None else None
    output = Path(output) if output is not None else default_output(register)
    if output.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UnusableInput(f"{output}: 交接单只能写成 .xlsx 工作簿。")
    for path in (register, handover, rules_path):
        if _same(output, path):
            raise UnusableInput(f"{output}: 输出文件不能与输入文件相同,请用 -o 另指定一个交接单工作簿。")
    refuse_if_open(output)
    rules, rule_findings = load_rules(rules_path)
    with progress("正在读取发货记录和快递交接表 …", show_progress):
        tables, sources = read_inputs(register, handover)
    with progress("正在核对交接 …", show_progress):
        result, findings = job.compute(tables, rules, as_of, first=_day(first), last=_day(last))
    run = HandoverRun(result, _in_sheet_order(fnd.combine([rule_findings, findings]), sources), register, handover,
                      sources)
    with progress("正在写出交接单 …", show_progress):
        run.output = write_handover(output, run)
    return run
