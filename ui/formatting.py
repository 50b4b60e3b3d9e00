"""Numbers, quantities and periods written the Vietnamese way: 1.036 and 97,6."""
from __future__ import annotations

import datetime as dt
from pathlib import PurePath

import pandas as pd
from pandas.io.formats.style import Styler

from ui import strings
from ui.labels import unit_label

SCALES = ((1e12, "scale.trillion"), (1e9, "scale.billion"), (1e6, "scale.million"))


def is_missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def separators(lang: str) -> str:
    """Decimal mark then thousands separator: `,.` in Vietnamese, `.,` in English (Plotly's order)."""
    return strings.text("number.separators", lang)


def format_number(value, decimals: int = 2, lang: str = "vi") -> str:
    """`1036.0` -> `1.036`, `97.6` -> `97,6`, `-2500.5` -> `-2.500,5` (English: `1,036`, `97.6`);
    missing -> ``."""
    if is_missing(value):
        return ""
    decimal, thousands = separators(lang)
    number = round(float(value), decimals)
    whole, _, fraction = f"{abs(number):,.{decimals}f}".partition(".")
    fraction = fraction.rstrip("0")
    written = whole.replace(",", thousands) + (decimal + fraction if fraction else "")
    return ("-" if number < 0 else "") + written


def format_compact(value, lang: str) -> str:
    """A large number with its scale word: `17000000000` -> `17 tỷ`, `41570000` -> `41,57 triệu`."""
    if is_missing(value):
        return ""
    for scale, key in SCALES:
        if abs(float(value)) >= scale:
            return f"{format_number(float(value) / scale, lang=lang)} {strings.text(key, lang)}"
    return format_number(value, lang=lang)


def format_amount(value, qualifier, value_max=None, lang: str = "vi", compact: bool = False) -> str:
    """The number of a figure with its qualifier, no unit: `trên 23.000`, `5–7 triệu`."""
    if is_missing(value):
        return ""
    number = format_compact if compact else (lambda v, lang: format_number(v, lang=lang))
    amount = number(value, lang)
    if qualifier == "range" and not is_missing(value_max):
        return f"{amount}–{number(value_max, lang)}"
    prefix = strings.text(f"prefix.{qualifier}", lang) if strings.has(f"prefix.{qualifier}") else ""
    return f"{prefix} {amount}" if prefix else amount


def format_quantity(value, unit, qualifier, value_max=None, lang: str = "vi", compact: bool = False) -> str:
    """A figure as an analyst reads it: `trên 23.000 lượt người`, `5–7 triệu USD`, `97,6%`."""
    amount = format_amount(value, qualifier, value_max, lang, compact)
    if not amount:
        return ""
    if unit == "percent":
        return f"{amount}%"
    name = unit_label(unit, lang)
    return f"{amount} {name}".strip()


def as_date(value) -> dt.date | None:
    """A date from a date, datetime, Timestamp or ISO string; None when missing."""
    if is_missing(value):
        return None
    return pd.Timestamp(value).date()


def format_date(value) -> str:
    day = as_date(value)
    return day.strftime("%d/%m/%Y") if day else ""


def format_period(start, end, lang: str = "vi") -> str:
    """`Năm 2020`, `Quý I/2022`, `Tháng 7/2025`, `01/01/2023 – 04/08/2023`, or `Không rõ kỳ`."""
    first, last = as_date(start), as_date(end)
    if first is None and last is None:
        return strings.text("period.none", lang)
    if first is None:
        return strings.text("period.until", lang, date=format_date(last))
    if last is None:
        return strings.text("period.since", lang, date=format_date(first))
    if first == last:
        return format_date(first)
    next_day = last + dt.timedelta(days=1)
    if first.day == 1 and next_day.day == 1:
        months = (next_day.year - first.year) * 12 + next_day.month - first.month
        if months == 12 and first.month == 1:
            return strings.text("period.year", lang, year=first.year)
        if months == 3 and first.month % 3 == 1:
            number = first.month // 3 + 1
            return strings.text("period.quarter", lang, roman=("I", "II", "III", "IV")[number - 1],
                                number=number, year=first.year)
        if months == 1:
            return strings.text("period.month", lang, month=first.month, year=first.year)
    return f"{format_date(first)} – {format_date(last)}"


def source_name(source: str) -> str:
    """A web address as it is, a file path by its file name."""
    return source if "://" in str(source) else PurePath(str(source)).name


def sources_line(row, lang: str, labelled: bool = True) -> str:
    """`Nguồn: a.txt` or `3 bài viết: a.txt, b.txt +1`; just the names when not `labelled`. The count is
    `n_sources` when the row has it (its `sources` may name only the first articles)."""
    names = [source_name(s) for s in row["sources"]] or [str(row["doc_id"])]
    counted = row.get("n_sources")
    count = max(len(names), 0 if is_missing(counted) else int(counted))
    shown = ", ".join(names[:2]) + (f" +{count - 2}" if count > 2 else "")
    if not labelled:
        return shown
    if count == 1:
        return strings.text("label.source_one", lang, name=shown)
    return strings.text("label.source_many", lang, n=format_number(count, lang=lang), names=shown)


def localized_numbers(data, columns, lang: str, decimals: int = 2, suffix: str = ""):
    """A Styler (of a DataFrame or of another Styler) that shows `columns` as `1.036` / `97,6`
    (in English `1,036` / `97.6`) while the cells stay numbers, so they still sort as numbers."""
    styler = data if isinstance(data, Styler) else data.style
    present = [c for c in columns if c in styler.data.columns]
    return styler.format(lambda v: f"{format_number(v, decimals, lang)}{suffix}" if not is_missing(v) else "–",
                         subset=present)
