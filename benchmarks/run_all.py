"""Every benchmark in one run, one table: job, input, seconds, the bare fastexcel read of the same
inputs (best of 2), the ratio, peak RSS — and the CPU ratio, steadier on a shared machine.

    python benchmarks/run_all.py [--quick] [--only validate,picklist]

Each bench script runs in its own process (it generates its inputs into benchmarks/out/ once) and
prints a RESULT line (benchmarks/common.py result_line); a script that prints none is shown with
its last lines. --quick runs smaller inputs (a quarter or less) to check that every script works.
Not a test: run it by hand and copy the table into docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
# script, full arguments, --quick arguments
BENCHES = [
    ("bench_validate.py", ["--rows", "200000"], ["--rows", "50000"]),
    ("bench_picklist.py", ["--orders", "100000", "--no-phases"], ["--orders", "25000", "--no-phases"]),
    ("bench_reconcile.py", ["--rows", "1000000"], ["--rows", "100000"]),
    ("bench_month.py", [], ["--rows", "50000"]),
    ("bench_stock.py", ["--orders", "220000"], ["--orders", "50000"]),
    ("bench_handover.py", ["--per-day", "3000"], ["--per-day", "600"]),
    ("bench_today.py", ["--rows", "200000", "--reviews", "5000"], ["--rows", "50000", "--reviews", "1000"]),
    ("bench_button.py", ["--orders", "5000"], ["--orders", "5000"]),
]


def run(script: str, args: list[str]) -> tuple[list[dict], str, float]:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / script), *args], cwd=HERE, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    if proc.returncode == 2 and "unrecognized arguments" in proc.stderr and args:
        return run(script, [])  # a script that takes other options: its defaults
    results = [json.loads(line[7:]) for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    tail = "\n".join((proc.stdout.strip().splitlines() or [""])[-3:] + proc.stderr.strip().splitlines()[-2:])
    return results, tail, time.perf_counter() - t


def cell(value, fmt: str, unit: str = "") -> str:
    return "—" if value is None else format(value, fmt) + unit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller inputs: does every script work?")
    parser.add_argument("--only", default="", help="comma-separated script names (validate,picklist…)")
    args = parser.parse_args()
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    rows, notes = [], []
    for script, full, quick in BENCHES:
        if wanted and not any(w in script for w in wanted):
            continue
        if not (HERE / script).exists():
            notes.append(f"{script}: not in this tree")
            continue
        print(f"… {script} {' '.join(quick if args.quick else full)}", file=sys.stderr, flush=True)
        results, tail, took = run(script, quick if args.quick else full)
        rows += results
        if not results:
            notes.append(f"{script} ({took:.0f} s) printed no RESULT line; its last lines:\n    "
                         + tail.replace("\n", "\n    "))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores, shared)")
    print("| job | input | seconds | CPU | bare fastexcel read (best of 2) | ratio | CPU ratio | peak RSS | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = r["seconds"] / r["floor"] if r.get("floor") else None
        cpu_ratio = r["cpu"] / r["floor_cpu"] if r.get("cpu") and r.get("floor_cpu") else None
        print(f"| {r['job']} | {r['input']} | {r['seconds']:.2f} s | {cell(r.get('cpu'), '.2f', ' s')} | "
              f"{cell(r.get('floor'), '.2f', ' s')} | {cell(ratio, '.2f', 'x')} | {cell(cpu_ratio, '.2f', 'x')} | "
              f"{cell(r.get('peak_mib'), ',.0f', ' MiB')} | {cell(r.get('load'), '.1f')} |")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
