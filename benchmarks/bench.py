"""Start-up and run-time benchmarks for canon, each measured against a Python floor.

Usage (after ``pip install .``):

    python benchmarks/bench.py [--runs N] [--quick] [--canon PATH] [--json FILE]

Every command gets one warm-up run, then N timed runs interleaved with the floor,
``python -c pass`` on the interpreter canon runs on (A B A B ...). Wall time is taken
around the child process; peak memory is the child's own ``ru_maxrss`` from
``os.wait4``. The ratio reported is the median over pairs of (command / floor), so
a slow moment of the machine hits both sides of a pair.

Terminal commands run under a pseudo-terminal (120x50), so canon draws its rich
table as it does for a user; piped commands write to a pipe that is drained.

Every scenario runs with its own temporary CANON_HOME, HOME and XDG_* folders
(a version-1 state file with a few marks, or 10,000, is written there and taken in by
the first run), so the user's real files are never read or written. Synthetic
catalogs come from ``make_catalog.py``.

Exit status: 0 when every budget is met, 1 when one is missed or a command fails.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import pty
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TTY_COLUMNS = 120
TTY_ROWS = 50
# PYTHONDONTWRITEBYTECODE too: an installed canon has its bytecode compiled by pip; run
# from a source tree without it, every run would compile every module again.
CLEARED_ENV = (
    "COLUMNS",
    "LINES",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "NO_COLOR",
    "PAGER",
    "PYTHONDONTWRITEBYTECODE",
)


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system CPU seconds of the child
    peak_mib: float
    returncode: int
    stderr: str


@dataclass
class Scenario:
    name: str
    argvs: list[list[str]]  # cycled over the runs (the write benchmark alternates two)
    home: Path
    tty: bool = False
    ratio_budget: float | None = None
    mib_budget: float | None = None
    seconds_budget: float | None = None
    runs: int | None = None  # None: the --runs value
    warmup: bool = True
    prepare: Callable[[], None] | None = None  # before every run of canon, not timed
    setup: Callable[[], None] | None = None  # once, before the warm-up
    needs: str | None = None  # a canon command that must exist
    codes: tuple[int, ...] = (0,)  # exit statuses that count as success


@dataclass
class Result:
    name: str
    runs: list[Run] = field(default_factory=list)
    floors: list[Run] = field(default_factory=list)
    status: str = ""
    note: str = ""
    budget: str = "-"

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def floor_median(self) -> float:
        return statistics.median(r.seconds for r in self.floors)

    @property
    def ratio(self) -> float:
        return statistics.median(
            a.seconds / b.seconds for a, b in zip(self.runs, self.floors, strict=True)
        )

    @property
    def cpu_ratio(self) -> float:
        pairs = zip(self.runs, self.floors, strict=True)
        return statistics.median(a.cpu / max(b.cpu, 1e-4) for a, b in pairs)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_mib for r in self.runs)


# ---------------------------------------------------------------------------
# Running one child


def _maxrss_mib(ru_maxrss: int) -> float:
    # kibibytes on Linux and the BSDs, bytes on macOS
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def run_once(argv: list[str], env: dict[str, str], tty: bool) -> Run:
    """Run ``argv`` to completion, draining its output; time and peak memory of the child."""
    with tempfile.TemporaryFile() as err:
        if tty:
            master, slave = pty.openpty()
            winsize = struct.pack("HHHH", TTY_ROWS, TTY_COLUMNS, 0, 0)
            fcntl.ioctl(slave, termios.TIOCSWINSZ, winsize)
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=err, env=env)
            os.close(slave)
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            os.close(master)
        else:
            start = time.perf_counter()
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, env=env
            )
            assert proc.stdout is not None
            while proc.stdout.read(65536):
                pass
            proc.stdout.close()
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, _maxrss_mib(usage.ru_maxrss), proc.returncode, stderr)


# ---------------------------------------------------------------------------
# Environment


class Sandbox:
    """Temporary homes for canon: nothing outside ``root`` is read or written.

    With ``canon_home`` every scenario's folder is its ``CANON_HOME``; without it, the
    folder holds the ``XDG_*`` folders canon then follows (a real user's environment)."""

    def __init__(self, root: Path, catalog: Path, canon: str = "canon", canon_home: bool = True):
        self.root = root
        self.catalog = catalog
        self.canon = canon
        self.canon_home = canon_home
        self.count = 0
        root.mkdir(parents=True, exist_ok=True)

    def env(self, home: Path, tty: bool = False) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("CANON_") and k not in CLEARED_ENV and not k.startswith("XDG_")
        }
        user = home.parent / (home.name + "-user")
        user.mkdir(parents=True, exist_ok=True)
        env["HOME"] = str(user)
        # Under CANON_HOME the XDG folders are the user's (and stay empty); without it
        # they are inside the scenario's folder, so emptying it empties all canon wrote.
        base = user if self.canon_home else home
        for var, sub in (
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_DATA_HOME", ".local/share"),
            ("XDG_CACHE_HOME", ".cache"),
            ("XDG_STATE_HOME", ".local/state"),
        ):
            env[var] = str(base / sub)
        if self.canon_home:
            env["CANON_HOME"] = str(home)
        if tty:
            env["TERM"] = "xterm-256color"
        else:
            env.pop("TERM", None)
        return env

    def new_home(self, marks_from: Path | None = None) -> Path:
        """A fresh home, with a reading state marking a few entries of ``marks_from``."""
        self.count += 1
        home = self.root / f"home{self.count}"
        home.mkdir(parents=True)
        if marks_from is not None:
            self.import_marks(home, catalog_ids(marks_from, 6))
        return home

    def import_marks(self, home: Path, ids: list[str], base: list[str] | None = None) -> None:
        """Give ``home`` a state marking ``ids``, through ``canon state import`` of an export."""
        export = home.parent / f"{home.name}-export.yaml"
        write_export(export, ids)
        argv = [*(base or [self.canon]), "state", "import", str(export)]
        subprocess.run(argv, env=self.env(home), check=True, capture_output=True, timeout=1800)


