"""A note (comment) on a flagged cell that the user had already annotated.

The user's own note is never replaced: ours is added below a marker line, and clearing our
marks (the next run, or a run that finds the cell fixed) gives back the user's text exactly.
Shared by the file writer (shopbook.writing.annotate) and the Excel adapter
(shopbook.excel.results).
"""
from __future__ import annotations

MARKER = "—— shopbook ——"
_SEPARATOR = "\n" + MARKER + "\n"


def with_our_note(user_text: str | None, ours: str) -> str:
    """The note text for a cell: ours alone, or the user's text, the marker line, then ours."""
    if user_text is None or not user_text.strip():
        return ours
    return user_text + _SEPARATOR + ours


def has_our_part(text: str | None) -> bool:
    """Whether a note holds our text below the marker line."""
    return bool(text) and _SEPARATOR in text


def user_part(text: str) -> str:
    """The user's own text of a note that has ours below the marker (the text before the
    last marker line, so a user's note that mentions the marker itself survives)."""
    return text[:text.rindex(_SEPARATOR)]
