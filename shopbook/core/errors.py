"""The one exception a job's adapters raise: input or output shopbook cannot use at all."""
from __future__ import annotations


class UnusableInput(Exception):
    """Input the job cannot use at all: reported in one line (file, sheet, cell), exit code 2."""
