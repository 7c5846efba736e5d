"""Write docs/findings.md from shopbook/codes.py (run after adding or changing a code).

Sections follow the `# --- name ---` comment lines of codes.py.
"""
from __future__ import annotations

import re
from pathlib import Path

from shopbook import codes

ROOT = Path(__file__).resolve().parent.parent


def sections() -> list[tuple[str, list[str]]]:
    source = Path(codes.__file__).read_text(encoding="utf-8")
    out: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        head = re.match(r"# --- (.+?) -+$", line)
        if head:
            out.append((head.group(1), []))
        found = re.match(r'_add\("([a-z0-9-]+)"', line.strip())
        if found and out:
            out[-1][1].append(found.group(1))
    return [(name, names) for name, names in out if names]


def render() -> str:
    lines = ["# Finding codes", "",
             "Every finding shopbook reports has a stable English code, a severity (error | warning | info)",
             "and a Chinese message that says what is wrong and how to fix it. This page is generated from",
             "`shopbook/codes.py` by `python scripts/make_docs.py`; `{…}` in a message is filled in with the",
             "cell's details.", ""]
    for name, names in sections():
        lines += [f"## {name}", "", "| code | severity | 问题 | message (how to fix) |", "|---|---|---|---|"]
        for code in names:
            spec = codes.CODES[code]
            lines.append(f"| `{code}` | {spec.severity} | {spec.title} | {spec.template.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    target = ROOT / "docs" / "findings.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
