"""progress: the reading time left, overall and per section, in text and JSON."""

from __future__ import annotations

import json
import re
from typing import Any

Cli = Any


def test_progress_json_counts_the_minutes_left(cli: Cli) -> None:
    before = json.loads(cli("progress", "--json").stdout)
    assert before["minutes_left"] == before["minutes_total"] > 0
    assert before["left_without_estimate"] == 0
    # done and skipped leave nothing; an entry being read still counts whole
    assert cli("done", "gpt-3").exit_code == 0  # 225 min
    assert cli("skip", "chinchilla").exit_code == 0  # 105 min
    assert cli("start", "lets-build-gpt").exit_code == 0  # 116 min, still left
    after = json.loads(cli("progress", "--json").stdout)
    assert after["minutes_total"] == before["minutes_total"]
    assert after["minutes_left"] == before["minutes_total"] - 225 - 105
    new_models = next(s for s in after["sections"] if s["section"][-1] == "new-models")
    first = next(s for s in before["sections"] if s["section"][-1] == "new-models")
    assert new_models["minutes_left"] == first["minutes_left"] - 330
    research = next(s for s in after["sections"] if s["section"] == ["research"])
    assert research["minutes_left"] >= new_models["minutes_left"]  # subtree totals


def test_progress_text_says_the_time_left(cli: Cli) -> None:
    assert cli("done", "autonomous-machine-intelligence").exit_code == 0  # 180 min
    section = json.loads(cli("progress", "--section", "agents", "--json").stdout)
    assert section["minutes_left"] == 105 + 65 + 60 + 45 + 15 + 10  # all but the first
    plain = cli("progress", "--section", "agents").stdout.splitlines()
    assert plain[0].split("\t") == ["all", "7", "6", "0", "1", "0", "300"]
    screen = cli("progress", "--section", "agents", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"})
    text = re.sub(r"\x1b\[[0-9;]*m", "", screen.stdout)
    assert "Time left: about 5 h" in text
    assert re.search(r"Agents .* 1/7 +5h$", text, re.M)


def test_time_left_is_none_when_everything_is_read(cli: Cli) -> None:
    ids = [e["id"] for e in json.loads(cli("list", "--section", "agents", "--json").stdout)]
    assert cli("done", *ids).exit_code == 0
    screen = cli("progress", "--section", "agents", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"})
    assert "Time left: none" in screen.stdout
