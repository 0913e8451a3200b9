"""When all the quick path lacks is a catalog snapshot (none yet, or a catalog edited
since), ``canon`` builds it with the general path's own code and answers on the quick
path; whatever goes wrong on the way is the general path's to build and report."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from canon_cli import paths

PROBE = (  # canon's entry; then, on stderr, whether the general path was imported
    "import sys\nsys.argv = ['canon', *sys.argv[1:]]\n"
    "from canon_cli.__main__ import main\n"
    "try:\n    main()\n"
    "finally:\n"
    "    general = 'canon_cli.cli.fastpath' in sys.modules or 'typer' in sys.modules\n"
    "    sys.stderr.write('\\ngeneral\\n' if general else '\\nquick\\n')\n"
)
GENERAL = (  # the typer commands alone
    "import sys\nsys.argv = ['canon', *sys.argv[1:]]\nfrom canon_cli.cli.app import run\nrun()\n"
)
LINE = ["list", "--section", "agents"]


def _run(script: str, *argv: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _quick(*argv: str) -> tuple[tuple[int, str, str], str]:
    """A real run, and which path answered."""
    code, out, err = _run(PROBE, *argv)
    said, _, path = err.removesuffix("\n").rpartition("\n")
    return (code, out, said), path


def _catalog(tmp_path: Path, text: str | None = None) -> Path:
    path = tmp_path / "canon.yaml"
    builtin = paths.builtin_catalog_path().read_text(encoding="utf-8")
    path.write_text(builtin if text is None else text, encoding="utf-8")
    return path


def _snapshots() -> list[Path]:
    return sorted(paths.cache_dir().glob("catalog-*.sqlite"))


@pytest.mark.parametrize(
    "argv",
    [LINE, ["progress"], ["next", "-n", "3"], ["show", "react"], [], ["--lang", "zh", "list"]],
    ids=" ".join,
)
def test_a_first_run_builds_the_snapshot_and_answers_quickly(
    tmp_path: Path, argv: list[str]
) -> None:
    catalog = _catalog(tmp_path)
    found, path = _quick("--catalog", str(catalog), *argv)
    assert path == "quick"
    assert found == _run(GENERAL, "--catalog", str(catalog), *argv)
    assert found[0] == 0 and found[1]
    assert len(_snapshots()) == 1


def test_an_edited_catalog_is_built_again_and_shows_the_edit(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    (code, before, _), _ = _quick("--catalog", str(catalog), *LINE)
    assert code == 0 and "\treact\t" not in before and "react\t2022\t" in before
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("ReAct: Synergizing", "ReAct, edited: Synergizing"), "utf-8")
    (code, after, err), path = _quick("--catalog", str(catalog), *LINE)
    assert (code, err, path) == (0, "", "quick")
    assert "ReAct, edited: Synergizing" in after
    assert after == before.replace("ReAct: Synergizing", "ReAct, edited: Synergizing")


def test_a_bad_catalog_is_reported_as_the_general_path_reports_it(tmp_path: Path) -> None:
    builtin = paths.builtin_catalog_path().read_text(encoding="utf-8")
    catalog = _catalog(tmp_path, builtin.replace("kind: paper", "kind: poem", 1))
    found, path = _quick("--catalog", str(catalog), *LINE)
    assert path == "general"
    assert found == _run(GENERAL, "--catalog", str(catalog), *LINE)
    assert found[0] == 3 and "kind must be one of" in found[2] and "Traceback" not in found[2]
    assert _snapshots() == []
    assert not [p for p in paths.cache_dir().iterdir() if p.name.endswith(".tmp")]


def test_a_cache_that_cannot_keep_the_snapshot_leaves_it_to_the_general_path(
    tmp_path: Path,
) -> None:
    catalog = _catalog(tmp_path)
    cache = paths.cache_dir()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("a file where the cache dir goes", encoding="utf-8")
    found, path = _quick("--catalog", str(catalog), *LINE)
    assert path == "general"
    assert found == _run(GENERAL, "--catalog", str(catalog), *LINE)
    assert found[0] == 0 and "react\t2022\t" in found[1]


def _big_catalog(tmp_path: Path, entries: int) -> Path:
    lines = [
        "version: 2",
        "sections:",
        "  - {slug: s, name: {en: S}}",
        "entries:",
    ]
    for n in range(entries):
        lines.append(
            f"  - {{id: e{n}, title: Entry {n}, url: 'https://example.org/{n}', section: s,"
            f" kind: paper, summary: {{en: Summary of entry {n}}}}}"
        )
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_the_build_leaves_no_temp_and_its_exit_code(
    tmp_path: Path, sig: int, code: int
) -> None:
    catalog = _big_catalog(tmp_path, 40_000)
    proc = subprocess.Popen(
        [sys.executable, "-c", PROBE, "--catalog", str(catalog), *LINE],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    cache = paths.cache_dir()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if cache.is_dir() and any(p.name.endswith(".tmp") for p in cache.iterdir()):
            break  # building
        time.sleep(0.01)
    time.sleep(0.2)
    assert proc.poll() is None, "the build ended before the signal"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert b"Traceback" not in err
    assert err.endswith(b"\nquick\n")  # the quick path was building when it came
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]
    assert _snapshots() == []