def catalog_ids(path: Path, count: int, skip: int = 0) -> list[str]:
    """The first ``count`` entry ids of a catalog file (after ``skip`` of them)."""
    ids: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("  - id: "):
                if skip:
                    skip -= 1
                    continue
                ids.append(line[len("  - id: ") :].strip().strip("\"'"))
                if len(ids) == count:
                    break
    return ids


def write_export(path: Path, ids: list[str]) -> None:
    """A ``canon state export`` file (version 2) marking ``ids``.

    A few marks mix done, reading and skipped; a long history (more than 100 marks) is
    what years of reading leave: mostly done, one in ten skipped, one in 1,000 being read.
    """
    few = ("done", "reading", "done", "skipped", "done", "reading")
    lines = ["# reading state written by benchmarks/bench.py\n", "version: 2\n", "entries:\n"]
    for i, entry_id in enumerate(ids):
        if len(ids) <= 100:
            status = few[i % len(few)]
        else:
            status = "reading" if i % 1000 == 0 else "skipped" if i % 10 == 5 else "done"
        month, day = i % 12 + 1, i % 28 + 1
        lines.append(f"  {entry_id}:\n    status: {status}\n")
        lines.append(f"    started: '2025-{month:02d}-{day:02d}T09:00:00Z'\n")
        if status == "done":
            lines.append(f"    finished: '2025-{month:02d}-{day:02d}T18:30:00Z'\n")
    path.write_text("".join(lines), encoding="utf-8")


# ---------------------------------------------------------------------------
# Locating canon and its interpreter


