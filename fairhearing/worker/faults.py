"""Named points in background work where crash tests stop a worker to kill it.

`checkpoint(name)` does nothing unless the environment variable
`FAIRHEARING_WORKER_HALT_AT` names that point (`name` or `name:N`, the Nth time it is
reached in this process). There, the process writes its pid to
`FAIRHEARING_WORKER_HALT_FILE` and waits to be killed, so a test can SIGKILL a real worker at
an exact place (between two chunks of a dossier, after one email of a batch) and check what
the next worker does. Production never sets the variable; the cost is one dictionary look-up.
"""

import os
import time
from collections import Counter
from pathlib import Path

_reached: Counter[str] = Counter()


def checkpoint(name: str) -> None:
    wanted = os.environ.get("FAIRHEARING_WORKER_HALT_AT")
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _reached[name] += 1
    if _reached[name] != int(nth or 1):
        return
    marker = os.environ.get("FAIRHEARING_WORKER_HALT_FILE")
    if marker:
        Path(marker).write_text(str(os.getpid()))
    while True:  # until the test kills this process
        time.sleep(1)
