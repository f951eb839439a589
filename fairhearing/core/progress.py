"""A progress bar for long commands (imports, key rotation, benchmark data): every command's
long work shows its progress on the command line."""

import time
from typing import Any


class ProgressBar:
    """A one-line progress bar on stderr: rows done, percent, rate and time left."""

    def __init__(self, stream: Any, width: int = 30, unit: str = "rows") -> None:
        self.stream, self.width, self.started = stream, width, time.monotonic()
        self.unit = unit

    def __call__(self, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate else 0.0
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {self.unit} "
            f"{fraction:4.0%} {rate:6.0f} {self.unit}/s {left:4.0f}s left"
        )
        self.stream.flush()
        if done >= total:
            self.stream.write("\n")
