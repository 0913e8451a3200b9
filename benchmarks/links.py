"""How long checking 150 links takes with canon's link checker, against a local server.

Usage:

    python benchmarks/links.py [--runs N] [--links N] [--seed N] [--json FILE]

A child process serves HTTP on 127.0.0.1, one port per simulated host; nothing leaves
the machine. The links are spread over hosts the way the shipped catalog's links are
(one host holds about a third of them, as arXiv does; most hosts hold one or two).
Each response waits a delay drawn from a log-normal distribution (median 250 ms,
clipped to 40 ms .. 2.5 s, fixed seed), and the mix of answers is: 80 % plain 200,
10 % a redirect then 200, 5 % 404, 5 % 405 to HEAD and 200 to GET. A redirect, a 404
and a refused HEAD each cost two responses, each with its own delay.

Printed: the wall time of the check (median over the runs; canon's default
settings: 64 requests at once, 6 per host), the slowest single response, the sum of
all response delays (what checking one link after another would take), and the floor
the bounds set (the largest of: the slowest link's delays, the busiest host's delays
divided by the per-host bound, all delays divided by the global bound). It runs
twice: with hosts as in the catalog, and with every link on a host of its own (only
the global bound applies). The check runs in this process through canon's checker;
the server runs in its own process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from canon_cli.linkcheck import CheckSettings

# The shipped catalog's links per host, largest first (55 hosts, 141 links).
CATALOG_HOST_SIZES = [43, 11, 9, 7, 5, 4, 4, 3, 2, 2, 2, 2, 2, 2, 2, 2] + [1] * 39
KINDS = [("ok", 80), ("redirect", 10), ("missing", 5), ("nohead", 5)]
EXPECTED = {"ok": "ok", "redirect": "redirected", "missing": "broken", "nohead": "ok"}


@dataclass(frozen=True)
class Link:
    host: int
    kind: str
    delays: tuple[int, ...]  # ms per response this link costs

    def path(self, n: int) -> str:
        return f"/{self.kind}/{'/'.join(map(str, self.delays))}/{n}"


def _delay(rng: random.Random) -> int:
    return int(min(2500, max(40, rng.lognormvariate(math.log(250), 0.8))))


def host_sizes(total: int) -> list[int]:
    """The catalog's host distribution scaled to ``total`` links."""
    scale = total / sum(CATALOG_HOST_SIZES)
    sizes = [max(1, round(size * scale)) for size in CATALOG_HOST_SIZES]
    sizes[0] += total - sum(sizes)
    return sizes


def make_plan(total: int, seed: int, spread: bool) -> list[Link]:
    """The links, on hosts like the catalog's or (``spread``) each on a host of its own.

    The same seed gives the same answers and delays in both layouts."""
    rng = random.Random(seed)
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    plan = []
    for host, size in enumerate(host_sizes(total)):
        for _ in range(size):
            kind = rng.choice(kinds)
            responses = 1 if kind == "ok" else 2
            delays = tuple(_delay(rng) for _ in range(responses))
            plan.append(Link(len(plan) if spread else host, kind, delays))
    return plan


# --- the server (child process) --------------------------------------------------------


