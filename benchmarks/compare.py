"""canon side by side with buku, papis and pubs on the same reading list.

Usage (after ``pip install .``):

    python benchmarks/compare.py [--runs N] [--canon PATH] [--tools-venv DIR]

buku, papis and pubs are installed into a throwaway virtualenv in a temporary folder
(``python -m venv`` + ``pip install buku papis pubs "bibtexparser<2"``: pubs 0.9.0
needs bibtexparser 1 and does not say so), unless --tools-venv names an existing one
to reuse. The entries of canon's built-in catalog (``canon list --json``) are loaded
into a fresh buku database, a fresh papis library (one folder with an ``info.yaml``
per entry) and a fresh pubs repository (``pubs import`` of ``canon export --format
bibtex``, then each entry's tags written into its pubs metadata file, as ``pubs tag``
would). Every tool runs with HOME, XDG_* and CANON_HOME pointing into the temporary
folder, so the user's real buku database, papis and pubs config and canon state are
never touched.

Three tasks, each timed in rounds of (canon, buku, papis, pubs, floor) with the order
rotated every round, after one warm-up run of each (papis and canon build their
caches then): list everything, filter by one tag, search for one word. The floor
is ``python -c pass`` on canon's interpreter; the ratio of a tool is the median over
rounds of (tool time / floor time in the same round).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import CLEARED_ENV, find_canon, interpreter_of, run_once

TAG = "agents"
WORD = "transformer"

BUKU_IMPORT = """
import json, sys
import buku
db = buku.BukuDb()
for e in json.load(sys.stdin):
    db.add_rec(e["url"], e["title"], buku.parse_tags([",".join(e["tags"])]), e["summary"],
               fetch=False, delay_commit=True)