def find_canon(given: str | None) -> str:
    found = given or shutil.which("canon")
    if not found:
        sys.exit("bench: no 'canon' on PATH; install it (pip install .) or pass --canon PATH")
    return str(Path(found).resolve()) if os.sep in found else found


def interpreter_of(canon: str) -> str:
    """The Python the ``canon`` script runs on (its #! line), else this one."""
    try:
        with open(canon, "rb") as fh:
            first = fh.readline(4096).decode("utf-8", "replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!"):
        parts = first[2:].split()
        if parts and os.path.isabs(parts[0]) and os.access(parts[0], os.X_OK):
            if Path(parts[0]).name == "env" and len(parts) > 1:
                return shutil.which(parts[1]) or sys.executable
            return parts[0]
    return sys.executable


def builtin_catalog(canon: str, sandbox_env: dict[str, str]) -> Path:
    """The catalog canon ships (from ``canon paths --json``), else the repository's copy."""
    try:
        done = subprocess.run(
            [canon, "paths", "--json"], capture_output=True, env=sandbox_env, timeout=60
        )
        path = Path(json.loads(done.stdout)["catalog"])
        if path.is_file():
            return path
    except (OSError, ValueError, KeyError, subprocess.TimeoutExpired):
        pass
    return HERE.parent / "data" / "canon.yaml"


def canon_commands(canon: str, env: dict[str, str]) -> set[str]:
    """Command names listed by ``canon --help``."""
    done = subprocess.run([canon, "--help"], capture_output=True, text=True, env=env, timeout=60)
    names: set[str] = set()
    in_commands = False
    for line in done.stdout.splitlines():
        if line.strip().lower().startswith("commands"):
            in_commands = True
            continue
        if in_commands and line.startswith("  ") and line.strip():
            names.add(line.split()[0])
    return names


# ---------------------------------------------------------------------------
# Benchmark loop


def measure(
    scenario: Scenario, runs: int, floor: list[str], sandbox: Sandbox, commands: set[str]
) -> Result:
    result = Result(scenario.name)
    if scenario.needs and scenario.needs not in commands:
        result.status = "SKIP"
        result.note = f"'canon {scenario.needs}' is not available in this build"
        return result
    env = sandbox.env(scenario.home, scenario.tty)
    count = scenario.runs or runs
    if scenario.setup:
        scenario.setup()
    if scenario.warmup:
        for argv in scenario.argvs:
            if scenario.prepare:
                scenario.prepare()
            warm = run_once(argv, env, scenario.tty)
            if warm.returncode not in scenario.codes:
                return _failed(result, argv, warm)
        run_once(floor, env, scenario.tty)
    for i in range(count):
        argv = scenario.argvs[i % len(scenario.argvs)]
        if scenario.prepare:
            scenario.prepare()
        run = run_once(argv, env, scenario.tty)
        if run.returncode not in scenario.codes:
            return _failed(result, argv, run)
        result.runs.append(run)
        result.floors.append(run_once(floor, env, scenario.tty))
        print(
            f"  {scenario.name}: run {i + 1}/{count} {run.seconds:.3f}s"
            f" (floor {result.floors[-1].seconds:.3f}s)",
            file=sys.stderr,
        )
    _judge(scenario, result)
    return result


def _failed(result: Result, argv: list[str], run: Run) -> Result:
    result.status = "ERROR"
    last = run.stderr.strip().splitlines()[-1:] or ["(no message)"]
    result.note = f"exit {run.returncode} from {' '.join(argv[1:])}: {last[0]}"
    return result


def _judge(scenario: Scenario, result: Result) -> None:
    budgets: list[str] = []
    ok = True
    if scenario.ratio_budget is not None:
        budgets.append(f"<= {scenario.ratio_budget:g}x")
        ok = ok and result.ratio <= scenario.ratio_budget
    if scenario.mib_budget is not None:
        budgets.append(f"<= {scenario.mib_budget:g} MiB")
        ok = ok and result.peak_mib <= scenario.mib_budget
    if scenario.seconds_budget is not None:
        budgets.append(f"<= {scenario.seconds_budget:g} s")
        ok = ok and result.median <= scenario.seconds_budget
    if budgets:
        result.budget = ", ".join(budgets)
        result.status = "PASS" if ok else "FAIL"
    else:
        result.status = "info"


