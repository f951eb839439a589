"""A task for the worker tests: each run leaves a file that a second run could not create."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def note_run(directory: str, number: int) -> int:
    path = Path(directory) / str(number)
    # O_EXCL: a second run of the same task fails here instead of writing it again.
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    os.write(descriptor, str(os.getpid()).encode())
    os.close(descriptor)
    time.sleep(0.2)
    return os.getpid()
