"""The progress display of ``seed_scale``: one line per stage update on stderr, never per row."""

from __future__ import annotations

import sys
import time


class Progress:
    """Reports ``stage: done/total (percent) elapsed`` at most every ``every`` seconds, and once
    when the stage finishes."""

    def __init__(self, stream=None, *, every: float = 2.0, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.every = every
        self.quiet = quiet
        self.started = time.monotonic()
        self.stage = ""
        self.total = 0
        self.done = 0
        self._stage_started = self.started
        self._last = 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def begin(self, stage: str, total: int) -> None:
        self.stage, self.total, self.done = stage, max(int(total), 0), 0
        self._stage_started = self._last = time.monotonic()
        self._line()

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self._line()

    def end(self) -> None:
        self._line(final=True)

    def note(self, message: str) -> None:
        if not self.quiet:
            self.stream.write(f"[{self.elapsed():7.1f}s] {message}\n")
            self.stream.flush()

    def _line(self, final: bool = False) -> None:
        if self.quiet:
            return
        percent = 100 * self.done / self.total if self.total else 100.0
        took = time.monotonic() - self._stage_started
        tail = f" done in {took:.1f}s" if final else ""
        self.stream.write(
            f"[{self.elapsed():7.1f}s] {self.stage}: {self.done:,}/{self.total:,} "
            f"({percent:5.1f}%){tail}\n"
        )
        self.stream.flush()
