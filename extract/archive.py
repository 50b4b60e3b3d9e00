"""Zip archives read in memory, member by member, within limits that stop zip bombs.

Nothing is extracted to disk. An archive is refused whole when it lists too
many members or declares too many bytes; a member is refused when its name
is unsafe, it is encrypted, or it expands too much. Every read is capped, so
a header that lies about sizes cannot make a read grow past the limits.
"""
from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

from extract.document import Skipped
from extract.limits import Limits, format_size, too_large

CHUNK_BYTES = 64 * 1024
RATIO_FLOOR_BYTES = 1024 * 1024
"""Below this size a high compression ratio costs nothing and is not checked."""
DIRECTORY_BYTES_PER_MEMBER = 1024
"""A generous size for one member's record in the archive's directory."""

_END_RECORD = b"PK\x05\x06"
_END_RECORD_BYTES = 22
_MAX_COMMENT_BYTES = 0xFFFF
_UTF8_NAME_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_DRIVE = re.compile(r"[A-Za-z]:")
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
            RuntimeError, ValueError, OSError, struct.error)
"""What zipfile raises on a damaged or unsupported archive."""


class ArchiveError(Exception):
    """A member could not be read; the message says why."""


@dataclass(frozen=True)
class Member:
    """One file inside an archive. Call `read` before asking for the next member."""

    source: str
    """`archive.zip!folder/article.txt`"""
    name: str
    """The member's path inside the archive."""
    size: int
    """Declared uncompressed size."""
    read: Callable[[int], bytes]
    """`read(max_bytes)` gives at most `max_bytes + 1` bytes, so an oversized member shows."""


class _Budget:
    """What an archive, nested archives included, may still expand to."""

    def __init__(self, limits: Limits):
        self.members = limits.max_zip_members
        self.bytes = limits.max_zip_total_bytes


def iter_members(source: str, archive: str | os.PathLike | bytes,
                 limits: Limits = Limits()) -> Iterator[Member | Skipped]:
    """The readable members of a zip file (path) or zip upload (bytes), in archive order.

    Directories, `__MACOSX/` and hidden members are left out silently; zips
    inside the archive are opened one level deep.
    """
    budget = _Budget(limits)
    if isinstance(archive, bytes):
        yield from _members(source, io.BytesIO(archive), limits, budget, nested=False)
        return
    try:
        file = open(archive, "rb")
    except OSError as err:
        yield Skipped(source, f"cannot read file: {err.strerror}")
        return
    with file:
        yield from _members(source, file, limits, budget, nested=False)


def _members(source: str, file: BinaryIO, limits: Limits, budget: _Budget,
             nested: bool) -> Iterator[Member | Skipped]:
    try:
        archive = _open(file, limits, budget)
    except ArchiveError as err:
        yield Skipped(source, str(err))
        return
    with archive:
        for info in archive.infolist():
            yield from _member(source, archive, info, limits, budget, nested)


def _open(file: BinaryIO, limits: Limits, budget: _Budget) -> zipfile.ZipFile:
    """The archive, once its member count and declared size fit the budget, which it takes."""
    try:
        if _listed_members(file) > budget.members:
            raise ArchiveError(_too_many_members(limits))
        archive = zipfile.ZipFile(file)
    except _DAMAGED as err:
        raise ArchiveError("not a readable zip archive (corrupt or truncated)") from err
    infos = archive.infolist()
    declared = sum(info.file_size for info in infos)
    refusal = None
    if len(infos) > budget.members:
        refusal = _too_many_members(limits)
    elif declared > budget.bytes:
        refusal = (f"zip archive would expand to {format_size(declared)}, over the "
                   f"{format_size(limits.max_zip_total_bytes)} limit; possible zip bomb, not read")
    if refusal:
        archive.close()
        raise ArchiveError(refusal)
    budget.members -= len(infos)
    return archive


