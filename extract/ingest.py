"""Files, folders, uploads and zip archives in; `Document`s out, or a `Skipped` saying why not.

Text is returned as decoded (only a byte-order mark is removed): normalising
it is a later stage's job, and offsets point into the text as read. Bad input
never raises out of `iter_documents` or `read_upload`.
"""
from __future__ import annotations

import codecs
import copy
import datetime as dt
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path, PurePosixPath

import charset_normalizer
import lxml.html
import trafilatura

from extract.archive import ArchiveError, iter_members
from extract.document import Document, Skipped
from extract.limits import Limits, too_large

for _library in ("trafilatura", "htmldate"):  # their complaints about bad markup are not ours
    logging.getLogger(_library).addHandler(logging.NullHandler())

__all__ = ["Document", "IngestError", "Limits", "Skipped", "decode_text", "iter_documents",
           "read_upload"]

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ARCHIVE_SUFFIX = ".zip"

MAIN_CONTENT_MAX_ELEMENTS = 30_000
"""Pages with more elements are read as plain text: trafilatura would take seconds on them."""
CONTROL_SAMPLE_CHARS = 65_536
MAX_CONTROL_SHARE = 0.05
UTF16_SAMPLE_BYTES = 4096
UTF16_MIN_NUL_SHARE = 0.2
"""UTF-16 Vietnamese has a NUL in the high byte of every Latin letter, digit and space."""
UTF16_MAX_STRAY_NUL_SHARE = 0.004

_BOMS = (  # UTF-32 first: its little-endian mark starts like UTF-16's
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (  # (offset, signature, what the file is)
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (8, b"WEBP", "WebP image"),
    (4, b"ftyp", "video or HEIC image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "zip archive or Office document"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old-format Office document"),
    (0, b"\x1f\x8b", "gzip archive"),
    (0, b"Rar!\x1a\x07", "RAR archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (0, b"\x7fELF", "program"),
)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NOT_TEXT = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
             "form", "iframe", "svg", "button", "select")
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
           "pre", "section", "article", "table", "dd", "dt", "figcaption")


class IngestError(Exception):
    """Bytes that are not an article's text; the message says why."""


