"""`flask deid check FILE`: show what the engine would remove from a text before you paste it."""
from __future__ import annotations

import json
import sys

import click

from .engine import deidentify


@click.group("deid")
def deid() -> None:
    """De-identify case text (nothing is stored or sent anywhere)."""


@deid.command("check")
@click.argument("file", type=click.File("r", encoding="utf-8", errors="replace"), required=False)
@click.option("--names", "names", multiple=True, help="A person in the case (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def check(file, names: tuple[str, ...], as_json: bool) -> None:
    """Print FILE (or standard input) redacted, then a table of findings."""
    text = (file or sys.stdin).read()
    result = deidentify(text, names)
    if as_json:
        click.echo(json.dumps(_as_dict(text, result), ensure_ascii=False, indent=2))
        return
    click.echo(result.text)
    click.echo()
    click.echo(_table(text, result))


def _as_dict(text: str, result) -> dict:
    """The result as plain data; the original snippets are the user's own text."""
    return {
        "text": result.text,
        "findings": [
            {"start": f.start, "end": f.end, "kind": f.kind, "rule": f.rule,
             "placeholder": f.placeholder, "original": f.excerpt(text)}
            for f in result.findings
        ],
    }


def _table(text: str, result) -> str:
    """Findings as an aligned text table."""
    rows = [("start", "end", "kind", "rule", "placeholder", "original")]
    rows += [(str(f.start), str(f.end), f.kind, f.rule, f.placeholder, f.excerpt(text))
             for f in result.findings]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths)) + "  " + row[5]
             for row in rows]
    lines.append(f"{len(result.findings)} finding(s)")
    return "\n".join(lines)
