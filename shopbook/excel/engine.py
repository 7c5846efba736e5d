"""Engine conformance: every xlwings call the adapter makes that an engine may lack.

xlwings runs on several engines (Windows COM, macOS AppleScript, the remote/Office.js
engine) and none implements everything: `sheet.freeze_panes` exists only on the remote
engine (Windows/macOS raise NotImplementedError, xlwings base_classes.Sheet.freeze_panes),
the remote engine cannot read fills or note text, older xlwings has no `add_note` or
`set_colors` (AttributeError), and the COM engines raise their own errors when Excel
refuses a call. Formatting is never worth losing a job's results over, so each call
here tries the operation and, when the engine cannot do it, skips it, logs it and
records the feature (in Chinese) in the list collected by `collect()`; nothing here raises
for an engine's gap. `entry.run` shows the skipped features once in its message.
"""
from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager

log = logging.getLogger("shopbook.excel")

FREEZE, NOTES, FILLS, FONTS, WIDTHS, FORMATS, LINKS = ("冻结首行", "批注", "底色", "字体", "列宽", "数字格式",
                                                       "超链接")
PRINTING = "打印设置"


def _engine_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [NotImplementedError, AttributeError]
    try:  # Windows COM engine: Excel refusing a call
        import pywintypes
        errors.append(pywintypes.com_error)
    except ImportError:
        pass
    try:  # macOS AppleScript engine
        from aem import EventError
        errors.append(EventError)
    except ImportError:
        pass
    try:
        from appscript.reference import CommandError
        errors.append(CommandError)
    except ImportError:
        pass
    return tuple(errors)


ENGINE_ERRORS = _engine_errors()

_skipped: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("shopbook_engine_skipped", default=None)


@contextmanager
def collect():
    """Collect the features skipped while the block runs (each once, in order)."""
    skipped: list[str] = []
    token = _skipped.set(skipped)
    try:
        yield skipped
    finally:
        _skipped.reset(token)


def skipped_text(skipped: list[str]) -> str:
    """One Chinese line for the message box naming what this Excel could not do."""
    if not skipped:
        return ""
    return f"(本机的 Excel 不支持{'、'.join(skipped)},已跳过;数据和结果不受影响。)"


def _skip(feature: str, exc: BaseException) -> None:
    log.info("xlwings engine lacks %s: %s: %s", feature, type(exc).__name__, exc)
    skipped = _skipped.get()
    if skipped is not None and feature not in skipped:
        skipped.append(feature)


def attempt(feature: str, call, *args, **kwargs) -> bool:
    """Run `call(*args, **kwargs)`; True when it ran, False when the engine lacks it."""
    try:
        call(*args, **kwargs)
    except ENGINE_ERRORS as exc:
        _skip(feature, exc)
        return False
    return True


def freeze_at(sheet, address: str) -> bool:
    """Freeze the rows above (and columns left of) `address`."""
    return attempt(FREEZE, lambda: sheet.freeze_panes.freeze_at(address))


def note_of(cell):
    """(readable, note): the cell's note (None when it has none); readable False when the
    engine cannot tell."""
    try:
        return True, cell.note
    except ENGINE_ERRORS as exc:
        _skip(NOTES, exc)
        return False, None


def note_text(cell) -> str | None:
    """A note's text, or None where the engine cannot read it (the remote engine)."""
    try:
        return cell.note.text
    except ENGINE_ERRORS:
        return None  # expected on the remote engine; the caller leaves the note alone


def add_note(cell, text: str) -> bool:
    return attempt(NOTES, lambda: cell.add_note(text))


def set_note_text(cell, text: str) -> bool:
    def put():
        cell.note.text = text
    return attempt(NOTES, put)


def delete_note(cell) -> bool:
    return attempt(NOTES, lambda: cell.note.delete())


def fill_of(cell):
    """(readable, colour) of a cell's fill; readable False when the engine cannot read fills."""
    try:
        return True, cell.color
    except ENGINE_ERRORS:
        return False, None


def set_fill(rng, colour) -> bool:
    """Fill `rng` with a '#RRGGBB' colour (None: no fill)."""
    def put():
        rng.color = colour
    return attempt(FILLS, put)


def set_fills(rng, colours: list[list]) -> bool:
    """Per-cell fills (`...` keeps a cell's fill); cell by cell where set_colors is missing."""
    try:
        rng.set_colors(colours)
        return True
    except AttributeError:  # xlwings before 0.37.5: one call per cell
        pass
    except ENGINE_ERRORS as exc:
        _skip(FILLS, exc)
        return False
    ok = True
    for r, row in enumerate(colours):
        for c, colour in enumerate(row):
            if colour is not ...:
                ok = set_fill(rng[r, c], colour) and ok
    return ok


def set_font(rng, bold: bool | None = None, color: str | None = None) -> bool:
    def put():
        if bold is not None:
            rng.font.bold = bold
        if color is not None:
            rng.font.color = color
    return attempt(FONTS, put)


def set_column_width(rng, width: float) -> bool:
    def put():
        rng.column_width = width
    return attempt(WIDTHS, put)


def set_number_format(rng, fmt: str) -> bool:
    def put():
        rng.number_format = fmt
    return attempt(FORMATS, put)


def add_hyperlink(rng, address: str, text: str | None = None) -> bool:
    return attempt(LINKS, lambda: rng.add_hyperlink(address, text))


def print_setup(sheet, page_breaks=(), landscape: bool = False) -> bool:
    """A4, one page wide, a page break above each 1-based row in `page_breaks`. xlwings has no
    API for these, so this goes through Excel's own object model (`sheet.api`, Windows COM);
    elsewhere (the remote engine's api is its JSON, macOS AppleScript differs) it is skipped."""
    def put():
        api = sheet.api
        setup = api.PageSetup
        setup.PaperSize = 9  # xlPaperA4
        setup.Orientation = 2 if landscape else 1  # xlLandscape / xlPortrait
        setup.Zoom = False
        setup.FitToPagesWide = 1
        setup.FitToPagesTall = False
        for row in page_breaks:
            api.HPageBreaks.Add(api.Range(f"A{row}"))
    return attempt(PRINTING, put)
