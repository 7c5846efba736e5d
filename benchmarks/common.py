"""What every benchmark script shares: the CLI run in a child process, timed, with its own peak memory."""
from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"  # generated inputs and outputs (git-ignored)


def run_cli(args: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MiB, exit code, stdout) of one `shopbook` run in a child process
    (so its peak RSS is its own: the largest child so far)."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "shopbook", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
    return seconds, peak, proc.returncode, proc.stdout
