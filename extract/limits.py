"""Size limits for reading files, uploads and zip archives, and how to say them."""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
GB = 1024 * MB


@dataclass(frozen=True)
class Limits:
    """How much input one read may take before it is refused."""

    max_article_bytes: int = 5 * MB
    max_upload_bytes: int = 200 * MB
    max_zip_members: int = 10_000
    max_zip_total_bytes: int = 1 * GB
    max_zip_ratio: float = 100.0


def format_size(n_bytes: int) -> str:
    """`12.3 MB`, `5 MB`, `1 GB`, `740 bytes`: one decimal at most, no trailing `.0`."""
    for unit, size in (("GB", GB), ("MB", MB), ("KB", 1024)):
        if n_bytes >= size:
            return f"{n_bytes / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n_bytes} bytes"


def too_large(what: str, size: int, limit: int) -> str:
    """The reason for refusing `what` (a file, an upload) of `size` bytes."""
    shown, allowed = format_size(size), format_size(limit)
    if shown == allowed:
        shown, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    return f"{what} too large ({shown} > {allowed} limit)"