# ---------------------------------------------------------------------------
# Scenarios


def touch_later(path: Path) -> Callable[[], None]:
    """Give ``path`` a new mtime before each run, so canon sees a changed catalog."""

    def prepare() -> None:
        now = time.time_ns()
        os.utime(path, ns=(now, now))

    return prepare


def empty_home(home: Path) -> Callable[[], None]:
    """Empty ``home`` before each run: no snapshot, no state (a first run)."""

    def prepare() -> None:
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)

    return prepare


def make_catalog(path: Path, entries: int) -> Path:
    """Generate a synthetic catalog in a child process.

    Not in this process: a child's ru_maxrss counts the memory of the process it was
    forked from, so this process must stay small for the peak-memory column to be true.
    """
    if path.exists():  # made already (for the other environment)
        return path
    print(f"bench: generating {path.name}", file=sys.stderr)
    script = HERE / "make_catalog.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, str(script), "--entries", str(entries), "--out", str(path)], check=True
    )
    return path


def add_state(sandbox: Sandbox, home: Path, catalog: Path, base: list[str]) -> Callable[[], None]:
    """Give ``home`` a state with a few marks (after the cold runs), once."""
    made: list[bool] = []

    def setup() -> None:
        if not made:
            home.mkdir(parents=True, exist_ok=True)
            sandbox.import_marks(home, catalog_ids(catalog, 6), base)
            made.append(True)

    return setup


def many_marks(sandbox: Sandbox, catalog: Path, base: list[str]) -> list[Scenario]:
    """The reading state at scale (issue budgets: within 5x with 10,000 marks).

    The home's state marks 10,000 entries of the 10k catalog, made by one untimed
    ``canon state import`` before the first warm-up."""
    home = sandbox.new_home()
    write_id = catalog_ids(catalog, 1, skip=10_000 - 7)[0]
    made: list[bool] = []

    def setup() -> None:
        if made:
            return
        sandbox.import_marks(home, catalog_ids(catalog, 10_000), base)
        made.append(True)

    def scenario(name: str, *argvs: list[str]) -> Scenario:
        return Scenario(name, list(argvs), home, ratio_budget=5, setup=setup)

    return [
        scenario("10k marks: done / reset", [*base, "done", write_id], [*base, "reset", write_id]),
        scenario("10k marks: log -n 10", [*base, "log", "-n", "10"]),
        scenario("10k marks: stats", [*base, "stats"]),
        scenario("10k marks: progress", [*base, "progress"]),
    ]