db.conn.commit()
"""

PAPIS_FORMAT = "{doc[ref]}\t{doc[year]}\t{doc[type]}\t{doc[title]}"


def q(text: object) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(str(text), ensure_ascii=False)


def tools_env(root: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("CANON_") and k not in CLEARED_ENV
    }
    env.pop("TERM", None)
    env["HOME"] = str(root / "home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (root / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(root / sub)
    (root / "home").mkdir(exist_ok=True)
    env["CANON_HOME"] = str(root / "canon")
    env["BUKU_DEFAULT_DBDIR"] = str(root / "data" / "buku")
    return env


TOOLS = ("buku", "papis", "pubs")


def make_tools_venv(where: Path) -> Path:
    print(f"compare: installing {', '.join(TOOLS)} into {where}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    pip = where / "bin" / "pip"
    packages = [*TOOLS, "bibtexparser<2"]  # pubs 0.9.0 breaks with bibtexparser 2
    subprocess.run([str(pip), "install", "--quiet", *packages], check=True)
    return where


def pubs_library(root: Path, pubs: list[str], canon: str, env: dict[str, str]) -> None:
    """A pubs repository holding canon's entries: imported from canon's BibTeX export,
    with each entry's tags (the export's ``keywords``) set in its metadata file."""
    bib = root / "canon.bib"
    exported = subprocess.run(
        [canon, "export", "--format", "bibtex"], capture_output=True, env=env, check=True
    )
    bib.write_bytes(exported.stdout)
    library = root / "pubs-library"
    for args in (["init", "-p", str(library)], ["import", str(bib)]):
        subprocess.run([*pubs, *args], capture_output=True, env=env, check=True)
    text = bib.read_text(encoding="utf-8")
    for match in re.finditer(r"@\w+\{([^,]+),(.*?)\n\}", text, re.S):
        key, body = match.groups()
        found = re.search(r"keywords = \{([^}]*)\}", body)
        tags = [t.strip() for t in found.group(1).split(",")] if found else []
        meta = library / "meta" / f"{key}.yaml"
        listed = ", ".join(f"{t}: null" for t in tags)
        meta.write_text(
            meta.read_text(encoding="utf-8").replace("tags: !!set {}", f"tags: !!set {{{listed}}}"),
            encoding="utf-8",
        )


def papis_library(root: Path, entries: list[dict], env: dict[str, str]) -> None:
    library = root / "papis-library"
    for e in entries:
        folder = library / e["id"]
        folder.mkdir(parents=True)
        authors = e["authors"] or ["Unknown"]
        author_list = []
        for name in authors:
            given, _, family = name.rpartition(" ")
            author_list.append(f"  - {{family: {q(family)}, given: {q(given)}}}\n")
        lines = [
            f"ref: {q(e['id'])}\n",
            f"title: {q(e['title'])}\n",
            f"author: {q(' and '.join(authors))}\n",
            "author_list:\n",
            *author_list,
            f"year: {e['year']}\n" if e["year"] else "",
            f"url: {q(e['url'])}\n",
            f"type: {q(e['kind'])}\n",
            f"tags: {json.dumps(e['tags'])}\n",
            f"abstract: {q(e['summary'])}\n",
        ]
        (folder / "info.yaml").write_text("".join(lines), encoding="utf-8")
    config = Path(env["XDG_CONFIG_HOME"]) / "papis" / "config"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f"[settings]\ndefault-library = bench\n\n[bench]\ndir = {library}\n", encoding="utf-8"
    )


def count_matches(tool: str, argv: list[str], env: dict[str, str]) -> int:
    """How many entries a task returns, to show the tools answer the same question."""
    if tool == "canon":
        out = subprocess.run([*argv, "--json"], capture_output=True, env=env, check=True).stdout
        return len(json.loads(out))
    if tool == "buku":
        out = subprocess.run([*argv, "-j"], capture_output=True, env=env, check=True).stdout
        data = json.loads(out or b"[]")
        return len(data) if isinstance(data, list) else 1
    out = subprocess.run(argv, capture_output=True, env=env, check=True).stdout
    return len([line for line in out.decode().splitlines() if line.strip()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare canon with buku, papis and pubs.")
    parser.add_argument("--runs", type=int, default=10, help="timed rounds per task (10)")
    parser.add_argument("--canon", help="the canon executable (default: canon on PATH)")
    parser.add_argument(
        "--tools-venv", type=Path, help="reuse (or create) this virtualenv for the other tools"
    )
    args = parser.parse_args(argv)
    canon = find_canon(args.canon)
    floor = [interpreter_of(canon), "-c", "pass"]

    with tempfile.TemporaryDirectory(prefix="canon-compare-") as tmp:
        root = Path(tmp)
        venv = args.tools_venv or root / "tools-venv"
        if not all((venv / "bin" / tool).exists() for tool in TOOLS):
            make_tools_venv(venv)
        buku = str(venv / "bin" / "buku")
        papis = str(venv / "bin" / "papis")
        env = tools_env(root)

        listed = subprocess.run(
            [canon, "list", "--json"], capture_output=True, env=env, check=True
        ).stdout
        entries = json.loads(listed)
        print(f"compare: loading {len(entries)} entries into {', '.join(TOOLS)}", file=sys.stderr)
        subprocess.run(
            [str(venv / "bin" / "python"), "-c", BUKU_IMPORT],
            input=json.dumps(entries).encode(),
            env=env,
            check=True,
        )
        papis_library(root, entries, env)
        pubs = [str(venv / "bin" / "pubs"), "-c", str(root / "pubsrc")]
        pubs_library(root, pubs, canon, env)
        versions = json.loads(
            subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
                capture_output=True,
                env=env,
                check=True,
            ).stdout
        )
        found = {item["name"].lower(): item["version"] for item in versions}

        b = [buku, "--nostdin", "--np", "--nc"]
        p = [papis, "list", "--all", "--format", PAPIS_FORMAT]
        tasks = {
            "list all": {
                "canon": [canon, "list"],
                "buku": [*b, "-p"],
                "papis": p,
                "pubs": [*pubs, "list"],
            },
            f"tag {TAG}": {
                "canon": [canon, "list", "--tag", TAG],
                "buku": [*b, "--stag", TAG],
                "papis": [*p, f"tags:{TAG}"],
                "pubs": [*pubs, "list", f"tags:{TAG}"],
            },
            f"search {WORD}": {
                "canon": [canon, "list", "--search", WORD],
                "buku": [*b, "-s", WORD],
                "papis": [*p, WORD],
                "pubs": [*pubs, "list", f"title:{WORD}"],
            },
        }
        rows: list[tuple[str, str, int, float, float, float, float]] = []
        for task, commands in tasks.items():
            print(f"compare: {task}", file=sys.stderr)
            for tool, cmd in commands.items():  # warm-up: caches, page cache
                warm = run_once(cmd, env, tty=False)
                if warm.returncode != 0:
                    sys.exit(f"compare: {tool} failed ({warm.returncode}): {warm.stderr[-500:]}")
            run_once(floor, env, tty=False)
            times: dict[str, list[float]] = {tool: [] for tool in commands}
            ratios: dict[str, list[float]] = {tool: [] for tool in commands}
            peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
            floors: list[float] = []
            order = [*commands, "floor"]
            for i in range(args.runs):
                shift = i % len(order)
                got: dict[str, float] = {}
                for tool in order[shift:] + order[:shift]:
                    run = run_once(floor if tool == "floor" else commands[tool], env, tty=False)
                    got[tool] = run.seconds
                    if tool != "floor":
                        peaks[tool] = max(peaks[tool], run.peak_mib)
                floors.append(got["floor"])
                for tool in commands:
                    times[tool].append(got[tool])
                    ratios[tool].append(got[tool] / got["floor"])
            for tool, cmd in commands.items():
                matches = count_matches(tool, cmd, env)
                rows.append(
                    (
                        task,
                        tool,
                        matches,
                        statistics.median(times[tool]),
                        statistics.median(floors),
                        statistics.median(ratios[tool]),
                        peaks[tool],
                    )
                )

    print()
    print(f"floor: {' '.join(floor)}; {args.runs} rounds per task, order rotated each round")
    tools = ", ".join(f"{tool} {found.get(tool, '?')}" for tool in TOOLS)
    print(f"{tools}, {len(entries)} entries")
    head = ("task", "tool", "matches", "median s", "floor s", "ratio", "peak MiB")
    table = [head] + [
        (t, tool, str(m), f"{s:.3f}", f"{f:.3f}", f"{r:.1f}x", f"{mib:.1f}")
        for t, tool, m, s, f, r, mib in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for n, row in enumerate(table):
        left = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        right = [c.rjust(w) for c, w in zip(row[2:], widths[2:], strict=True)]
        print("  ".join(left + right))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
