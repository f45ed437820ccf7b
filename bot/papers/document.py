"""Every paper as neutral sections, and its two printed forms: Markdown and one A4 HTML file.

doc = (Section("Obligations", (Table(("Clock", "Due"), (("ICO", "Sun 29 Mar"),)),)),)
render_markdown("AI-2026-0001: report", doc)
render_html("AI-2026-0001: report", doc, picture=png_bytes)  # the PNG as a data: URI

Text is plain: whatever it holds is escaped for Markdown and HTML. The one emphasis is the
bot's strong token (`bot.tokens.strong`), printed as **strong** and <strong>.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from typing import Literal

from bot.tokens import strong_as


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Facts:
    """Label/value lines, e.g. ("Root cause", "The client filter was ignored")."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """`styles` names a CSS class per column for HTML: "nowrap", "wrap", "hash" or ""."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    styles: tuple[str, ...] = ()

    def style(self, column: int) -> str:
        name = self.styles[column] if column < len(self.styles) else ""
        return f' class="{name}"' if name else ""


ListKind = Literal["bullets", "ordered", "checklist"]


@dataclass(frozen=True)
class Items:
    """A list: bullets, numbered steps, or a checklist of boxes to tick on paper."""

    kind: ListKind
    items: tuple[str, ...]


Block = Paragraph | Facts | Table | Items


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    level: int = 2  # 3: a part of the level-2 section before it


def render_markdown(title: str, sections: tuple[Section, ...]) -> str:
    lines = [f"# {_one_line(title)}", ""]
    for section in sections:
        lines += ["#" * section.level + f" {_one_line(section.title)}", ""]
        for block in section.blocks:
            lines += [*_markdown_block(block), ""]
    return "\n".join(lines).rstrip() + "\n"


def _markdown_block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [_line_start(line) for line in _md(block.text).split("\n")]
    if isinstance(block, Items):
        marks = {"bullets": "- ", "ordered": "{n}. ", "checklist": "- [ ] "}
        mark = marks[block.kind]
        return [mark.format(n=n) + _one_line(item) for n, item in enumerate(block.items, 1)]
    if isinstance(block, Facts):
        return [f"- **{label}:** {_one_line(value)}" for label, value in block.rows]
    rule = tuple("---" for _ in block.header)
    return [
        "| " + " | ".join(_cell(c) for c in row) + " |" for row in (block.header, rule, *block.rows)
    ]


# Text people typed is plain text: what Markdown or HTML would read as a link, an image, a
# tag, code or emphasis is escaped (an underscore inside a word, as in ico_art33, is safe).
MD_SPECIAL = re.compile(r"[\\`*\[\]]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
BLOCK_START = re.compile(r"^(\s*)(#+|[>+*-]|=+|-+|\d+[.)])(?=\s|$)")


def _md(text: str) -> str:
    return strong_as(text, "**", "**", _md_plain)


def _md_plain(text: str) -> str:
    escaped = MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    return escaped.replace("<", "&lt;").replace(">", "&gt;")


def _line_start(line: str) -> str:
    """A line of a paragraph never starts a heading, quote, list or rule."""

    def escape(m: re.Match[str]) -> str:
        mark = m.group(2)  # "1." is escaped as "1\.", a backslash before a digit stays one
        marked = mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark
        return m.group(1) + marked

    return BLOCK_START.sub(escape, line)


def _one_line(text: str) -> str:
    """One line of escaped text (a newline here would forge a heading or a list item)."""
    return _line_start(_md(" ".join(text.split())))


def _cell(text: str) -> str:
    # A pipe or a line break inside a cell would end the Markdown table row; a cell starts
    # no block, so "1. Turn off…" stays as it is.
    return _md(" ".join(text.split())).replace("|", "\\|")


def render_html(title: str, sections: tuple[Section, ...], picture: bytes | None = None) -> str:
    """One self-contained HTML file: inline CSS, every text escaped, the picture inlined."""
    body = "\n".join(_html_section(s) for s in sections)
    figure = _figure(picture) if picture else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_esc(title)}</h1>\n{figure}{body}\n</body>\n</html>\n"
    )


def _figure(picture: bytes) -> str:
    data = base64.b64encode(picture).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="Incident timeline">'
        "<figcaption>Timeline: T0, milestones, and each deadline against when it was met"
        "</figcaption></figure>\n"
    )


def _html_section(section: Section) -> str:
    blocks = "\n".join(_html_block(b) for b in section.blocks)
    h = f"h{section.level}"
    return f"<section>\n<{h}>{_esc(section.title)}</{h}>\n{blocks}\n</section>"


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_esc(block.text)}</p>"
    if isinstance(block, Items):
        tag, kind = ("ol", "") if block.kind == "ordered" else ("ul", block.kind)
        opening = f'<{tag} class="{kind}">' if kind == "checklist" else f"<{tag}>"
        return opening + "".join(f"<li>{_esc(i)}</li>" for i in block.items) + f"</{tag}>"
    if isinstance(block, Facts):
        rows = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in block.rows)
        return f"<dl>{rows}</dl>"
    head = "".join(f"<th>{_esc(c)}</th>" for c in block.header)
    rows = "".join(_html_row(block, row) for row in block.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _html_row(table: Table, row: tuple[str, ...]) -> str:
    cells = "".join(f"<td{table.style(i)}>{_esc(cell)}</td>" for i, cell in enumerate(row))
    return f"<tr>{cells}</tr>"


def _esc(text: str) -> str:
    return strong_as(text, "<strong>", "</strong>", lambda plain: html.escape(plain, quote=True))


CSS = """
@page { size: A4; margin: 15mm }
* { box-sizing: border-box }
body { font: 9pt/1.35 "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0 auto;
       max-width: 180mm; padding: 0 2mm }
h1 { font-size: 14pt; margin: 0 0 3mm; border-bottom: 2px solid #111 }
h2 { font-size: 10.5pt; margin: 4mm 0 1.5mm; text-transform: uppercase; letter-spacing: .04em }
h3 { font-size: 10pt; margin: 3mm 0 1mm }
p, ul, ol, dl, table { margin: 0 0 2mm }
ul, ol { padding-left: 5mm }
ul.checklist { list-style: none; padding-left: 1mm }
ul.checklist li::before { content: "\\2610\\00a0" }
dl { display: grid; grid-template-columns: 40mm 1fr; gap: .5mm 3mm }
dt { font-weight: bold }
dd { margin: 0; overflow-wrap: break-word }
table { border-collapse: collapse; width: 100% }
th, td { border: 1px solid #999; padding: .8mm 1.5mm; text-align: left; vertical-align: top;
         overflow-wrap: break-word }
td.nowrap { white-space: nowrap }
td.wrap { overflow-wrap: anywhere }
td.hash { font: 7.5pt/1.3 Menlo, Consolas, monospace; word-break: break-all; min-width: 30mm }
th { background: #eee }
thead { display: table-header-group }
tr { break-inside: avoid }
section:has(> h3) { break-inside: avoid }
figure { margin: 0 0 3mm }
figure img { width: 100%; height: auto; border: 1px solid #ccc }
figcaption { font-size: 8pt; color: #444 }
@media print { body { max-width: none; padding: 0 } h2, h3 { break-after: avoid } }
"""
