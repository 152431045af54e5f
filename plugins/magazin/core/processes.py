"""Starting work elsewhere: the one module that forks, pools and counts cores.

Plugins never call ``os.fork`` or ``multiprocessing`` themselves; they ask here:

- ``usable_cores()`` / ``workers(settings, key, defaults)``: how many processes a ``*_WORKERS``
  setting asks for (``None``: every core this process may run on).
- ``may_fork()``: only a process with one thread forks (a fork copies no other thread, so a
  lock another thread holds stays locked in the child). The live preview builds on threads:
  there every job below runs in place, and the plugins' ``*_BACKGROUND`` settings say so too.
- ``ForkedCall(func, *args)``: one function in a forked child while the build goes on;
  ``result(timeout)`` returns what it returned. A child that raised, died or timed out gives
  ``ChildFailed`` with its traceback; the caller then does the work in place, so the author
  sees the usual German error, raised where it always was.
- ``fork_pool(n, …)``: a ``multiprocessing`` pool of forked workers (they inherit the
  build's objects, nothing is pickled on the way in), closed when the block ends.
- ``fork_process(target, args, name)``: a long-lived forked helper; ``fork_context()`` for its
  pipes and locks (the search index).

The parallel writer (``parallel/writing.py``) forks its writing processes with ``fork_child``:
each child writes its share of the pages and never returns.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import select
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from typing import Any


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def workers(settings: Mapping[str, Any], key: str, defaults: Mapping[str, Any]) -> int:
    """How many processes a ``*_WORKERS`` setting asks for (``None``: every usable core), at least 1."""
    wanted = settings.get(key, defaults[key])
    return max(1, int(usable_cores() if wanted is None else wanted))


def may_fork() -> bool:
    """Whether this process may fork: it runs a single thread."""
    return threading.active_count() == 1


class ChildFailed(Exception):
    """The forked child raised, died or took too long; ``str()`` is its traceback or the reason."""


class ForkedCall:
    """``func(*args)`` in a forked child (in place when ``may_fork()`` says no)."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.pid: int | None = None
        self.fd: int | None = None
        self._done: tuple[str, Any] | None = None
        if not may_fork():
            try:
                self._done = ("ok", func(*args))
            except Exception:
                self._done = ("error", traceback.format_exc(limit=8))
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, report, leave without running the parent's exit code
            os.close(read)
            status = 0
            try:
                payload = pickle.dumps(("ok", func(*args)))
            except BaseException:
                payload, status = pickle.dumps(("error", traceback.format_exc(limit=8))), 1
            try:
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload)
            finally:
                os._exit(status)
        os.close(write)
        self.pid, self.fd = pid, read

    def result(self, timeout: float | None = None) -> Any:
        """What ``func`` returned (waits for the child, at most ``timeout`` seconds)."""
        if self._done is None:
            self._done = self._collect(timeout)
        kind, value = self._done
        if kind != "ok":
            raise ChildFailed(value)
        return value

    def _collect(self, timeout: float | None) -> tuple[str, Any]:
        if self.fd is None:
            raise RuntimeError("ForkedCall.result() after cancel()")
        chunks = []
        deadline = None if timeout is None else time.monotonic() + timeout
        with os.fdopen(self.fd, "rb", buffering=0) as pipe:
            self.fd = None
            while True:
                left = None if deadline is None else max(0.0, deadline - time.monotonic())
                ready, _, _ = select.select([pipe], [], [], left)
                if not ready:
                    self._kill()
                    return "error", f"nach {timeout:.0f} s abgebrochen"
                chunk = pipe.read(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        self._reap()
        try:
            return pickle.loads(b"".join(chunks))  # noqa: S301 - our own forked child wrote it
        except Exception:
            return "error", "der Hilfsprozess endete ohne Ergebnis"

    def _kill(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, 9)
        self._reap()

    def _reap(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(self.pid, 0)
            self.pid = None

    def cancel(self) -> None:
        """Stop the child (the build ended for a reason that needs its result no more)."""
        self._kill()
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        self._done = self._done or ("error", "abgebrochen")


@contextlib.contextmanager
def fork_pool(
    processes: int, initializer: Callable[..., Any] | None = None, initargs: tuple = ()
) -> Iterator[Any]:
    """A pool of ``processes`` forked workers, terminated when the block ends."""
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=initializer, initargs=initargs) as pool:
        yield pool


def fork_context() -> Any:
    """The ``fork`` multiprocessing context, for a helper that needs its pipes and locks too."""
    return multiprocessing.get_context("fork")


def fork_process(target: Callable[..., Any], args: tuple, name: str) -> Any:
    """A started forked helper process (``multiprocessing.Process``, a daemon)."""
    process = multiprocessing.get_context("fork").Process(target=target, args=args, name=name, daemon=True)
    process.start()
    return process


def fork_child(run: Callable[[], None]) -> int:
    """Fork; in the child call ``run()`` (which must end the process with ``os._exit``); in the
    parent return the child's pid."""
    pid = os.fork()
    if pid == 0:
        try:
            run()
        finally:
            os._exit(1)  # ``run`` returned or raised without leaving: never run the parent's code
    return pid
