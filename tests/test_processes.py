"""Starting work elsewhere goes through one module (``magazin.core.processes``)."""

from __future__ import annotations

import os
import re
import threading
import time

import pytest

from conftest import ROOT
from magazin.core import processes
from magazin.core.processes import ChildFailed, ForkedCall, fork_pool, may_fork, workers


@pytest.fixture
def forking(monkeypatch):
    """Fork even though the test process may run threads of earlier tests (a build's clean-up
    thread, a test server): the functions forked here take no locks."""
    monkeypatch.setattr(processes, "may_fork", lambda: True)


def _pid_and(value):
    return os.getpid(), value * 2


def _fails():
    raise ValueError("Die Zeile 3 ist kaputt")


def test_a_forked_call_returns_what_the_child_computed(forking):
    pid, value = ForkedCall(_pid_and, 21).result()
    assert value == 42
    assert pid != os.getpid()  # it really ran elsewhere


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "in place"])
def test_a_failing_child_brings_its_traceback_back(monkeypatch, fork):
    monkeypatch.setattr(processes, "may_fork", lambda: fork)
    with pytest.raises(ChildFailed, match="ValueError: Die Zeile 3 ist kaputt"):
        ForkedCall(_fails).result()


def test_a_hung_child_is_stopped_after_the_timeout(forking):
    started = time.monotonic()
    call = ForkedCall(time.sleep, 30)
    with pytest.raises(ChildFailed, match="nach 0 s abgebrochen"):
        call.result(timeout=0.3)
    assert time.monotonic() - started < 10
    assert call.pid is None  # reaped


def test_a_threaded_process_runs_the_work_in_place():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not may_fork()
        pid, value = ForkedCall(_pid_and, 2).result()
        assert (pid, value) == (os.getpid(), 4)
    finally:
        stop.set()
        thread.join()


def test_workers_setting_and_pool():
    assert workers({"X_WORKERS": 3}, "X_WORKERS", {"X_WORKERS": None}) == 3
    assert workers({}, "X_WORKERS", {"X_WORKERS": 0}) == 1
    assert workers({}, "X_WORKERS", {"X_WORKERS": None}) >= 1
    with fork_pool(2) as pool:
        assert sorted(pool.map(abs, [-1, -2, 3])) == [1, 2, 3]


def test_no_plugin_starts_processes_by_itself():
    """fork, pools and process objects only in core/processes.py."""
    pattern = re.compile(r"\bos\.fork\(|multiprocessing\.|get_context\(|\.Pool\(|ProcessPoolExecutor")
    found = []
    for path in sorted((ROOT / "plugins" / "magazin").rglob("*.py")):
        if path.name == "processes.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line) and not line.lstrip().startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
