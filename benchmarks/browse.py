"""How long ``canon browse`` takes to draw its first full screen.

Usage (after ``pip install .``):

    python benchmarks/browse.py [--runs N] [--size 80x24] [--canon PATH] [--json FILE]

Each run starts ``canon browse`` on a pseudo-terminal of the given size, in a
temporary CANON_HOME holding a state with a few marks (the built-in catalog, its
snapshot warmed by one run beforehand). The clock stops when the terminal has been sent
a full screen: the top line's catalog title, the section pane and the key footer on the
bottom row, which Textual draws last. Then ``q`` is sent and the run must end with exit
code 0. Runs alternate with the floor, ``python -c pass`` on the same interpreter in
the same kind of terminal, and the ratio reported is the median over pairs.

Exit status: 0 when the median time to the first frame is within the budget (1 s), 1
when it is not or a run fails.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import (  # noqa: E402  (bench.py lives beside this script)
    Sandbox,
    builtin_catalog,
    find_canon,
    interpreter_of,
    run_once,
)

BUDGET_SECONDS = 1.0
TIMEOUT = 30.0
# What the first full screen holds: the section pane's title and the footer's last key
FRAME_MARKERS = (b"Sections", b" quit")


def first_frame(
    argv: list[str], env: dict[str, str], columns: int, rows: int
) -> tuple[float, float]:
    """Seconds from starting ``argv`` on a terminal until it drew a full screen, and the
    CPU seconds (user + system) the process used in all, quitting included."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    drawn: float | None = None
    try:
        while time.perf_counter() - start < TIMEOUT:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                seen += os.read(master, 65536)
            except OSError:  # the child closed the terminal before drawing
                break
            if all(marker in seen for marker in FRAME_MARKERS):
                drawn = time.perf_counter() - start
                break
        os.write(master, b"q")
        code, cpu = _drain_until_exit(proc, master)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    if drawn is None:
        tail = seen[-300:].decode("utf-8", "replace")
        raise RuntimeError(f"no full screen within {TIMEOUT:.0f} s; last output: {tail!r}")
    if code != 0:
        raise RuntimeError(f"canon browse ended with exit code {code} after 'q'")
    return drawn, cpu


def _drain_until_exit(proc: subprocess.Popen[bytes], master: int) -> tuple[int, float]:
    """The exit code and CPU seconds of ``proc``, reading its terminal until it ends."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage.ru_utime + usage.ru_stime
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                time.sleep(0.05)
    raise RuntimeError(f"canon browse did not end within {TIMEOUT:.0f} s of 'q'")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--size", default="80x24", help="terminal COLUMNSxROWS")
    parser.add_argument("--canon", help="the canon script to run (default: the one on PATH)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.lower().split("x"))
    canon = find_canon(args.canon)
    python = interpreter_of(canon)
    with tempfile.TemporaryDirectory(prefix="canon-browse-bench-") as tmp:
        root = Path(tmp)
        probe = Sandbox(root / "probe", Path())
        catalog = builtin_catalog(canon, probe.env(probe.new_home()))
        sandbox = Sandbox(root / "run", catalog)
        home = sandbox.new_home(marks_from=catalog)
        env = sandbox.env(home, tty=True)
        subprocess.run([canon, "list"], env=env, capture_output=True, timeout=120, check=True)
        first_frame([canon, "browse"], env, columns, rows)  # warm-up
        floor = [python, "-c", "pass"]
        frames: list[float] = []
        cpus: list[float] = []
        floors: list[float] = []
        for i in range(args.runs):
            drawn, cpu = first_frame([canon, "browse"], env, columns, rows)
            frames.append(drawn)
            cpus.append(cpu)
            floors.append(run_once(floor, env, tty=True).seconds)
            print(
                f"  run {i + 1}/{args.runs}: {frames[-1]:.3f}s (floor {floors[-1]:.3f}s)",
                file=sys.stderr,
            )
    median = statistics.median(frames)
    ratio = statistics.median(a / b for a, b in zip(frames, floors, strict=True))
    verdict = "ok" if median <= BUDGET_SECONDS else "OVER BUDGET"
    print(
        f"canon browse, first full screen at {columns}x{rows}: median {median:.3f} s "
        f"(min {min(frames):.3f}, max {max(frames):.3f}), {ratio:.1f}x python -c pass "
        f"(floor median {statistics.median(floors):.3f} s); CPU until exit median "
        f"{statistics.median(cpus):.3f} s; budget {BUDGET_SECONDS:.1f} s: {verdict}"
    )
    if args.json:
        result = {
            "size": f"{columns}x{rows}",
            "runs": args.runs,
            "first_frame_seconds": frames,
            "cpu_seconds": cpus,
            "floor_seconds": floors,
            "median_seconds": median,
            "ratio": ratio,
            "budget_seconds": BUDGET_SECONDS,
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if median <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
