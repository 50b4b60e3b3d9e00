"""The dashboard's views, filters, aggregations and exports; dashboard.py wires them together."""
