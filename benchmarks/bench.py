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
CLEARED_ENV = ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "PAGER")


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
    """Temporary homes for canon: nothing outside ``root`` is read or written."""

    def __init__(self, root: Path, catalog: Path) -> None:
        self.root = root
        self.catalog = catalog
        self.count = 0

    def env(self, home: Path, tty: bool = False) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("CANON_") and k not in CLEARED_ENV
        }
        user = home.parent / (home.name + "-user")
        env["HOME"] = str(user)
        for var, sub in (
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_DATA_HOME", ".local/share"),
            ("XDG_CACHE_HOME", ".cache"),
            ("XDG_STATE_HOME", ".local/state"),
        ):
            path = user / sub
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        env["CANON_HOME"] = str(home)
        if tty:
            env["TERM"] = "xterm-256color"
        else:
            env.pop("TERM", None)
        return env

    def new_home(self, marks_from: Path | None = None) -> Path:
        """A fresh CANON_HOME, with a state file marking a few entries of ``marks_from``."""
        self.count += 1
        home = self.root / f"home{self.count}"
        home.mkdir(parents=True)
        if marks_from is not None:
            write_state(home / "state.yaml", catalog_ids(marks_from, 6))
        return home


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


def write_state(path: Path, ids: list[str]) -> None:
    """A state file in canon's format with a mix of done, reading and skipped marks."""
    statuses = ("done", "reading", "done", "skipped", "done", "reading")
    lines = ["# reading state written by benchmarks/bench.py\n", "version: 1\n", "entries:\n"]
    for i, entry_id in enumerate(ids):
        status = statuses[i % len(statuses)]
        day = i % 9 + 1
        lines.append(f"  {entry_id}:\n    status: {status}\n")
        lines.append(f"    started: '2025-01-0{day}T09:00:00+00:00'\n")
        if status == "done":
            lines.append(f"    finished: '2025-02-0{day}T18:30:00+00:00'\n")
        lines.append(f"    updated: '2025-02-0{day}T18:30:00+00:00'\n")
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
            if warm.returncode != 0:
                return _failed(result, argv, warm)
        run_once(floor, env, scenario.tty)
    for i in range(count):
        argv = scenario.argvs[i % len(scenario.argvs)]
        if scenario.prepare:
            scenario.prepare()
        run = run_once(argv, env, scenario.tty)
        if run.returncode != 0:
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
    script = HERE / "make_catalog.py"
    subprocess.run(
        [sys.executable, str(script), "--entries", str(entries), "--out", str(path)], check=True
    )
    return path


def add_state(home: Path, catalog: Path) -> Callable[[], None]:
    """Write the state file with a few marks into ``home`` (after the cold runs)."""

    def setup() -> None:
        home.mkdir(parents=True, exist_ok=True)
        write_state(home / "state.yaml", catalog_ids(catalog, 6))

    return setup


def many_marks(canon: str, sandbox: Sandbox, catalog: Path, base: list[str]) -> list[Scenario]:
    """The reading state at scale: every command within 5x with 10,000 marks.

    The home's state marks 10,000 entries (a version-1 file, taken in by one untimed run
    before the first warm-up)."""
    home = sandbox.new_home()
    write_id = catalog_ids(catalog, 1, skip=10_000 - 7)[0]
    made: list[bool] = []

    def setup() -> None:
        if made:
            return
        write_state(home / "state.yaml", catalog_ids(catalog, 10_000))
        env = sandbox.env(home, False)
        subprocess.run([*base, "progress"], env=env, check=True, capture_output=True, timeout=900)
        made.append(True)

    def scenario(name: str, *argvs: list[str]) -> Scenario:
        return Scenario(name, list(argvs), home, ratio_budget=5, setup=setup)

    return [
        scenario("10k marks: done / reset", [*base, "done", write_id], [*base, "reset", write_id]),
        scenario("10k marks: log -n 10", [*base, "log", "-n", "10"]),
        scenario("10k marks: stats", [*base, "stats"]),
        scenario("10k marks: progress", [*base, "progress"]),
    ]


def build_scenarios(canon: str, sandbox: Sandbox, quick: bool, cold_runs: int) -> list[Scenario]:
    cat = sandbox.catalog
    write_id = catalog_ids(cat, 1, skip=20)[0]  # not among the state's marks
    copy = sandbox.root / "catalog-copy.yaml"
    shutil.copyfile(cat, copy)
    h = sandbox.new_home
    scenarios = [
        Scenario(
            "list --section agents (pipe)",
            [[canon, "list", "--section", "agents"]],
            h(cat),
            ratio_budget=8,
        ),
        Scenario(
            "list --section agents (terminal)",
            [[canon, "list", "--section", "agents"]],
            h(cat),
            tty=True,
            ratio_budget=12,
        ),
        Scenario(
            "list, all entries (terminal)", [[canon, "list"]], h(cat), tty=True, ratio_budget=15
        ),
        Scenario(
            "progress (pipe)", [[canon, "progress"]], h(cat), ratio_budget=8, needs="progress"
        ),
        Scenario("next (pipe)", [[canon, "next"]], h(cat), needs="next"),
        Scenario(
            f"write: done / reset {write_id}",
            [[canon, "done", write_id], [canon, "reset", write_id]],
            h(cat),
            ratio_budget=4,
            needs="done",
        ),
        Scenario("--help (pipe)", [[canon, "--help"]], h(cat), ratio_budget=14),
        Scenario(
            "cache miss: list --section agents",
            [[canon, "--catalog", str(copy), "list", "--section", "agents"]],
            h(cat),
            ratio_budget=30,
            prepare=touch_later(copy),
        ),
    ]
    sizes = [1000] if quick else [1000, 10_000, 100_000]
    for n in sizes:
        label = f"{n // 1000}k"
        print(f"bench: generating the {label} catalog", file=sys.stderr)
        big = make_catalog(sandbox.root / f"big{label}.yaml", n)
        base = [canon, "--catalog", str(big)]
        # The warm scenarios reuse the home the last cold run left built, plus a state file.
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
        marks = add_state(home, big)
        listing = Scenario(
            f"{label}: list, all entries (warm, pipe)", [[*base, "list"]], home, setup=marks
        )
        search = Scenario(
            f"{label}: list --search transformer (warm)",
            [[*base, "list", "--search", "transformer"]],
            home,
            setup=marks,
        )
        if n == 10_000:
            scenarios.extend(many_marks(canon, sandbox, big, base))
        if n == 100_000:
            cold.seconds_budget = 60
            search.ratio_budget = 10
            search.mib_budget = 60
            scenarios.extend([cold, search])  # listing 100,000 lines is not a use case
        else:
            scenarios.extend([cold, listing, search])
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
        sandbox = Sandbox(root, catalog)
        sandbox.count = probe.count
        print(f"bench: canon {canon}\nbench: floor {' '.join(floor)}", file=sys.stderr)
        for scenario in build_scenarios(canon, sandbox, args.quick, args.cold_runs):
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
