"""Reading numbers written the Vietnamese way: `.` groups thousands, `,` marks decimals."""
from __future__ import annotations

import math

import regex

NUMBER = r"\d+(?:[.,]\d+)*"
"""A run of digits with separators; `read_number` decides what it means."""

_THOUSANDS = regex.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_ENGLISH_THOUSANDS = regex.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")
_DECIMAL_COMMA = regex.compile(r"\d+(?:,\d+)?")
_DECIMAL_POINT = regex.compile(r"\d+\.\d{1,2}|\d+\.\d{4,}")


def read_number(token: str) -> float | None:
    """The value of a number token, or None when it is not one; never raises.

    `1.036` is 1036, `97,6` is 97.6, `02` is 2 (a count, not octal). A lone dot
    that cannot group thousands (`2.5`) is read as a decimal point, and comma
    groups of three beyond the first (`1,234,567`) as English thousands.
    """
    if not isinstance(token, str):
        return None
    t = token.strip()
    if _THOUSANDS.fullmatch(t):
        plain = t.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.fullmatch(t):
        plain = t.replace(",", ".")
    elif _ENGLISH_THOUSANDS.fullmatch(t):
        plain = t.replace(",", "")
    elif _DECIMAL_POINT.fullmatch(t):
        plain = t
    else:
        return None
    value = float(plain)
    return value if math.isfinite(value) else None
