"""The user's settings: a small TOML file in the config dir.

TOML because it is pleasant to edit by hand and the standard library reads it
quickly, so every run can honour it without a cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CanonIOError, ConfigError

LANGUAGES = ("en", "zh")
KEYS = {
    "language": "Language of summaries and section names: en or zh.",
    "catalogs": "Extra catalog files merged after the built-in one (a list of paths).",
    "open_marks_reading": "Whether 'canon open' marks an unread entry as reading (true/false).",
}


@dataclass(frozen=True)
class Config:
    language: str = "en"
    catalogs: tuple[str, ...] = ()
    open_marks_reading: bool = True
    path: Path | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "catalogs": list(self.catalogs),
            "open_marks_reading": self.open_marks_reading,
        }


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def validate(data: dict[str, Any], path: Path, text: str = "") -> Config:
    """Check every key and value; the error names the file, line and key."""
    for key in data:
        if key not in KEYS:
            raise ConfigError(
                f"unknown setting {key!r}",
                path=str(path),
                line=_line_of(text, key),
                hint="Known settings: " + ", ".join(KEYS),
            )
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise ConfigError(
            f"language must be one of {', '.join(LANGUAGES)}, not {language!r}",
            path=str(path),
            line=_line_of(text, "language"),
        )
    catalogs = data.get("catalogs", [])
    if not isinstance(catalogs, list) or not all(isinstance(c, str) and c for c in catalogs):
        raise ConfigError(
            "catalogs must be a list of file paths",
            path=str(path),
            line=_line_of(text, "catalogs"),
        )
    marks = data.get("open_marks_reading", True)
    if not isinstance(marks, bool):
        raise ConfigError(
            "open_marks_reading must be true or false",
            path=str(path),
            line=_line_of(text, "open_marks_reading"),
        )
    return Config(language=language, catalogs=tuple(catalogs), open_marks_reading=marks, path=path)


def load_config(path: Path) -> Config:
    """The settings in ``path``; defaults when the file does not exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path=path)
    except OSError as exc:
        raise CanonIOError(f"cannot read {path}: {exc.strerror or exc}") from None
    import tomllib

    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError("not valid UTF-8 text", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            f"invalid TOML: {exc}",
            path=str(path),
            line=int(match.group(1)) if match else None,
        ) from None
    return validate(data, path, text)


def catalog_paths(config: Config) -> list[Path]:
    """Extra catalogs from the config, relative paths taken from the config's folder."""
    base = config.path.parent if config.path is not None else Path.cwd()
    return [(base / Path(p).expanduser()) for p in config.catalogs]
