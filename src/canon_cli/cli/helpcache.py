"""``--help`` at the interpreter's own speed: typer's help text, stored once per version.

typer stays the one author of help. The first ``--help`` (or ``COMMAND --help``) goes
through typer, which renders the help of every command at once; the texts are stored
in the cache dir and later requests print the stored text without importing typer.

The text depends on the terminal's width (click wraps at ``min(columns, 80) - 2``),
and may depend on the language and colour settings, so the file is named after all of
them; inside, it lists every source file the texts came from (canon's and typer's own
modules, the config file) with size and modification time, and is used only when each
still matches. Anything unexpected (a missing, garbled, stale or non-regular file)
means "ask typer", never a wrong text.

Serving imports nothing of canon but this module (no option spec, no ``pathlib``): a
stored help costs about the interpreter's own start-up. ``__main__`` calls ``serve``
before anything else.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib
from collections.abc import Iterable, Mapping

FORMAT = "canon-help 1"
HELP_NAMES = ("--help", "-h")
MAX_BYTES = 1 << 20
# What the text may depend on besides the terminal's width: the language and colour
# settings, and the variables of the global options (specmodel.GLOBALS; a test keeps the two
# lists equal, so serving need not import the spec).
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR", "FORCE_COLOR", "TERM")
OPTION_VARIABLES = ("CANON_CATALOG", "CANON_LANG")
APP_NAME = "canon"  # paths.APP_NAME


def request(argv: list[str]) -> str | None:
    """The command path whose help ``argv`` asks for ("" is canon itself), or None.
    Any path of plain words: one that names no command has no stored text."""
    if not argv or argv[-1] not in HELP_NAMES:
        return None
    words = argv[:-1]
    if any(word.startswith("-") or not word or "\0" in word for word in words):
        return None
    return " ".join(words)


def help_width() -> int:
    """The width click's help formatter uses: ``shutil.get_terminal_size``'s columns
    (``COLUMNS``, else the terminal of stdout, else 80), capped at 80, less 2, at least 50."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    try:
        lines = int(os.environ["LINES"])
    except (KeyError, ValueError):
        lines = 0
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        if columns <= 0:
            columns = size.columns or 80
    return max(min(columns, 80) - 2, 50)


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def key() -> str:
    """Everything the help text may depend on that is not a file."""
    from canon_cli import __version__

    parts = [FORMAT, __version__, f"width={help_width()}", f"tty={_stdout_is_terminal()}"]
    names = [*ENVIRONMENT, *OPTION_VARIABLES]
    parts += [f"{name}={os.environ.get(name)!r}" for name in names]
    return " ".join(parts)


def cache_file(cache: str | os.PathLike[str], text_key: str) -> str:
    name = f"help-{zlib.crc32(text_key.encode()):08x}.txt"
    return os.path.join(cache, "help", name)


def cache_dir() -> str:
    """``paths.cache_dir()`` without importing ``pathlib`` where the rules are a few lines
    (``CANON_HOME``; Linux's XDG rule); elsewhere ``paths`` decides. A test checks both
    agree."""
    home = os.environ.get("CANON_HOME")
    if home:
        return os.path.join(os.path.expanduser(home), "cache")
    plain_linux = sys.platform.startswith("linux") and not (
        hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ
    )
    value = os.environ.get("XDG_CACHE_HOME", "")
    if plain_linux and value.startswith("/"):
        return os.path.join(value, APP_NAME)
    if plain_linux and os.environ.get("HOME", "").startswith("/"):
        return os.path.join(os.path.expanduser("~/.cache"), APP_NAME)
    from canon_cli import paths

    return str(paths.cache_dir())


def _identity(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return f"{st.st_size} {st.st_mtime_ns}"


def _read(path: str) -> str | None:
    """The file's text if it is a regular file under the size cap. Like
    ``fileio.read_regular`` (checked before it is opened, so a FIFO is never opened,
    and again after), without its imports: this is the whole of a ``--help`` run."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = os.read(fd, MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def lookup(cache: str | os.PathLike[str], path: str) -> str | None:
    """The stored help of command ``path``, if stored for exactly these conditions."""
    text_key = key()
    content = _read(cache_file(cache, text_key))
    if content is None:
        return None
    head, sep, body = content.partition("\n\n")
    lines = head.split("\n")
    if not sep or lines[0] != FORMAT or lines[1:2] != [f"key {text_key}"]:
        return None
    for line in lines[2:]:
        identity, tab, source = line.partition("\t")
        if not tab or _identity(source) != identity:
            return None
    parts = body.split("\0")
    texts = dict(zip(parts[1::2], parts[2::2], strict=False))
    return texts.get(path)


def serve(argv: list[str]) -> int | None:
    """Print the stored help ``argv`` asks for and return 0; None to let typer do it.
    ``canon`` alone is no help request: it is the dashboard."""
    path = request(argv)
    if path is None:
        return None
    text = lookup(cache_dir(), path)
    if text is None:
        return None
    sys.stdout.write(text)
    return 0


def store(cache: str | os.PathLike[str], texts: Mapping[str, str], sources: Iterable[str]) -> None:
    """Keep ``texts`` (command path -> help) for later runs; best effort, like any cache."""
    import contextlib

    from canon_cli.errors import CanonError
    from canon_cli.fileio import atomic_write_bytes

    names = sorted(set(sources))
    if any("\n" in name or "\t" in name for name in [*names, *texts]):
        return
    if any("\0" in text for text in texts.values()):
        return
    head = [FORMAT, f"key {key()}", *(f"{_identity(name)}\t{name}" for name in names)]
    body = "".join(f"\0{path}\0{text}" for path, text in texts.items())
    data = ("\n".join(head) + "\n\n" + body).encode("utf-8")
    from pathlib import Path

    with contextlib.suppress(CanonError, OSError):
        atomic_write_bytes(Path(cache_file(cache, key())), data, durable=False)
