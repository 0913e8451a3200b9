"""The open command: find the entry the user meant and open it in their browser."""

from __future__ import annotations

import typer

app = typer.Typer()
