"""An article as HTML with every extracted figure highlighted and labelled with its metric.

The article text is untrusted (it may contain `<script>` or `<img onerror=…>`): every piece of it
is escaped, and only the markup built here reaches the page.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from ui.aggregation import CORE_METRICS

STYLE = """<style>
.article{font-size:1.02rem;line-height:1.75;max-width:52rem}
.article p{margin:0 0 .9rem}
.article mark{padding:.05rem .2rem;border-radius:.25rem;background:#eceff4;color:inherit}
.article mark.crossings{background:#dbeafe}.article mark.trade{background:#dcfce7}
.article mark.dossiers{background:#ffedd5}
.article mark.focus{outline:2px solid #c2410c}
.article .tag{font-size:.68rem;font-weight:600;margin-left:.3rem;padding:0 .3rem;border-radius:.2rem;
background:#1e3a5f;color:#fff;vertical-align:.1rem;white-space:nowrap}
</style>"""


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    label: str
    title: str = ""
    group: str = "other"
    focus: bool = False


def metric_group(metric) -> str:
    """`crossings`, `trade`, `dossiers` or `other`: the colour family of a metric."""
    for group, metrics in CORE_METRICS:
        if metric in metrics or (group == "dossiers" and str(metric).startswith("dossiers")):
            return group
    return "other"


def locate(text: str, start, end, quoted) -> tuple[int, int] | None:
    """Where a figure stands in the text: its offsets when they hold its words, else the nearest
    occurrence of its words, else None."""
    if not isinstance(quoted, str) or not quoted:
        return None
    if not pd.isna(start) and not pd.isna(end) and text[int(start):int(end)] == quoted:
        return int(start), int(end)
    hits = [m.start() for m in re.finditer(re.escape(quoted), text)]
    if not hits:
        return None
    near = min(hits, key=lambda pos: abs(pos - (0 if pd.isna(start) else int(start))))
    return near, near + len(quoted)


def _merged(marks: list[Mark]) -> list[Mark]:
    """Marks in text order without overlaps; a mark inside another adds its label to it."""
    kept: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mark.start < kept[-1].end:
            last = kept[-1]
            labels = last.label if mark.label in last.label.split(" · ") else f"{last.label} · {mark.label}"
            titles = "\n".join(filter(None, [last.title, mark.title]))
            kept[-1] = Mark(last.start, max(last.end, mark.end), labels, titles, last.group,
                            last.focus or mark.focus)
        else:
            kept.append(mark)
    return kept


def excerpt(text: str, marks: list[Mark], start: int, end: int) -> tuple[str, list[Mark]]:
    """The paragraph holding text[start:end], with the marks inside it moved to its offsets."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    inside = [Mark(m.start - first, m.end - first, m.label, m.title, m.group, m.focus)
              for m in marks if first <= m.start and m.end <= last]
    return text[first:last], inside


def _paragraphs(body: str) -> str:
    blocks = [block.strip() for block in re.split(r"\n\s*\n|\n", body)]
    return "".join(f"<p>{block}</p>" for block in blocks if block)


def article_html(text: str, marks: list[Mark]) -> str:
    """The text, escaped, with each mark wrapped in `<mark>` and followed by its label."""
    pieces, position = [], 0
    for mark in _merged([m for m in marks if 0 <= m.start < m.end <= len(text)]):
        pieces.append(html.escape(text[position:mark.start]))
        words = html.escape(re.sub(r"\s+", " ", text[mark.start:mark.end]))
        classes = mark.group + (" focus" if mark.focus else "")
        pieces.append(f'<mark class="{html.escape(classes)}" title="{html.escape(mark.title)}">'
                      f'{words}<span class="tag">{html.escape(mark.label)}</span></mark>')
        position = mark.end
    pieces.append(html.escape(text[position:]))
    return f'{STYLE}<div class="article">{_paragraphs("".join(pieces))}</div>'
