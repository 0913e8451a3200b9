"""The command line: the typer app, the fast path, options and completion."""
