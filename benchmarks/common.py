"""What every benchmark script shares: the CLI run in a child process, timed, with its own peak memory;
the bare fastexcel read of the same inputs (the floor); one RESULT line per job for run_all.py."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"  # generated inputs and outputs (git-ignored)
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # shopbook from this tree, installed or not
    sys.path.insert(0, str(ROOT))
LAST: dict = {}  # the last run_cli's CPU seconds (user + system of the child): "cpu"


def run_cli(args: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MiB, exit code, stdout) of one `shopbook` run in a child process
    (so its peak RSS is its own: the largest child so far). Its CPU seconds go to LAST["cpu"]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "shopbook", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env)
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = after.ru_maxrss / 1024
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
    return seconds, peak, proc.returncode, proc.stdout


def fastexcel_floor(paths, sheets=None, dtypes=None, repeat: int = 2) -> tuple[float, float]:
    """(wall, CPU) seconds of the best of `repeat` bare fastexcel reads of every sheet (or `sheets`)
    of `paths` into Arrow — the floor no job can go below."""
    import fastexcel

    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        for path in paths:
            reader = fastexcel.read_excel(str(path))
            for name in sheets or reader.sheet_names:
                if name in reader.sheet_names:
                    reader.load_sheet(name, header_row=None, dtypes=dtypes).to_arrow()
        best = min(best, (time.perf_counter() - t, time.process_time() - c))
    return best


def load() -> float:
    """The 1-minute load average (the machine is shared: quote it with every figure)."""
    return os.getloadavg()[0]


def result_line(job: str, input_: str, seconds: float, floor: float | None, peak: float | None,
                cpu: float | None = None, floor_cpu: float | None = None, **extra) -> None:
    """Print the RESULT line (JSON) benchmarks/run_all.py gathers into its table, and the ratio."""
    if floor:
        cpu_part = f", CPU {cpu:.2f} s / {floor_cpu:.2f} s = {cpu / floor_cpu:.2f}x" if cpu and floor_cpu else ""
        print(f"ratio to the bare fastexcel read: {seconds / floor:.2f}x ({seconds:.2f} s / {floor:.2f} s{cpu_part}), "
              f"load {load():.1f}")
    print("RESULT " + json.dumps({"job": job, "input": input_, "seconds": round(seconds, 3),
                                  "floor": None if floor is None else round(floor, 3),
                                  "peak_mib": None if peak is None else round(peak),
                                  "cpu": None if cpu is None else round(cpu, 3),
                                  "floor_cpu": None if floor_cpu is None else round(floor_cpu, 3),
                                  "load": round(load(), 2), **extra}, ensure_ascii=False))