def builtin_scenarios(canon: str, sandbox: Sandbox) -> list[Scenario]:
    """The everyday commands on the built-in catalog, with a few marks."""
    cat = sandbox.catalog
    first = catalog_ids(cat, 1)[0]
    write_id = catalog_ids(cat, 1, skip=20)[0]  # not among the state's marks
    copy = sandbox.root / "catalog-copy.yaml"
    shutil.copyfile(cat, copy)

    def pipe(name: str, argv: list[str], budget: float | None, **kw: object) -> Scenario:
        return Scenario(name, [[canon, *argv]], sandbox.new_home(cat), ratio_budget=budget, **kw)  # type: ignore[arg-type]

    def term(name: str, argv: list[str], budget: float) -> Scenario:
        home = sandbox.new_home(cat)
        return Scenario(name, [[canon, *argv]], home, tty=True, ratio_budget=budget)

    return [
        pipe("list --section agents (pipe)", ["list", "--section", "agents"], 2.6),
        pipe("progress (pipe)", ["progress"], 2.6),
        pipe("next (pipe)", ["next"], 2.6),
        pipe(f"show {first} (pipe)", ["show", first], 3),
        pipe("search transformer (pipe)", ["search", "transformer"], 3),
        pipe(f"open --print {first} (pipe)", ["open", "--print", first], 3),
        pipe("log (pipe)", ["log"], 3),
        pipe("stats (pipe)", ["stats"], 3),
        pipe("canon, the dashboard (pipe)", [], 3),
        pipe("export --format bibtex (pipe)", ["export", "--format", "bibtex"], 3.5),
        Scenario(
            f"write: done / reset {write_id}",
            [[canon, "done", write_id], [canon, "reset", write_id]],
            sandbox.new_home(cat),
            ratio_budget=4,
        ),
        term("list --section agents (terminal)", ["list", "--section", "agents"], 6),
        term("progress (terminal)", ["progress"], 6),
        term("list, all entries (terminal)", ["list"], 8),
        pipe("--help (pipe)", ["--help"], 2),
        pipe("list --help (pipe)", ["list", "--help"], 2),
        Scenario(
            "cache miss: list --section agents",
            [[canon, "--catalog", str(copy), "list", "--section", "agents"]],
            sandbox.new_home(cat),
            ratio_budget=8,
            prepare=touch_later(copy),
        ),
    ]


def sized_scenarios(sandbox: Sandbox, label: str, big: Path, cold_runs: int) -> list[Scenario]:
    """First run, warm runs (and at 10k, the marks at scale) on one synthetic catalog."""
    n = int(label.rstrip("k")) * 1000
    found: list[Scenario] = []
    base = [sandbox.canon, "--catalog", str(big)]
    # The warm scenarios reuse the home the last cold run left built, plus a state.
    home = sandbox.new_home()
    runs = {1000: max(cold_runs, 3), 10_000: max(cold_runs, 2)}.get(n, cold_runs)
    cold = Scenario(
        f"{label}: first run (cold cache)",
        [[*base, "list", "--section", "agents"]],
        home,
        runs=runs,
        warmup=False,
        prepare=empty_home(home),
    )
    marks = add_state(sandbox, home, big, base)

    def warm(name: str, *argv: str, budget: float | None = None) -> Scenario:
        return Scenario(
            f"{label}: {name} (warm)", [[*base, *argv]], home, setup=marks, ratio_budget=budget
        )

    if n == 10_000:
        found.extend(many_marks(sandbox, big, base))
    if n == 100_000:
        cold.seconds_budget = 15
        cold.mib_budget = 250
        found.append(cold)
        # listing 100,000 lines is not a use case
        found.append(warm("list --search transformer", "list", "--search", "transformer", budget=4))
        found.append(warm("list --section agents", "list", "--section", "agents", budget=4))
        found.append(warm("progress", "progress", budget=4))
    else:
        found.extend(
            [
                cold,
                warm("list, all entries", "list"),
                warm("list --search transformer", "list", "--search", "transformer"),
            ]
        )
    return found


def build_scenarios(
    canon: str, sandbox: Sandbox, sizes: list[str], cold_runs: int, only: str | None = None
) -> list[Scenario]:
    """Every scenario, or those whose name contains ``only`` (catalogs made as needed)."""
    scenarios = builtin_scenarios(canon, sandbox)
    for label in sizes:
        n = int(label.rstrip("k")) * 1000
        if only and not (only.startswith(label) or (n == 10_000 and "marks" in only)):
            continue
        big = make_catalog(sandbox.root.parent / f"big{label}.yaml", n)
        scenarios.extend(sized_scenarios(sandbox, label, big, cold_runs))
    if only:
        scenarios = [s for s in scenarios if only in s.name]
    return scenarios


# ---------------------------------------------------------------------------
# Report


