"""An article as read from disk: the unit every later stage works on."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


def text_hash(utf8: bytes) -> str:
    """The content hash of a text, from its UTF-8 encoding: sha256, hex."""
    return hashlib.sha256(utf8).hexdigest()


@dataclass(frozen=True)
class Document:
    """Decoded article text with what its file or page says about it."""

    doc_id: str
    text: str
    source: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    content_hash: str = field(default="")

    def __post_init__(self):
        if not self.content_hash:
            object.__setattr__(self, "content_hash", text_hash(self.text.encode("utf-8")))


@dataclass(frozen=True)
class Skipped:
    """A file that could not be read, with a reason an analyst can act on."""

    source: str
    reason: str
