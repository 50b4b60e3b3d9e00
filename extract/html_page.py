"""Saved news pages: the article's text, title, date and canonical URL (trafilatura, lxml)."""
from __future__ import annotations

import copy
import datetime as dt
import logging
from itertools import islice

import lxml.html
import trafilatura

from .document import Document, Skipped

for _library in ("trafilatura", "htmldate"):  # their complaints about bad markup are not ours
    logging.getLogger(_library).addHandler(logging.NullHandler())

MAIN_CONTENT_MAX_ELEMENTS = 30_000
"""Pages with more elements are read as plain text: trafilatura would take seconds on them."""
_NOT_TEXT = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
             "form", "iframe", "svg", "button", "select")
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
           "pre", "section", "article", "table", "dd", "dt", "figcaption")


def html_document(doc_id: str, source: str, page: str) -> Document | Skipped:
    """The article in a saved news page, with its title, date and canonical URL.

    Pages too large for trafilatura to read in reasonable time are read as
    plain text, their metadata taken from the <head> alone.
    """
    tree = _parse_html(page)
    if tree is None:
        return Skipped(source, "no article text found in the HTML page")
    large = _element_count(tree, MAIN_CONTENT_MAX_ELEMENTS + 1) > MAIN_CONTENT_MAX_ELEMENTS
    found = None if large else _tolerantly(
        trafilatura.bare_extraction, tree, include_comments=False, include_tables=True,
        with_metadata=True, date_extraction_params=_date_params())
    meta = found if found is not None else _tolerantly(
        trafilatura.extract_metadata, _head_only(tree) if large else tree,
        date_config=_date_params())
    text = found.text if found is not None and found.text and found.text.strip() else ""
    text = text or _plain_text(tree)
    if not text:
        return Skipped(source, "no article text found in the HTML page")
    url = getattr(meta, "url", None)
    url = url if url and url.startswith(("http://", "https://")) else None
    return Document(doc_id=doc_id, text=text, source=url or source,
                    title=getattr(meta, "title", None) or None,
                    published=_date(getattr(meta, "date", None)), url=url)


def _element_count(tree: lxml.html.HtmlElement, at_most: int) -> int:
    return sum(1 for _ in islice(tree.iter(), at_most))


def _head_only(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    page = lxml.html.Element("html")
    head = tree.find("head")
    if head is not None:
        page.append(copy.deepcopy(head))
    return page


def _parse_html(page: str) -> lxml.html.HtmlElement | None:
    """The page's tree: trafilatura's loader, or lxml's for fragments that loader refuses."""
    if not page.strip():
        return None
    tree = _tolerantly(trafilatura.load_html, page)
    if tree is None:
        tree = _tolerantly(lxml.html.document_fromstring, page.encode("utf-8"),
                           parser=lxml.html.HTMLParser(encoding="utf-8"))
    return tree


def _tolerantly(read, *args, **kwargs):
    """`read(*args, **kwargs)`, or None if it fails.

    Third-party parsers meet untrusted markup here; whatever they fail on,
    the page falls back to plain text or is skipped.
    """
    try:
        return read(*args, **kwargs)
    except Exception:
        return None


def _date_params() -> dict:
    """Dates from the page's markup and metadata only, not guessed from its text."""
    return {"extensive_search": False, "original_date": True,
            "max_date": dt.date.today().isoformat()}


def _plain_text(tree: lxml.html.HtmlElement) -> str:
    """The page's visible text, one block per line, without scripts, menus and footers."""
    for element in tree.xpath("|".join(f"//{tag}" for tag in _NOT_TEXT)):
        element.drop_tree()
    for element in tree.xpath("|".join(f"//{tag}" for tag in _BLOCKS)):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
