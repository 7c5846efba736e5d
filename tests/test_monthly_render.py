"""月报 rendered by a real spreadsheet application: LibreOffice headless to PDF (skipped without it)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from conftest import needs_tools
from test_monthly import month_folder

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@needs_tools("soffice")
def test_month_workbook_renders_to_pdf(tmp_path):
    from shopbook.monthly.run import run_month

    folder = month_folder(tmp_path / "m")
    out = tmp_path / "month.xlsx"
    run_month(folder, dt.date(2026, 10, 1), None, dt.datetime(2026, 10, 31, 18), output=out)
    profile = tmp_path / "lo-profile"  # a private profile: runs beside another LibreOffice
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=240)
    pdf = (tmp_path / "month.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages >= 6  # one page or more per sheet: 概览 客服业绩 客服日报 退换货分析 库存预警 快递对账