def table(results: list[Result]) -> str:
    head = ("command", "median s", "floor s", "ratio", "cpu ratio", "peak MiB", "budget", "result")
    rows: list[tuple[str, ...]] = []
    for r in results:
        if r.runs:
            rows.append(
                (
                    r.name,
                    f"{r.median:.3f}",
                    f"{r.floor_median:.3f}",
                    f"{r.ratio:.1f}x",
                    f"{r.cpu_ratio:.1f}x",
                    f"{r.peak_mib:.1f}",
                    r.budget,
                    r.status,
                )
            )
        else:
            rows.append((r.name, "-", "-", "-", "-", "-", r.budget, r.status))
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def fmt(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:6], widths[1:6], strict=True)]
        cells += [row[6].ljust(widths[6]), row[7]]
        return "  ".join(cells)

    lines = [fmt(head), "  ".join("-" * w for w in widths)]
    lines += [fmt(row) for row in rows]
    notes = [f"  {r.name}: {r.note}" for r in results if r.note]
    if notes:
        lines += ["", "notes:", *notes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark canon against a Python floor.")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per command (10)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 3 runs, only the 1k synthetic catalog"
    )
    parser.add_argument("--canon", help="the canon executable (default: canon on PATH)")
    parser.add_argument(
        "--cold-runs", type=int, default=1, help="runs of the 100k first-run benchmark (default 1)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--env",
        choices=("canon-home", "xdg", "both"),
        default="both",
        help="run with CANON_HOME set, without it (XDG folders only), or both (default)",
    )
    parser.add_argument(
        "--sizes", default="1k,10k,100k", help="synthetic catalogs to run (default 1k,10k,100k)"
    )
    parser.add_argument("--only", help="run only the scenarios whose name contains this text")
    args = parser.parse_args(argv)
    runs = 3 if args.quick and args.runs == 10 else args.runs
    if runs < 1:
        parser.error("--runs must be at least 1")

    canon = find_canon(args.canon)
    python = interpreter_of(canon)
    floor = [python, "-c", "pass"]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="canon-bench-") as tmp:
        root = Path(tmp)
        probe = Sandbox(root, Path())
        probe_env = probe.env(probe.new_home())
        catalog = builtin_catalog(canon, probe_env)
        commands = canon_commands(canon, probe_env)
        print(f"bench: canon {canon}\nbench: floor {' '.join(floor)}", file=sys.stderr)
        sizes = ["1k"] if args.quick else [x.strip() for x in args.sizes.split(",") if x.strip()]
        modes = {"canon-home": [True], "xdg": [False], "both": [True, False]}[args.env]
        for canon_home in modes:
            sandbox = Sandbox(
                root / ("canon-home" if canon_home else "xdg"), catalog, canon, canon_home
            )
            suffix = "" if canon_home else " [no CANON_HOME]"
            for scenario in build_scenarios(canon, sandbox, sizes, args.cold_runs, args.only):
                scenario.name += suffix
                print(f"bench: {scenario.name}", file=sys.stderr)
                results.append(measure(scenario, runs, floor, sandbox, commands))
    print()
    print(f"canon: {canon}")
    print(f"floor: {' '.join(floor)}  (Python {platform.python_version()}, {platform.system()})")
    print(f"runs: {runs} interleaved with the floor; ratio = median of per-pair ratios")
    own = _maxrss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(f"peak MiB is the child's ru_maxrss (never below this script's own {own:.1f} MiB)\n")
    print(table(results))
    if args.json:
        data = [
            {
                "name": r.name,
                "status": r.status,
                "budget": r.budget,
                "note": r.note,
                "seconds": [x.seconds for x in r.runs],
                "floor_seconds": [x.seconds for x in r.floors],
                "cpu_seconds": [x.cpu for x in r.runs],
                "floor_cpu_seconds": [x.cpu for x in r.floors],
                "peak_mib": [x.peak_mib for x in r.runs],
            }
            for r in results
        ]
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    failed = [r for r in results if r.status in ("FAIL", "ERROR")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
