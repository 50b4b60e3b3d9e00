"""Files, folders, uploads and zip archives in; `Document`s out, or a `Skipped` saying why not.

Text is returned as decoded (only a byte-order mark is removed): normalising
it is a later stage's job, and offsets point into the text as read. Bad input
never raises out of `iter_documents` or `read_upload`.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath

import charset_normalizer

from extract.archive import ArchiveError, iter_members
from extract.document import Document, Skipped, text_hash
from extract.limits import Limits, too_large

__all__ = ["Document", "IngestError", "Limits", "Skipped", "decode_text", "iter_documents",
           "read_upload"]

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ARCHIVE_SUFFIX = ".zip"

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
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
"""The C0 controls and DEL of `_CONTROL`, as bytes."""


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
    return _decode(data)[0]


def _decode(data: bytes) -> tuple[str, bool]:
    """`decode_text`'s text, and whether `data` is exactly its UTF-8 (the bytes to hash)."""
    kind = _binary_kind(data)
    if kind:
        raise IngestError(f"binary file ({kind}), not an article")
    text = _decode_marked(data)
    if text is None and b"\x00" in data:
        text = _decode_utf16_without_bom(data)
        if text is None:
            raise IngestError("binary file (contains NUL bytes), not an article")
    if text is None and (utf8 := _decode_utf8(data)):
        text, whole = utf8
        if _no_control_bytes(data):
            return text, whole
    if text is None:
        match = charset_normalizer.from_bytes(data).best()
        if match is None:
            raise IngestError("text in an unknown character encoding, not read")
        text = str(match)
    _check_controls(text)
    return text, False


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
        read = lambda max_bytes: _read_head(path, max_bytes, info.st_size)  # noqa: E731
        yield _read_article(source, path.name, info.st_size, read, limits)


def _read_head(path: Path, max_bytes: int, size: int) -> bytes:
    """At most max_bytes + 1 bytes of a file of `size` bytes when listed. The first read asks for
    no more than that size needs (a buffer for the whole limit costs a memory map per file); a
    file that has grown since is read on, up to the limit."""
    with open(path, "rb") as file:
        expected = min(size, max_bytes)
        data = file.read(expected + 1)
        if len(data) <= expected:
            return data
        return data + file.read(max_bytes + 1 - len(data))


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
        text, whole_utf8 = _decode(data)
    except IngestError as err:
        return Skipped(source, str(err))
    doc_id = PurePosixPath(name.replace("\\", "/")).stem
    if suffix in HTML_SUFFIXES:
        from .html_page import html_document  # trafilatura loads only when a page is met

        return html_document(doc_id, source, text)
    if not text.strip():
        return Skipped(source, "empty file (only blank space)")
    return Document(doc_id=doc_id, text=text, source=source,
                    content_hash=text_hash(data) if whole_utf8 else "")


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


def _decode_utf8(data: bytes) -> tuple[str, bool] | None:
    """Valid UTF-8 as (text, whole); one character cut short at the very end (a truncated file)
    is read as U+FFFD, and the text is then not `whole`."""
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.start >= len(data) - 3:
            return data[:err.start].decode("utf-8", errors="strict") + "\ufffd", False
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


def _no_control_bytes(data: bytes) -> bool:
    """True when UTF-8 `data` holds no control character: no C0 or DEL byte, and no 0xC2 lead
    byte (C1 controls are 0xC2 0x80–0x9F). A fast test of the bytes; the text is then not checked."""
    return len(data.translate(None, _CONTROL_BYTES)) == len(data) and b"\xc2" not in data


def _check_controls(text: str) -> None:
    sample = text[:CONTROL_SAMPLE_CHARS]
    share = len(_CONTROL.findall(sample)) / max(len(sample), 1)
    if share > MAX_CONTROL_SHARE:
        raise IngestError(f"binary file ({share:.0%} control characters), not an article")