def _answer(method: str, path: str) -> tuple[int, dict[str, str], float]:
    """(status, headers, delay in s) for a request to ``/kind/d1[/d2]/n``."""
    parts = path.strip("/").split("/")
    kind, delays = parts[0], [int(p) for p in parts[1:-1]]
    if kind == "redirect" and len(delays) == 2:
        return 301, {"Location": f"/ok/{delays[1]}/{parts[-1]}"}, delays[0] / 1000
    if kind == "missing":
        first = method == "HEAD"
        return 404, {}, delays[0 if first else -1] / 1000
    if kind == "nohead":
        return (405, {}, delays[0] / 1000) if method == "HEAD" else (200, {}, delays[-1] / 1000)
    return 200, {}, delays[0] / 1000


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while line := await reader.readline():
            method, path, _ = line.decode("latin-1").split(" ", 2)
            while await reader.readline() not in (b"\r\n", b"\n", b""):
                pass
            status, headers, delay = _answer(method, path)
            await asyncio.sleep(delay)
            head = [f"HTTP/1.1 {status} X", "Content-Length: 0"]
            head += [f"{k}: {v}" for k, v in headers.items()]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
            await writer.drain()
    except (ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def _serve(hosts: int) -> None:
    servers = [
        await asyncio.start_server(_handle, "127.0.0.1", 0, backlog=256) for _ in range(hosts)
    ]
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    print(json.dumps(ports), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


# --- the client ------------------------------------------------------------------------


def run_once(plan: list[Link], ports: list[int]) -> float:
    from canon_cli.linkcheck.checker import check_links  # here, so --serve stays light

    pairs = [
        (f"e{n}", f"http://127.0.0.1:{ports[link.host]}{link.path(n)}")
        for n, link in enumerate(plan)
    ]
    started = time.perf_counter()
    results = check_links(pairs)
    wall = time.perf_counter() - started
    found = Counter(r.result.value for r in results)
    expected = Counter(EXPECTED[link.kind] for link in plan)
    if found != expected:
        raise SystemExit(f"unexpected results: {dict(found)} (expected {dict(expected)})")
    return wall


def measure(plan: list[Link], runs: int) -> tuple[dict[str, float], list[float]]:
    """Serve ``plan`` from a child process and time ``runs`` checks of it."""
    hosts = max(link.host for link in plan) + 1
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(hosts)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        ports = json.loads(server.stdout.readline())
        walls = [run_once(plan, ports) for _ in range(runs)]
    finally:
        server.communicate("")
    delays = [d / 1000 for link in plan for d in link.delays]
    per_host: Counter[int] = Counter()
    for link in plan:
        per_host[link.host] += sum(link.delays) / 1000
    settings = CheckSettings()
    figures = {
        "links": len(plan),
        "hosts": hosts,
        "runs": runs,
        "wall_median_s": statistics.median(walls),
        "wall_min_s": min(walls),
        "wall_max_s": max(walls),
        "slowest_response_s": max(delays),
        "sum_of_responses_s": sum(delays),
        "median_response_s": statistics.median(delays),
        "floor_s": max(
            max(sum(link.delays) for link in plan) / 1000,
            max(per_host.values()) / settings.max_per_host,
            sum(delays) / settings.max_concurrency,
        ),
    }
    return figures, walls


def report(title: str, figures: dict[str, float], walls: list[float]) -> None:
    wall, slowest, total = (
        figures["wall_median_s"],
        figures["slowest_response_s"],
        figures["sum_of_responses_s"],
    )
    links, hosts = figures["links"], figures["hosts"]
    print(f"{links:g} links on {hosts:g} local hosts ({title}), {len(walls)} runs")
    rows = [
        ("wall time of the check (median)", wall, f"min {min(walls):.2f}, max {max(walls):.2f}"),
        ("slowest single response", slowest, ""),
        ("floor set by the bounds", figures["floor_s"], "see the module docstring"),
        ("sum of all responses", total, "one link after another"),
        ("median response", figures["median_response_s"], ""),
    ]
    for label, seconds, note in rows:
        print(f"  {label:<33}{seconds:7.2f} s  {note}".rstrip())
    print(f"  wall / slowest = {wall / slowest:.2f}x, sum / wall = {total / wall:.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--links", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve))
        return 0

    everything = {}
    for layout in ("catalog", "spread"):
        plan = make_plan(args.links, args.seed, spread=layout == "spread")
        figures, walls = measure(plan, args.runs)
        title = "hosts as in the catalog" if layout == "catalog" else "every link on its own host"
        report(title, figures, walls)
        everything[layout] = figures
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
