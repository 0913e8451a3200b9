"""A local HTTP server for link-check tests: bound to 127.0.0.1, one behaviour per path.

Paths (query ``ms=N`` adds a delay of N milliseconds before answering):
  /ok                      200
  /r1 -> /r2 -> /ok        301 then 302
  /missing                 404
  /error                   500
  /nohead                  405 to HEAD, 200 to GET
  /forbidhead              403 to HEAD, 200 to GET
  /dropshead               closes the connection on HEAD, 200 to GET
  /hang                    never answers (until the server stops)
  /loop-a <-> /loop-b      a redirect loop
  /busy?key=K&after=S      429 with Retry-After: S the first time per key, then 200
  /unavailable             503 without Retry-After, every time
  /slow                    200 after the delay (use with ms=)
  /nolocation              302 without a Location header
  /toftp                   301 to an ftp: URL
The server counts requests per path and the most requests it had in flight at once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

REDIRECTS = {
    "/r1": (301, "/r2"),
    "/r2": (302, "/ok"),
    "/loop-a": (302, "/loop-b"),
    "/loop-b": (302, "/loop-a"),
    "/toftp": (301, "ftp://127.0.0.1/file"),
}


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0
    max_in_flight: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    methods: list[tuple[str, str]] = field(default_factory=list)
    user_agents: set[str] = field(default_factory=set)
    busy_seen: set[str] = field(default_factory=set)
    hit_times: dict[str, list[float]] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    stats: Stats

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class Handler(BaseHTTPRequestHandler):
    server: LinkServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_GET(self) -> None:
        self._serve("GET")

    def _serve(self, method: str) -> None:
        stats = self.server.stats
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with stats.lock:
            stats.in_flight += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
            stats.hits[parts.path] += 1
            stats.methods.append((method, parts.path))
            stats.user_agents.add(self.headers.get("User-Agent", ""))
            stats.hit_times.setdefault(parts.path, []).append(time.monotonic())
        try:
            if "ms" in query:
                stats.stop.wait(int(query["ms"]) / 1000)
            self._answer(method, parts.path, query)
        finally:
            with stats.lock:
                stats.in_flight -= 1

    def _send(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, method: str, path: str, query: dict[str, str]) -> None:
        stats = self.server.stats
        if path in REDIRECTS:
            status, target = REDIRECTS[path]
            self._send(status, {"Location": target})
        elif path in ("/ok", "/slow"):
            self._send(200)
        elif path == "/missing":
            self._send(404)
        elif path == "/error":
            self._send(500)
        elif path in ("/nohead", "/forbidhead"):
            refused = 405 if path == "/nohead" else 403
            self._send(refused if method == "HEAD" else 200)
        elif path == "/dropshead":
            if method == "HEAD":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._send(200)
        elif path == "/hang":
            stats.stop.wait(30)
            self.close_connection = True
        elif path == "/busy":
            key = query.get("key", "")
            with stats.lock:
                first = key not in stats.busy_seen
                stats.busy_seen.add(key)
            if first:
                self._send(429, {"Retry-After": query.get("after", "1")})
            else:
                self._send(200)
        elif path == "/unavailable":
            self._send(503)
        elif path == "/nolocation":
            self._send(302)
        else:
            self._send(404)


@contextmanager
def link_server() -> Iterator[LinkServer]:
    server = LinkServer(("127.0.0.1", 0), Handler)
    server.stats = Stats()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stats.stop.set()
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the port was just freed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
