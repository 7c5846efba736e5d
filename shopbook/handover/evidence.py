"""The handover as evidence for the reconciliation: what the 快递交接 record proves about each
courier and day, and the 交接日期 / 快递员签字 / 交接记录 of bill lines (pure; reconcile's
争议明细 and JSON carry them)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shopbook.courier.steps import _mapped
from shopbook.handover.job import KEYS, _col, _int, courier_of, pickup_days, pickup_rows, register_days, register_lines
from shopbook.rules import Rules

EVIDENCE_HEADERS = ("交接日期", "快递员签字", "交接记录")


@dataclass
class Proof:
    """What the handover record proves about each courier and day: the register's parcels, the
    handed count, the signature. A day is proven when the courier signed for exactly the
    register's parcels of that company and day."""

    days: pd.DataFrame
    rules: Rules

    def __post_init__(self):
        self._by_key = {(pd.Timestamp(k[0]), k[1]): v for k, v in self.days.to_dict("index").items()}

    @classmethod
    def build(cls, register: pd.DataFrame, handover: pd.DataFrame, rules: Rules) -> "Proof":
        days = register_days(register_lines(register, rules)).merge(pickup_days(pickup_rows(handover, rules)),
                                                                    on=KEYS, how="outer", indicator=True)
        return cls(days.set_index(KEYS), rules)

    def for_lines(self, lines: pd.DataFrame, shipments: pd.DataFrame) -> list[tuple]:
        """(交接日期, 快递员签字, 交接记录) for reconciliation lines (courier.Reconciliation.lines
        columns: category, courier, date, register_pos): a line of a registered parcel names the
        pickup that proves it went to the courier (交接日期 and 签字 only when it does); a
        not-shipped line is checked against that day's pickup of the bill's courier."""
        pos = lines["register_pos"].to_numpy(dtype=np.int64)
        in_reg = pos >= 0
        day = pd.to_datetime(lines["date"]).dt.normalize().to_numpy(dtype="datetime64[ns]").copy()
        courier = _mapped(lines["courier"], courier_of(self.rules))
        if in_reg.any() and "发货日期" in shipments:
            taken = shipments.iloc[pos[in_reg]]
            day[in_reg] = pd.to_datetime(taken["发货日期"]).dt.normalize().to_numpy(dtype="datetime64[ns]")
            courier[in_reg] = _mapped(_col(taken, "快递公司"), courier_of(self.rules))
        out = []
        for d, c, registered, category in zip(day, courier, in_reg, lines["category"].astype(object)):
            out.append(self._one(pd.Timestamp(d) if not pd.isna(d) else None, c, bool(registered), category))
        return out

    def _one(self, day, courier, registered: bool, category) -> tuple:
        if day is None:
            return None, None, "没有寄件日期,无法核对交接记录"
        label = f"{day:%m-%d} {courier}"
        p = self._by_key.get((day, courier))
        if p is None or p["_merge"] == "left_only":
            return None, None, f"{label} 没有交接记录"
        handed, on_register = _int(p["handed"]), _int(p["registered"]) or 0
        signer = p["couriers"] or "快递员"
        if handed is None:
            return None, None, f"{label} 的交接没有填写件数"
        if not registered:  # billed, not in the register: what did the courier sign for that day?
            if handed > on_register:
                return None, None, (f"{label} 交接 {handed} 件,比发货记录多 {handed - on_register} 件:可能漏登记了此件,"
                                    f"请先核对底单再争议")
            if not p["signed"]:
                return None, None, f"{label} 交接 {handed} 件,但快递员没有签字,不能作为凭证"
            return day.to_pydatetime(), f"{signer} 已签字", (f"{label} 快递员签收 {handed} 件,与发货记录一致,"
                                                           f"此单号不在其中")
        if handed != on_register:
            return None, None, f"{label} 交接 {handed} 件,发货记录 {on_register} 件,件数不符,不能证明此件已交接"
        if not p["signed"]:
            return None, None, f"{label} 交接 {handed} 件,但快递员没有签字,不能作为凭证"
        return day.to_pydatetime(), f"{signer} 已签字", f"{label} 快递员签收 {handed} 件,与发货记录一致(含此件)"


# the reconciliation's 争议明细 gains these (header, width, kind) when a handover is known
EVIDENCE_COLUMNS = (("交接日期", 11, "date"), ("快递员签字", 12, "text"), ("交接记录", 52, "text"))


def evidence_rows(proof: Proof, lines: pd.DataFrame, shipments: pd.DataFrame):
    """The EVIDENCE_COLUMNS values of reconciliation lines, in their order."""
    return proof.for_lines(lines, shipments)


def evidence_json(proof: Proof, lines: pd.DataFrame, shipments: pd.DataFrame) -> list[dict]:
    return [{"date": None if day is None else f"{day:%Y-%m-%d}", "signed_by": signer, "note": note}
            for day, signer, note in proof.for_lines(lines, shipments)]
