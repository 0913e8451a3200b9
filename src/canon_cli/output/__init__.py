"""Turning results into text: terminal drawing, views, export formats."""
