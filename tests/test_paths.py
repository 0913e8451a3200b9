"""canon's own XDG rules on Linux give what platformdirs gives, in every case."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from canon_cli import paths

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux rules")

HOMES = ["/home/ann", "/home/ann/", "/", "relative/home", ""]
XDG = [None, "", "relative/xdg", "/srv/xdg", "/srv/xdg/", "//srv"]


@linux_only
@pytest.mark.parametrize("home", HOMES)
@pytest.mark.parametrize("xdg", XDG)
def test_linux_rules_agree_with_platformdirs(
    home: str, xdg: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CANON_HOME")
    monkeypatch.setenv("HOME", home)
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg and f"{xdg}/{variable.lower()}")
    expected = {
        "data": Path(platformdirs.user_data_dir("canon", appauthor=False)),
        "config": Path(platformdirs.user_config_dir("canon", appauthor=False)),
        "cache": Path(platformdirs.user_cache_dir("canon", appauthor=False)),
    }
    assert {"data": paths.data_dir(), "config": paths.config_dir(), "cache": paths.cache_dir()} == (
        expected
    )


@linux_only
def test_no_platformdirs_import_on_linux(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from canon_cli import paths\n"
        "print(paths.data_dir(), paths.config_dir(), paths.cache_dir())\n"
        "assert 'platformdirs' not in sys.modules\n"
    )
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        f"{tmp_path}/.local/share/canon",
        f"{tmp_path}/.config/canon",
        f"{tmp_path}/.cache/canon",
    ]


def test_canon_home_moves_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANON_HOME", str(tmp_path / "h"))
    assert (paths.data_dir(), paths.config_dir(), paths.cache_dir()) == (
        tmp_path / "h",
        tmp_path / "h",
        tmp_path / "h" / "cache",
    )
