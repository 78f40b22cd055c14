"""Puts benchmark reports into docs/PERFORMANCE.md, between their markers.

    python bench/update_docs.py RESULTS_DIR [--doc docs/PERFORMANCE.md]

Each ``RESULTS_DIR/NAME.md`` replaces the text between ``<!-- bench:NAME -->`` and
``<!-- /bench:NAME -->``. A report with no markers yet is appended at the end;
the hand-written text around the markers is left alone.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from _support import REPO_DIR


def splice(doc: str, name: str, report: str) -> str:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{report.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(doc):
        return pattern.sub(lambda _match: block, doc, count=1)
    return doc.rstrip() + "\n\n" + block + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--doc", type=Path, default=REPO_DIR / "docs" / "PERFORMANCE.md")
    args = parser.parse_args()
    doc = args.doc.read_text(encoding="utf-8") if args.doc.exists() else "# Performance\n"
    reports = sorted(args.results.glob("*.md"))
    for report in reports:
        doc = splice(doc, report.stem, report.read_text(encoding="utf-8"))
    args.doc.parent.mkdir(parents=True, exist_ok=True)
    args.doc.write_text(doc, encoding="utf-8")
    print(f"updated {args.doc} with: {', '.join(r.stem for r in reports) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
