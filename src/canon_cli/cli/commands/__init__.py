"""The typer commands, one module per theme."""
