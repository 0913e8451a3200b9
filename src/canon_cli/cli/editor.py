"""Running the user's editor on a temp file ($VISUAL, then $EDITOR, then vi)."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from canon_cli.errors import FailureError
from canon_cli.i18n import _


def editor_command() -> list[str]:
    text = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        argv = shlex.split(text)
    except ValueError:
        argv = []
    if not argv:
        raise FailureError(
            _("cannot read the editor command {text!r}").format(text=text),
            hint=_("Set VISUAL or EDITOR to your editor, e.g. EDITOR=nano."),
        )
    return argv


def edit_text(text: str, name: str = "canon-state.yaml") -> str:
    """Open ``text`` in the editor and return what was saved. The editor shares the
    terminal; a failing editor is a ``FailureError`` (nothing is changed)."""
    argv = editor_command()
    with tempfile.TemporaryDirectory(prefix="canon-edit-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run([*argv, str(path)], check=False)
        except OSError as exc:
            raise FailureError(
                _("cannot run the editor {editor!r}: {reason}").format(
                    editor=" ".join(argv), reason=exc.strerror or exc
                ),
                hint=_("Set VISUAL or EDITOR to your editor, e.g. EDITOR=nano."),
            ) from None
        if result.returncode != 0:
            raise FailureError(
                _("the editor exited with status {code}; nothing was changed").format(
                    code=result.returncode
                )
            )
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FailureError(
                _("cannot read what the editor saved ({reason}); nothing was changed").format(
                    reason=exc
                )
            ) from None
