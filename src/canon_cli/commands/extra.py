"""Commands beyond the shipped list: search, config, add/remove, export."""

from __future__ import annotations

import typer

app = typer.Typer()
