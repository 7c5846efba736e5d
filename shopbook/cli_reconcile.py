"""`shopbook reconcile` — command stub; the job lands with its issue."""
from __future__ import annotations

import click


@click.command(name="reconcile")
def command():
    """(尚未实现)"""
    raise click.UsageError("这个功能尚未实现。")
