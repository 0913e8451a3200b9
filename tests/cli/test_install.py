"""A non-editable install into a fresh virtualenv works from another directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_the_catalog_and_the_command(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "CANON_CATALOG"))
    }
    env["CANON_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [str(env_dir / "bin" / "canon"), "list", "--section", "agents"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 7
    where = subprocess.run(
        [str(python), "-c", "import canon_cli.paths as p; print(p.builtin_catalog_path())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert str(env_dir) in where.stdout  # the catalog inside the installed package
    assert sys.executable != str(python)
    # What the messages point to is installed too (not only in a source checkout)
    shown = subprocess.run(
        [str(env_dir / "bin" / "canon"), "paths", "--json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    import json

    doc = Path(json.loads(shown.stdout)["catalog_format"])
    assert str(env_dir) in str(doc) and "version" in doc.read_text(encoding="utf-8")
    # The Chinese interface is in the wheel too: the compiled catalog ships
    chinese = subprocess.run(
        [str(env_dir / "bin" / "canon"), "--lang", "zh", "list", "--status", "reed"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert chinese.returncode == 2
    assert chinese.stderr.startswith("canon：错误：未知的状态"), chinese.stderr
