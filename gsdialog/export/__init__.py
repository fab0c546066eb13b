"""Exporting the harvest: a report (HTML, Markdown) and the data (CSV, JSON)."""
