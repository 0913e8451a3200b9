"""Reading progress commands: marks, progress, next, log, stats, state sync."""

from __future__ import annotations

import typer

app = typer.Typer()