def _member(source: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits,
            budget: _Budget, nested: bool) -> Iterator[Member | Skipped]:
    if info.is_dir():
        return
    name = _member_name(info)
    member_source = f"{source}!{name}"
    if _unsafe(name):
        yield Skipped(member_source, "unsafe member name (absolute path or '..'), not read")
        return
    if _ignored(name):
        return
    if info.flag_bits & _ENCRYPTED_FLAG:
        yield Skipped(member_source, "encrypted zip member, not read")
        return
    refusal = _ratio_refusal(info.file_size, info.compress_size, limits)
    if refusal:
        yield Skipped(member_source, refusal)
        return
    read = partial(_read, archive, info, limits, budget)
    if name.lower().endswith(".zip"):
        yield from _nested(member_source, read, limits, budget, nested)
    else:
        yield Member(member_source, name, info.file_size, read)


def _nested(source: str, read: Callable[[int], bytes], limits: Limits, budget: _Budget,
            nested: bool) -> Iterator[Member | Skipped]:
    if nested:
        yield Skipped(source, "zip inside a nested zip, not read (one level of nesting only)")
        return
    try:
        data = read(limits.max_upload_bytes)
    except ArchiveError as err:
        yield Skipped(source, str(err))
        return
    if len(data) > limits.max_upload_bytes:
        yield Skipped(source, too_large("nested zip", len(data), limits.max_upload_bytes))
        return
    yield from _members(source, io.BytesIO(data), limits, budget, nested=True)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: _Budget,
          max_bytes: int) -> bytes:
    """At most `max_bytes + 1` bytes of a member, charged to the budget.

    The read stops at the budget whatever the headers declared, so once the
    archive's bytes run out every further member is refused.
    """
    allowed = min(max_bytes, budget.bytes) + 1
    data = bytearray()
    try:
        with archive.open(info) as member:
            while len(data) < allowed:
                chunk = member.read(min(CHUNK_BYTES, allowed - len(data)))
                if not chunk:
                    break
                data += chunk
                refusal = _ratio_refusal(len(data), info.compress_size, limits)
                if refusal:
                    raise ArchiveError(refusal)
    except _DAMAGED as err:
        raise ArchiveError(f"corrupt zip member ({err})") from err
    finally:
        budget.bytes -= len(data)
    if budget.bytes < 0:
        limit = format_size(limits.max_zip_total_bytes)
        raise ArchiveError(f"zip archive expands beyond the {limit} limit; possible zip bomb, not read")
    return bytes(data)


def _listed_members(file: BinaryIO) -> int:
    """How many members the archive's end record announces, before zipfile indexes them.

    The directory's size counts too, so an end record that understates the
    count cannot make zipfile build a huge index.
    """
    file.seek(0, io.SEEK_END)
    end = file.tell()
    file.seek(max(0, end - _END_RECORD_BYTES - _MAX_COMMENT_BYTES))
    tail = file.read()
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < _END_RECORD_BYTES:
        raise zipfile.BadZipFile("no end of central directory record")
    count, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
    return max(count, directory_bytes // DIRECTORY_BYTES_PER_MEMBER)


def _too_many_members(limits: Limits) -> str:
    return (f"zip archive has more than {limits.max_zip_members:,} members; "
            "possible zip bomb, not read")


def _ratio_refusal(size: int, compressed: int, limits: Limits) -> str | None:
    ratio = size / max(compressed, 1)
    if size > RATIO_FLOOR_BYTES and ratio > limits.max_zip_ratio:
        return (f"compression ratio {ratio:,.0f}:1 exceeds the {limits.max_zip_ratio:g}:1 limit; "
                "possible zip bomb, not read")
    return None


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name, repaired when a UTF-8 name was stored without its UTF-8 flag."""
    if info.flag_bits & _UTF8_NAME_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def _unsafe(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(_DRIVE.match(path)) or ".." in path.split("/")


def _ignored(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)
