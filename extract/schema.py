"""The facts table's columns (see README, "The facts table") and their Arrow types."""
import pyarrow as pa

COLUMNS = [
    "doc_id", "published", "province", "province_2025", "place", "metric",
    "value", "unit", "value_max", "qualifier", "period_start", "period_end",
    "text", "sentence", "start", "end", "source", "rule",
    "counterpart", "content_hash",
]
"""Schema columns in order; `counterpart` (a foreign partner place) and
`content_hash` (sha256 of the article text, ties a row to its article version)
are additions the schema allows."""

DATE_COLUMNS = ["published", "period_start", "period_end"]
FLOAT_COLUMNS = ["value", "value_max"]
INT_COLUMNS = ["start", "end"]
ARTICLE_COLUMNS = ["doc_id", "text", "title", "source", "url", "published", "content_hash"]
"""The article table's columns; it joins the facts by doc_id."""
QUALIFIERS = ("exact", "over", "under", "approx", "vague", "range")
"""The values of the `qualifier` column."""


def _arrow_type(column: str) -> pa.DataType:
    if column in DATE_COLUMNS:
        return pa.date32()
    if column in FLOAT_COLUMNS:
        return pa.float64()
    if column in INT_COLUMNS:
        return pa.int64()
    return pa.string()


FACTS_SCHEMA = pa.schema([(name, _arrow_type(name)) for name in COLUMNS])


def facts_table(rows: list[dict]) -> pa.Table:
    """Rows of figures (dicts of schema columns) as an Arrow table with the schema's types."""
    return pa.Table.from_pylist(rows, schema=FACTS_SCHEMA)
