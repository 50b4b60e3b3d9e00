"""The facts table's columns (see README, "The facts table")."""

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
