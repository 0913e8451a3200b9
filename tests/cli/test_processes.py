"""Real canon processes racing on one state database, as in two terminals or a shell loop."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

from canon_cli import paths
from tests.statedb import integrity, records


def canon(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "canon_cli", *args],
        env={**os.environ, "CANON_LOCK_TIMEOUT": "120"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def catalog_ids() -> list[str]:
    listed = subprocess.run(
        [sys.executable, "-m", "canon_cli", "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [item["id"] for item in json.loads(listed.stdout)]


def test_twenty_five_canon_processes_at_once_are_all_recorded() -> None:
    # a cold cache too: the processes also race to build the catalog snapshot
    ids = catalog_ids()[:25]
    for item in paths.cache_dir().iterdir():
        item.unlink()
    procs = [canon("done", entry_id) for entry_id in ids]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    state = records()
    assert sorted(state) == sorted(ids)
    assert all(record.status == "done" for record in state.values())
    progress = subprocess.run(
        [sys.executable, "-m", "canon_cli", "progress", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(progress.stdout)["done"] == 25


def test_canon_killed_while_writing_never_leaves_a_broken_state() -> None:
    ids = catalog_ids()[:4]
    rng = random.Random(7)
    db = paths.state_db_path()
    for round_ in range(25):
        verb = "done" if round_ % 2 else "reset"
        proc = canon(verb, *ids)
        time.sleep(rng.uniform(0.05, 0.4))  # start-up, open, write or commit
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if db.exists():
            assert integrity(db) == "ok"
            records(db)  # opens and reads
    finished = canon("done", ids[0])
    assert finished.wait(timeout=60) == 0
    assert records()[ids[0]].status == "done"
