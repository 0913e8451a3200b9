"""click's exceptions and help formatter, as the installed typer uses them: typer 0.25
and later carry a trimmed copy of click (``typer._click``), older ones depend on click
itself."""

from __future__ import annotations

from typing import Any

from typer import Abort

try:
    from typer._click.exceptions import ClickException, NoSuchOption, UsageError
    from typer._click.formatting import HelpFormatter
except ImportError:  # pragma: no cover - an older typer, built on click itself
    from click.exceptions import (  # type: ignore[assignment, no-redef, unused-ignore]
        ClickException,
        NoSuchOption,
        UsageError,
    )
    from click.formatting import (  # type: ignore[assignment, no-redef, unused-ignore]
        HelpFormatter,
    )


def takes_one_value(param: Any) -> bool:
    """An option (not an argument) that takes a single value: not a flag, a counter or
    a repeatable option."""
    return (
        getattr(param, "param_type_name", "") == "option"
        and param.name is not None
        and not (param.multiple or param.is_flag or param.count)
    )


__all__ = [
    "Abort",
    "ClickException",
    "HelpFormatter",
    "NoSuchOption",
    "UsageError",
    "takes_one_value",
]
