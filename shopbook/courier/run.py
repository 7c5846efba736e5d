"""The file adapter of 快递对账: read the bill(s) and the register (shopbook.courier.inputs), run
the pure job (shopbook.courier.job.reconcile), write the result workbook (shopbook.courier.xlsx);
the run object holds the exit code, the JSON and the terminal report. No reconciliation logic here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from shopbook.core import report as run_report
from shopbook.courier import job
from shopbook.courier.inputs import (BillInput, WrongFile, bill_files, is_result_workbook, phones_from_orders,
                                     place_findings, price_frame, read_bills, read_register, swapped)
from shopbook.courier.job import CATEGORY_ZH, COUNTED, FIGURES, MATCH, Reconciliation, kg_text
from shopbook.courier.steps import bill_keys
from shopbook.courier.xlsx import write_result
from shopbook.core import findings as fnd
from shopbook.reading import fast
from shopbook.reading.together import read_together
from shopbook.core.money import fen_text
from shopbook.core.errors import UnusableInput
from shopbook.rules import Rules, load_rules
from shopbook.writing.safe import check_outputs

# --- the result ---------------------------------------------------------------------------
@dataclass
class ReconcileResult:
    result: Reconciliation
    bills: BillInput
    register: fast.FastTable
    findings: pd.DataFrame
    as_of: dt.datetime
    written: Path | None = None
    proof: object = None  # handover evidence (shopbook.handover.job.Proof) when a 快递交接 record is known

    @property
    def exit_code(self) -> int:
        return run_report.exit_code(self.findings, to_do=bool((self.result.lines["category"] != MATCH).any()))

    def as_json(self) -> dict:
        out = as_json(self.result, self.findings, self.written, self.proof)
        if self.bills.formats:  # how each bill was read: its courier's layout, units converted …
            out["summary"]["sources"] = [{"source": source, "read_as": text} for source, text in self.bills.formats]
        if self.bills.unread:
            out["summary"]["not_reconciled"] = [{"file": p.name, "reason": why} for p, why in self.bills.unread]
        return out

    def report(self, limit: int = 30) -> str:
        return report(self, limit)


def money(fen) -> str:
    return fen_text(int(fen))


def summary_json(summary: dict) -> dict:
    out = {k: money(summary[k]) for k in FIGURES}
    out["counts"] = dict(summary["counts"])
    if "by_courier" in summary:
        out["by_courier"] = {name: summary_json(s) for name, s in summary["by_courier"].items()}
    return out


def _weight(grams):
    return None if grams is None or grams is pd.NA else float(kg_text(grams))


def as_json(result: Reconciliation, findings: pd.DataFrame, written: Path | None = None, proof=None) -> dict:
    lines = result.lines
    explanation = job.explain(lines, result.tolerances)
    records = lines[["waybill", "courier", "category", "billed_weight_g", "shop_weight_g", "billed_fee",
                     "expected_fee", "amount"]].astype(object).to_dict("records")
    extras = lines["extra_fee"].fillna(0).astype("int64").to_numpy() if "extra_fee" in lines else None
    if extras is not None and not extras.any():
        extras = None  # lines carry extra_fee only when the bill charges any (保价, 上楼费 …)
    out_lines = []
    for i, (r, text) in enumerate(zip(records, explanation)):
        out_lines.append({
            "waybill": None if r["waybill"] is pd.NA else r["waybill"], "courier": r["courier"],
            "category": r["category"],
            "billed_weight": _weight(r["billed_weight_g"]), "shop_weight": _weight(r["shop_weight_g"]),
            "billed_fee": fen_text(r["billed_fee"]), "expected_fee": fen_text(r["expected_fee"]),
            "amount": fen_text(r["amount"]) or "0.00", "explanation": text,
        })
        if extras is not None:
            out_lines[-1]["extra_fee"] = fen_text(int(extras[i]))
    if proof is not None:  # the handover's evidence for each line
        from shopbook.handover.evidence import evidence_json
        for line, evidence in zip(out_lines, evidence_json(proof, lines, result.shipments)):
            line["handover"] = evidence
    nb = result.not_billed
    not_billed = [{"waybill": w, "courier": c, "ship_date": None if pd.isna(d) else d.strftime("%Y-%m-%d")}
                  for w, c, d in zip(nb["waybill"], nb["courier"], nb["date"])]
    out = {"lines": out_lines, "not_billed": not_billed, "summary": summary_json(result.summary),
           "findings": [f.as_dict() for f in fnd.to_findings(findings)]}
    if written:
        out["output"] = str(written)
    return out


def report(res: ReconcileResult, limit: int = 30) -> str:
    """The terminal report: figures per courier, the first dispute lines, findings."""
    s = res.result.summary
    lines = [f"快递对账: 账单 {len(res.result.lines):,} 行(来自 {len(res.bills.files) - len(res.bills.unread)} 个文件),"
             f"发货记录 {len(res.register.data):,} 行。"]
    if res.bills.unread:
        lines[0] += (f" 未能对账的文件 {len(res.bills.unread)} 个: "
                     + "、".join(f"{p.name}({why})" for p, why in res.bills.unread) + "。")
    for source, text in res.bills.formats:
        lines.append(f"  {source}: {text}")
    counts = ",".join(f"{CATEGORY_ZH[c]} {s['counts'][c]:,}" for c in COUNTED if s["counts"][c])
    lines.append(f"分类: {counts or '无'}")
    for name, f in s["by_courier"].items():
        lines.append(f"  [{name}] 账单 {money(f['bill_total'])} 元,多收 {money(f['overcharge_total'])},"
                     f"索赔 {money(f['claims_total'])},抵扣 {money(f['offsets_total'])},应付 {money(f['net_payable'])} 元")
    lines.append(f"合计: 账单 {money(s['bill_total'])} 元,多收 {money(s['overcharge_total'])},索赔 "
                 f"{money(s['claims_total'])},抵扣 {money(s['offsets_total'])},应付 {money(s['net_payable'])} 元")
    disputes = res.result.disputes()
    if len(disputes):
        lines.append(f"\n争议/索赔/抵扣 {len(disputes):,} 行" + (f"(前 {limit} 行)" if len(disputes) > limit else "") + ":")
        shown = disputes.head(limit)
        for (_, r), text in zip(shown.iterrows(), job.explain(shown, res.result.tolerances)):
            lines.append(f"  {r['source']} 第 {r['row']} 行 {r['waybill'] or '(无单号)'} {CATEGORY_ZH[r['category']]} "
                         f"{fen_text(r['amount'])}: {text}")
    if len(res.findings):
        lines.append(f"\n问题: {run_report.counts_text(res.findings)}"
                     + ("(详见结果工作簿的「问题」表)" if res.written else "(用 --json 或 -o 查看全部)"))
        lines += run_report.listed(res.findings, 10)
    if res.proof is not None and len(disputes):
        from shopbook.handover.evidence import evidence_rows
        proven = sum(day is not None for day, _, _ in evidence_rows(res.proof, disputes, res.result.shipments))
        lines.append(f"\n交接记录: 争议/索赔/抵扣 {len(disputes):,} 行中 {proven:,} 行有快递员签收的交接记录为证"
                     f"(见争议明细的交接日期、快递员签字、交接记录)。")
    if res.written:
        lines.append(f"\n已写出对账结果: {res.written}")
    elif len(disputes):
        lines.append("\n用 -o 对账结果.xlsx 写出争议明细(可直接发给快递公司)。")
    return "\n".join(lines)


@dataclass
class Inputs:
    """What a reconciliation reads, as tables: the bill lines of every bill file, the register
    (with the phones of the ledger's 订单 sheet when it has none), the courier handover's
    evidence (None without one) and the rules. `register_sheet` names the register's sheet in
    findings (the CLI: 发货.xlsx:发货, as it reads several files)."""

    paths: list[Path]
    shipments: Path
    bills: BillInput
    register: fast.FastTable
    rules: Rules
    rule_findings: pd.DataFrame
    proof: object = None
    register_sheet: str | None = None

    def tables(self) -> job.Tables:
        return job.Tables(self.bills.data, self.register.data.assign(_row=self.register.data.index),
                          price_frame(self.rules), self.bills.keys)

    def compute(self, as_of: dt.datetime) -> tuple[Reconciliation, pd.DataFrame]:
        """The job on these tables: (result, every finding of the run, placed at its cell)."""
        result, job_findings = job.compute(self.tables(), self.rules, as_of)
        register = self.register.findings
        if self.register_sheet is not None:
            register = register.assign(sheet=self.register_sheet)
        return result, fnd.combine([self.rule_findings, self.bills.findings, register,
                                    place_findings(job_findings, self.bills)])


def _wrong_register(exc: WrongFile) -> UnusableInput:
    return UnusableInput(f"{exc}第二个参数应为发货登记(发货日期、订单号、快递单号 等列,或含「发货」表的台账)。")


def _caught(read, *args):
    """read(*args), or the error it raised: the bills' error comes first, as when they were read
    first, and a WrongFile becomes the message naming the argument."""
    try:
        return read(*args)
    except Exception as exc:
        return exc


def _bills_and_keys(paths: list[Path], rules: Rules) -> BillInput:
    """The bills, and what the job derives from them alone (steps.bill_keys): made while the
    register, the larger read, is still being read beside."""
    bills = read_bills(paths, rules)
    bills.keys = bill_keys(bills.data, rules)
    return bills


def read_inputs(paths: list[Path], shipments: Path, rules: Rules, rule_findings: pd.DataFrame, *,
                handover: Path | None = None, register_sheet: str | None = "",
                wrong_bill=None, wrong_register=_wrong_register) -> Inputs:
    """Read the bill files and the register into Inputs. A bill that is a register (or the other
    way round) is WrongFile, which `wrong_bill`/`wrong_register` turn into the caller's message
    (the CLI's default: the arguments may be swapped). register_sheet "" = 发货.xlsx:发货."""
    shipments = Path(shipments)
    bills, register = read_together(lambda: _caught(_bills_and_keys, paths, rules),
                                    lambda: _caught(read_register, shipments, rules))
    if isinstance(bills, WrongFile):
        raise (wrong_bill(bills) if wrong_bill else _swapped_or(bills, shipments)) from None
    if isinstance(bills, Exception):
        raise bills
    if isinstance(register, WrongFile):
        raise wrong_register(register) from None
    if isinstance(register, Exception):
        raise register
    phones_from_orders(shipments, register)
    from shopbook.handover.run import proof_for
    proof = proof_for(shipments, register.data, Path(handover) if handover else None, rules)
    label = f"{shipments.name}:{register.sheet}" if register_sheet == "" else register_sheet
    return Inputs(list(paths), shipments, bills, register, rules, rule_findings, proof, label)


def run_reconcile(bill: Path | list[Path], shipments: Path, rules_path: Path | None, as_of: dt.datetime, *,
                  output: Path | None = None, full: bool = False, show_progress: bool = False,
                  handover: Path | None = None) -> ReconcileResult:
    """Read the bill(s) and the register, reconcile, write the result workbook when asked. The
    courier handover (HANDOVER, or a 快递交接 sheet of the shipments workbook) is the evidence
    column of 争议明细."""
    from shopbook.sheets.run import progress

    shipments = Path(shipments)
    given = [Path(b) for b in (bill if isinstance(bill, list) else [bill])]
    check_outputs([*given, shipments, rules_path, handover], [output], ignore=is_result_workbook)
    rules, rule_findings = load_rules(rules_path)
    excluded = [shipments] + ([Path(output)] if output is not None else []) + ([Path(handover)] if handover else [])
    paths = [p for b in given for p in bill_files(b, exclude=excluded)]
    with progress("正在读取账单和发货记录 …", show_progress):
        inputs = read_inputs(paths, shipments, rules, rule_findings, handover=handover)
    with progress("正在对账 …", show_progress):
        result, findings = inputs.compute(as_of)
    res = ReconcileResult(result, inputs.bills, inputs.register, findings, as_of, proof=inputs.proof)
    if output is not None:
        with progress("正在写出对账结果 …", show_progress):
            res.written = write_result(result, Path(output), full=full, findings=findings,
                                       meta=_meta(paths, shipments, rules_path, as_of), as_of=as_of,
                                       proof=inputs.proof)
    return res


def _swapped_or(bill_error: WrongFile, shipments: Path) -> UnusableInput:
    """The bill is a register: when the register is a bill too, the arguments are swapped."""
    try:
        read_register(shipments)
    except WrongFile as register_error:
        return swapped(bill_error, register_error)
    except UnusableInput:
        pass
    return UnusableInput(f"{bill_error}第一个参数应为快递公司的账单(快递单号、计费重量、运费 等列)。")


def _meta(paths, shipments, rules_path, as_of) -> list[tuple[str, str]]:
    return [("账单", "、".join(p.name for p in paths)), ("发货记录", Path(shipments).name),
            ("价格与参数", Path(rules_path).name if rules_path else "内置默认值"),
            ("对账时间", as_of.strftime("%Y-%m-%d %H:%M"))]

