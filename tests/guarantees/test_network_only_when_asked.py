"""canon touches the network only in 'canon links check'.

The catalog's links point at a local server that counts requests: every other command,
also with remembered link results, makes none, and none of them imports the HTTP client.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from canon_cli.linkcheck import LinkResult, LinkStatus
from canon_cli.linkcheck.store import save_results
from tests.cli.test_links_commands import catalog_text
from tests.linkserver import LinkServer, link_server

COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "gone"],
    ["show", "gone", "--json"],
    ["open", "gone", "--print"],
    ["open", "gone", "--archive", "--print"],
    ["open", "gone"],
    ["next"],
    ["progress"],
    ["search", "gone"],
    ["sections"],
    ["tags"],
    ["export", "--format", "json"],
    ["done", "gone"],
    ["log"],
    ["links"],
    ["links", "--json"],
    ["paths"],
]


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LinkServer]:
    with link_server() as running:
        catalog = tmp_path / "links.yaml"
        catalog.write_text(catalog_text(running.base), encoding="utf-8")
        monkeypatch.setenv("CANON_CATALOG", str(catalog))
        monkeypatch.setenv("BROWSER", "true")  # 'canon open' starts no real browser
        yield running


@pytest.mark.parametrize("remembered", [False, True], ids=["never-checked", "checked"])
def test_no_command_but_links_check_makes_a_request(
    cli: Any, server: LinkServer, remembered: bool
) -> None:
    if remembered:
        url = server.base + "/missing"
        save_results([LinkResult("gone", url, LinkStatus.BROKEN, 404, url, datetime.now(UTC))])
    for args in COMMANDS:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    assert sum(server.stats.hits.values()) == 0
    cli("links", "check", "gone")
    assert sum(server.stats.hits.values()) > 0  # the server would have seen any request


def imported_by(args: list[str], prefix: str) -> list[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['canon', *{args!r}]\n"
        "from canon_cli.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.startswith({prefix!r})), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return list(ast.literal_eval(proc.stderr.strip().splitlines()[-1]))


def test_only_links_check_imports_the_http_client(server: LinkServer) -> None:
    url = server.base + "/missing"
    save_results([LinkResult("gone", url, LinkStatus.BROKEN, 404, url, datetime.now(UTC))])
    for args in (["list"], ["show", "gone"], ["open", "gone", "--print", "--no-mark"], ["links"]):
        assert imported_by(args, "httpx") == [], args
    assert imported_by(["links", "check", "gone"], "httpx") != []


def test_a_user_who_never_checks_links_loads_no_link_code(server: LinkServer) -> None:
    """Start-up is benchmarked: list and show pay nothing for link checking until it runs."""
    for args in (["list"], ["show", "gone"], ["show", "gone", "--json"]):
        assert imported_by(args, "canon_cli.linkcheck") == [], args
