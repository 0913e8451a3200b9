"""Every error canon reports to a user, and the exit code each one ends with.

Domain code raises these; the CLI turns them into one clean message on stderr and
the matching exit code. Anything else that escapes is a bug in canon.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

from canon_cli.i18n import _


class ExitCode(IntEnum):
    """The documented exit codes (README, "Exit codes")."""

    OK = 0
    FAILURE = 1  # the command ran but what was asked could not be done (e.g. no browser)
    USAGE = 2  # bad arguments, unknown id/section/tag, ambiguous input
    DATA = 3  # a catalog, state or config file is invalid
    BUSY = 4  # another canon holds the state lock for too long
    IO = 5  # reading or writing a file failed (permissions, disk full, ...)
    INTERRUPTED = 130  # Ctrl-C (SIGINT): 128 + 2, as shells report a signal
    TERMINATED = 143  # SIGTERM: 128 + 15


class Terminated(BaseException):
    """canon received SIGTERM. Raised wherever canon was, as Ctrl-C raises
    KeyboardInterrupt, so every cleanup runs (temp files removed, locks released)
    before the process exits with ``ExitCode.TERMINATED``; like KeyboardInterrupt it is
    no ``Exception``, so no ``except Exception`` swallows it."""


class CanonError(Exception):
    """Base of canon's own errors: a message for the user and an exit code."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n{self.hint}"


class UsageError(CanonError):
    """The user asked for something that does not exist or is ambiguous."""

    exit_code = ExitCode.USAGE


class DataError(CanonError):
    """A file canon reads is invalid; the message names the file, line and field."""

    exit_code = ExitCode.DATA

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message, hint=hint)
        self.path = path
        self.line = line


class CatalogError(DataError):
    """The catalog file does not parse or does not match the catalog schema."""


class StateError(DataError):
    """The reading-state file does not parse, is too new, or fails validation."""


class ConfigError(DataError):
    """The config file or a config value is invalid."""


class BusyError(CanonError):
    """Another canon process held the state lock past the wait limit."""

    exit_code = ExitCode.BUSY


class CanonIOError(CanonError):
    """Reading or writing a file failed at the operating-system level."""

    exit_code = ExitCode.IO


class FailureError(CanonError):
    """The request was valid but could not be carried out (exit code 1)."""

    exit_code = ExitCode.FAILURE


def _choice_words() -> dict[str, tuple[str, str]]:
    # One whole sentence per thing, not "unknown {what}": a translation needs them whole
    return {
        "section": (_("unknown section {value}"), _("Valid sections: {choices}")),
        "tag": (_("unknown tag {value}"), _("Valid tags: {choices}")),
        "kind": (_("unknown kind {value}"), _("Valid kinds: {choices}")),
        "status": (_("unknown status {value}"), _("Valid statuses: {choices}")),
        "setting": (_("unknown setting {value}"), _("Valid settings: {choices}")),
        "language": (_("unknown language {value}"), _("Valid languages: {choices}")),
    }


def unknown_choice(
    what: str, value: str, valid: Iterable[str], plural: str = "", synonyms: Iterable[str] = ()
) -> UsageError:
    """The one wording of "that is not one of the choices", with the closest as a hint.

    ``plural`` names the choices when adding "s" to ``what`` would be wrong ("statuses");
    ``synonyms`` are other accepted spellings, offered as hints but not listed.
    """
    import difflib

    choices = list(valid)
    close = difflib.get_close_matches(value, [*choices, *synonyms], n=1)
    hint = _("Did you mean {value}?").format(value=repr(close[0])) + " " if close else ""
    message, listing = _choice_words().get(
        what, (f"unknown {what} {{value}}", f"Valid {plural or what + 's'}: {{choices}}")
    )
    return UsageError(
        message.format(value=repr(value)),
        hint=hint + listing.format(choices=", ".join(choices)),
    )
