"""``--help`` in the run's language.

canon's help is declared once, in English, as message ids: each option's and
argument's help in ``spec.py`` (marked ``N_``), and each command's help made by
``command_help`` from ``N_`` paragraphs and one example command line. typer builds the
click commands from them before canon has chosen a language, so the words are
translated when the help is shown (``LocalHelp``, part of canon's command classes), by
which time the language is known. Only the example's label is translated, never its
command line: every example runs the same in both languages.

click's and typer's own words ("Usage:", "Options", "[default: ...]", "Show this message
and exit.") are English in the installed typer: its copy of click writes some as fixed
strings and typer passes the rest to ``gettext.gettext`` (the default domain, which
follows the locale, not canon's choice). ``LocalHelp`` writes the first kind itself, and
``adopt_typer_words`` has typer ask canon's catalog for the words of the second kind
that canon knows. In English nothing changes and gettext is not consulted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from canon_cli.i18n import N_, _, language

EXAMPLE = "Example: "

# typer's words that go through gettext (typer.core's ``_``), as canon's catalog has them
TYPER_WORDS = frozenset(
    {
        N_("Arguments"),
        N_("Options"),
        N_("Commands"),
        N_("default: {default}"),
        N_("env var: {var}"),
        N_("required"),
    }
)
# the help of click's and typer's own options, translated like canon's option help
N_("Show this message and exit.")
N_("Install completion for the current shell.")
N_("Show completion for the current shell, to copy it or customize the installation.")
# the usage line's placeholders for options and subcommands
USAGE_METAVARS = frozenset({N_("[OPTIONS]"), N_("COMMAND [ARGS]...")})
# the value placeholders click derives from an option's type, where spec.py names none
TYPE_METAVARS = frozenset(
    {
        N_("<str>"),
        N_("<int>"),
        N_("<int range>"),
        N_("<float>"),
        N_("<float range>"),
        N_("<path>"),
        N_("<file>"),
    }
)


def command_help(*paragraphs: str, example: str) -> str:
    """A command's help: its ``N_`` paragraphs, then ``Example: COMMAND LINE``."""
    return "\n\n".join([*paragraphs, EXAMPLE + example])


def translated(text: str) -> str:
    """``text`` (help declared as above) in the run's language, paragraph by paragraph."""
    if language() == "en":
        return text
    said = []
    for paragraph in text.split("\n\n"):
        plain = " ".join(paragraph.split())
        if plain.startswith(EXAMPLE):
            said.append(_("Example: {command}").format(command=plain.removeprefix(EXAMPLE)))
        else:
            said.append(_(plain))
    return "\n\n".join(said)


def adopt_typer_words() -> None:
    """typer's gettext words from canon's catalog (others as typer would say them)."""
    import typer.core

    namespace = vars(typer.core)  # where typer.core looks its ``_`` up
    typer_says: Callable[[str], str] | None = namespace.get("_")
    if typer_says is None or getattr(typer_says, "canon_words", False):
        return  # a typer that words its help otherwise (its words stay English), or done

    def words(message: str) -> str:
        return _(message) if message in TYPER_WORDS else typer_says(message)

    words.canon_words = True  # type: ignore[attr-defined]
    namespace["_"] = words


def _declared(thing: Any, attribute: str) -> Any:
    """The value ``attribute`` had as declared (before any translation)."""
    key = f"_canon_declared_{attribute}"
    if key not in vars(thing):
        setattr(thing, key, getattr(thing, attribute))
    return vars(thing)[key]


def localize_param(param: Any, ctx: Any) -> None:
    """A parameter's help (and a placeholder click made up) in the run's language."""
    help_text = _declared(param, "help")
    param.help = None if help_text is None else translated(help_text)
    metavar = _declared(param, "metavar")
    param.metavar = metavar
    placeholder = param.param_type_name == "option" and not (param.is_flag or param.count)
    if metavar is None and placeholder and language() != "en":
        shown = param.make_metavar(ctx)
        param.metavar = _(shown) if shown in TYPE_METAVARS else None


class LocalHelp:
    """canon's commands and groups: their help in the run's language.

    English goes through click unchanged, byte for byte; another language gets its
    words here and a formatter that counts a CJK character as two columns.
    """

    help: str | None
    short_help: str | None

    def get_help(self, ctx: Any) -> str:
        if language() == "en":
            return str(super().get_help(ctx))  # type: ignore[misc]
        from canon_cli.cli.helpformat import WideHelpFormatter

        formatter = WideHelpFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
        self.format_help(ctx, formatter)
        return str(formatter.getvalue()).rstrip("\n")

    def format_help(self, ctx: Any, formatter: Any) -> None:
        declared = _declared(self, "help")
        self.help = None if declared is None else translated(declared)
        for attribute in ("options_metavar", "subcommand_metavar"):
            if hasattr(self, attribute):
                metavar = _declared(self, attribute)
                said = _(metavar) if metavar in USAGE_METAVARS else metavar
                setattr(self, attribute, said)
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            localize_param(param, ctx)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), _("Usage: "))

    def get_short_help_str(self, limit: int = 45) -> str:
        declared = _declared(self, "help")
        if language() == "en" or self.short_help or not declared:
            self.help = declared  # as declared, whatever language showed it before
            return str(super().get_short_help_str(limit))  # type: ignore[misc]
        from canon_cli.cli.helpformat import short_help

        return short_help(translated(declared), limit)
