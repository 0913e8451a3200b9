"""Every example the documentation gives runs: the README's code blocks and command
tables, and the "Example:" line of every command's --help.

Each example runs as a real ``canon`` process in a shell, in a sandbox: its own
CANON_HOME and HOME, the files and marks the example talks about made first,
``EDITOR=true`` and ``BROWSER=true``, and no way out to the network (``links check``
reads a copy of the catalog whose links point at a server on 127.0.0.1, and every
proxy variable points at a closed local port). An example fails on a usage error
(exit code 2) or a traceback; any other outcome is the program's answer to it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from tests.linkserver import closed_port_url, link_server

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

# Words of the command tables that stand for a value, and what the sandbox gives them
PLACEHOLDERS = [
    (r"\[--\w+ [A-Z]+\](?:\.\.\.)?", ""),  # optional options: [--year Y] [--tag T]...
    (r"\bID\.\.\.", "attention bert"),
    (r"\[ID\]", "lora"),
    (r"\bURL\b", "https://arxiv.org/abs/2305.10601"),
    (r"--title T\b", "--title 'Tree of thoughts'"),
    (r"--section S\b", "--section agents"),
]


def readme_examples() -> list[str]:
    """Command lines of the README's code blocks and the first cell of its tables."""
    text = README.read_text(encoding="utf-8")
    found: list[str] = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.strip().removeprefix("$ ")
            if line == "canon" or line.startswith("canon "):
                found.append(line.split("  #")[0].split(" # ")[0].strip())
    for line in text.splitlines():
        if line.startswith("| `canon"):
            first_cell = line.split("|")[1]
            found += [c for c in re.findall(r"`([^`]*)`", first_cell) if c.startswith("canon")]
    return list(dict.fromkeys(found))


def help_examples() -> list[str]:
    """The "Example:" paragraph of every command's --help, as one line each."""
    from canon_cli.cli.app import help_texts

    found = []
    for path, text in sorted(help_texts().items()):
        for paragraph in re.split(r"\n\s*\n", text):
            words = paragraph.split()
            if words[:1] == ["Example:"]:
                found.append(" ".join(words[1:]))
        assert path == "" or any(e.startswith("canon") for e in found), path
    return list(dict.fromkeys(found))


def concrete(example: str, home: Path) -> str:
    """``example`` with its placeholders filled in for the sandbox."""
    line = example
    if re.search(r"^canon remove ID\b", line):
        line = line.replace("ID", "tree-of-thoughts")
    for pattern, value in PLACEHOLDERS:
        line = re.sub(pattern, value, line)
    if " FILE" in line:
        if line.startswith("canon state export"):
            value = str(home / "new-export.yaml")
        elif "links check" in line:
            value = str(home / "local-catalog.yaml")
        elif "catalog" in line:
            value = str(home / "reading" / "team-list.yaml")
        else:
            value = str(home / "canon-state.yaml")
        line = line.replace("FILE", value)
    line = re.sub(r"\bID\b", "attention", line)
    return re.sub(r"\s+", " ", line).strip()


EXAMPLES = [("README", e) for e in readme_examples()] + [("help", e) for e in help_examples()]


@pytest.fixture
def sandbox(tmp_path: Path, cli: Any) -> dict[str, str]:
    """A home with marks, an export and the files the examples name."""
    home = tmp_path / "home"
    for folder in ("reading", "Dropbox/canon", "canon-sync", "work"):
        (home / folder).mkdir(parents=True, exist_ok=True)
    for args in (
        ["done", "bert", "gpt-3"],
        ["start", "lora"],
        ["note", "lora", "a first note"],
        ["rate", "bert", "4"],
        ["state", "export", str(home / "canon-state.yaml")],
    ):
        assert cli(*args).exit_code == 0, args
    for name in ("laptop-state.yaml", "state.yaml"):
        shutil.copy(home / "canon-state.yaml", home / "work" / name)
    team = (
        "version: 1\nsections:\n  - slug: team\n    name: {en: Team}\nentries:\n"
        "  - id: team-pick\n    title: A team pick\n    url: https://example.org/a\n"
        "    section: team\n    kind: paper\n    summary: {en: x}\n"
    )
    for path in (home / "reading/team-list.yaml", home / "reading/extra.yaml"):
        path.write_text(team, encoding="utf-8")
    (home / "work/more.yaml").write_text(team, encoding="utf-8")
    closed = closed_port_url()
    env = {
        **os.environ,
        "HOME": str(home),
        "EDITOR": "true",
        "VISUAL": "true",
        "BROWSER": "true",
        "NO_PROXY": "127.0.0.1,localhost",
        **{v: closed for v in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy")},
        **{v: closed for v in ("https_proxy", "all_proxy")},
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    return env


def local_catalog(home: Path, base: str) -> Path:
    """The built-in catalog with every link pointing at the local server."""
    text = paths.builtin_catalog_path().read_text(encoding="utf-8")
    copy = home / "local-catalog.yaml"
    copy.write_text(re.sub(r"https?://", base + "ok?u=", text), encoding="utf-8")
    return copy


def run(line: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    canon = f"{sys.executable} -m canon_cli"
    shell = re.sub(r"(^|\| |; )canon\b", lambda m: m.group(1) + canon, line)
    return subprocess.run(
        ["bash", "-c", shell],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_the_examples_are_found() -> None:
    readme = readme_examples()
    assert "canon list --section agents" in readme and len(readme) > 40
    helps = help_examples()
    assert "canon show attention" in helps and len(helps) > 30


@pytest.mark.parametrize(("source", "example"), EXAMPLES, ids=[f"{s}: {e}" for s, e in EXAMPLES])
def test_every_documented_example_runs(
    source: str, example: str, sandbox: dict[str, str], cli: Any
) -> None:
    home = Path(sandbox["HOME"])
    line = concrete(example, home)
    if line.startswith("canon remove"):
        added = cli(
            "add",
            "https://arxiv.org/abs/2305.10601",
            "--title",
            "Tree of thoughts",
            "--section",
            "agents",
        )
        assert added.exit_code == 0, added.stderr
    if line.startswith("canon note bert --"):  # editing or deleting needs notes
        for text in ("The masked-word objective.", "Compare with GPT-1."):
            assert cli("note", "bert", text).exit_code == 0
    if line.startswith("canon state export"):  # an export refuses to overwrite a file
        (home / "canon-state.yaml").unlink()
    if line.startswith("canon sync"):  # it needs a sync folder
        assert cli("config", "set", "sync_folder", str(home / "canon-sync")).exit_code == 0
    if line.startswith("canon config remove-catalog"):
        assert cli("config", "add-catalog", str(home / "reading/team-list.yaml")).exit_code == 0
    env = dict(sandbox)
    with link_server() as server:
        if "links check" in line:
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            env["CANON_CATALOG"] = str(local_catalog(home, base))
        result = run(line, env, home / "work")
    said = f"{source} example {example!r} ran as {line!r}:\n{result.stderr}"
    assert "Traceback" not in result.stderr, said
    assert result.returncode != 2, said