def iter_documents(paths: Iterable[str | os.PathLike] | str | os.PathLike,
                   limits: Limits = Limits()) -> Iterator[Document | Skipped]:
    """Every article in `paths`: files, and folders read recursively in sorted order.

    Folders skip hidden entries (names starting with '.') silently and report
    any other file that is not .txt, .html, .htm or .zip as `Skipped`.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _read_folder(path, limits)
        else:
            yield from _read_path(path, limits)


def read_upload(name: str, data: bytes, limits: Limits = Limits()) -> list[Document | Skipped]:
    """The articles in one uploaded file (.txt, .html, .htm or .zip) named `name`."""
    if len(data) > limits.max_upload_bytes:
        return [Skipped(name, too_large("upload", len(data), limits.max_upload_bytes))]
    if _suffix(name) == ARCHIVE_SUFFIX:
        return list(_read_archive(name, data, limits))
    return [_read_article(name, name, len(data), lambda max_bytes: data[:max_bytes + 1], limits)]


def decode_text(data: bytes) -> str:
    """The text in `data`, byte-order mark removed; `IngestError` when it is not text.

    Order: binary signatures, byte-order marks, UTF-16 without a mark, valid
    UTF-8 (the fast path), then charset-normalizer for legacy encodings such
    as Windows-1258.
    """
    kind = _binary_kind(data)
    if kind:
        raise IngestError(f"binary file ({kind}), not an article")
    text = _decode_marked(data)
    if text is None and b"\x00" in data:
        text = _decode_utf16_without_bom(data)
        if text is None:
            raise IngestError("binary file (contains NUL bytes), not an article")
    if text is None:
        text = _decode_utf8(data)
    if text is None:
        match = charset_normalizer.from_bytes(data).best()
        if match is None:
            raise IngestError("text in an unknown character encoding, not read")
        text = str(match)
    _check_controls(text)
    return text


def walk_folder(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """The files below `folder` in reading order (recursive, sorted, hidden entries left out),
    and the folders that could not be listed."""
    unreadable: list[Skipped] = []
    files = []
    for root, dirs, names in os.walk(folder, onerror=lambda err: unreadable.append(
            Skipped(str(err.filename), f"cannot read folder: {err.strerror}"))):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        files += [Path(root, name) for name in names if not name.startswith(".")]
    return sorted(files), unreadable


def _read_folder(folder: Path, limits: Limits) -> Iterator[Document | Skipped]:
    files, unreadable = walk_folder(folder)
    yield from unreadable
    for path in files:
        yield from _read_path(path, limits)


def _read_path(path: Path, limits: Limits) -> Iterator[Document | Skipped]:
    source = str(path)
    try:
        info = path.stat()
    except OSError as err:
        reason = "no such file or folder" if isinstance(err, FileNotFoundError) else (
            f"cannot read file: {err.strerror}")
        yield Skipped(source, reason)
        return
    if not stat.S_ISREG(info.st_mode):
        yield Skipped(source, "not a regular file, not read")
    elif _suffix(path.name) == ARCHIVE_SUFFIX:
        yield from _read_archive(source, path, limits)
    else:
        read = lambda max_bytes: _read_head(path, max_bytes)  # noqa: E731
        yield _read_article(source, path.name, info.st_size, read, limits)


def _read_head(path: Path, max_bytes: int) -> bytes:
    with open(path, "rb") as file:
        return file.read(max_bytes + 1)


def _read_archive(source: str, archive: Path | bytes,
                  limits: Limits) -> Iterator[Document | Skipped]:
    for member in iter_members(source, archive, limits):
        if isinstance(member, Skipped):
            yield member
        else:
            yield _read_article(member.source, member.name, member.size, member.read, limits)


def _read_article(source: str, name: str, size: int, read: Callable[[int], bytes],
                  limits: Limits) -> Document | Skipped:
    """One article file of `size` bytes; `read(n)` gives at most n + 1 of its bytes."""
    suffix = _suffix(name)
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        kind = f"{suffix} files are" if suffix else "files without an extension are"
        return Skipped(source, f"not an article: {kind} not read")
    if size > limits.max_article_bytes:
        return Skipped(source, too_large("file", size, limits.max_article_bytes))
    try:
        data = read(limits.max_article_bytes)
    except OSError as err:
        return Skipped(source, f"cannot read file: {err.strerror}")
    except ArchiveError as err:
        return Skipped(source, str(err))
    if len(data) > limits.max_article_bytes:
        return Skipped(source, too_large("file", len(data), limits.max_article_bytes))
    if not data:
        return Skipped(source, "empty file")
    try:
        text = decode_text(data)
    except IngestError as err:
        return Skipped(source, str(err))
    doc_id = PurePosixPath(name.replace("\\", "/")).stem
    if suffix in HTML_SUFFIXES:
        return _html_document(doc_id, source, text)
    if not text.strip():
        return Skipped(source, "empty file (only blank space)")
    return Document(doc_id=doc_id, text=text, source=source)


def _html_document(doc_id: str, source: str, page: str) -> Document | Skipped:
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


def _suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _binary_kind(data: bytes) -> str | None:
    for offset, signature, kind in _MAGIC:
        if data.startswith(signature, offset):
            return kind
    return None


def _decode_marked(data: bytes) -> str | None:
    """Text that starts with a byte-order mark, without the mark; None when there is none."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as err:
                raise IngestError(f"not valid {encoding.upper()} text despite its byte-order "
                                  f"mark (bad bytes at offset {err.start}), not read") from err
    return None


def _decode_utf8(data: bytes) -> str | None:
    """Valid UTF-8, allowing one character cut short at the very end (a truncated file)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.start >= len(data) - 3:
            return data[:err.start].decode("utf-8", errors="strict") + "\ufffd"
        return None


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: NUL bytes on one side of most byte pairs."""
    sample = data[:UTF16_SAMPLE_BYTES]
    pairs = len(sample) // 2 or 1
    nul_shares = sample[1::2].count(0) / pairs, sample[0::2].count(0) / pairs
    if len(data) % 2:
        return None
    if nul_shares[0] > UTF16_MIN_NUL_SHARE and nul_shares[1] < UTF16_MAX_STRAY_NUL_SHARE:
        encoding = "utf-16-le"  # Latin letters have a NUL high byte, which comes second
    elif nul_shares[1] > UTF16_MIN_NUL_SHARE and nul_shares[0] < UTF16_MAX_STRAY_NUL_SHARE:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _check_controls(text: str) -> None:
    sample = text[:CONTROL_SAMPLE_CHARS]
    share = len(_CONTROL.findall(sample)) / max(len(sample), 1)
    if share > MAX_CONTROL_SHARE:
        raise IngestError(f"binary file ({share:.0%} control characters), not an article")
