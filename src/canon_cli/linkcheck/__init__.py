"""Link checking: is each catalog link still alive, and what did the last check find?

``model`` holds the typed records, ``store`` remembers results in the cache dir (no
network), and ``checker`` does the HTTP work. Only ``checker`` imports httpx, and only
``canon links check`` imports ``checker``: every other command stays as fast as before
and never touches the network.
"""

from __future__ import annotations

from canon_cli.linkcheck.model import CheckSettings, LinkResult, LinkStatus

__all__ = ["CheckSettings", "LinkResult", "LinkStatus"]
