"""One writer per curated directory: an exclusive OS file lock, held while a run writes.

The kernel releases a `flock` when its process dies, so a killed run never
leaves the directory locked. While held, the lock file says who holds it (pid,
start time, command), for the message a second run prints while it waits; it is
emptied on release, so a run leaves no trace in it.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK_FILE = "lock"
BUSY_EXIT = 75  # EX_TEMPFAIL: another run holds the directory; try again later


class Busy(Exception):
    """Another run holds the curated directory, and this one was told not to wait."""


@contextmanager
def exclusive(curated_dir: Path, wait: bool = True, say=print):
    """Hold the curated directory's lock for the block; wait for another holder (saying so) unless not `wait`."""
    path = Path(curated_dir) / "_state" / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = f"another run ({holder(path)}) holds {curated_dir}"
            if not wait:
                raise Busy(message) from None
            say(f"{message}; waiting")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                 "command": " ".join(sys.argv)}, ensure_ascii=False))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()  # nobody holds it: the directory is left as a run found it


def holder(path: Path) -> str:
    """`pid N, started …` of the lock's holder, as it recorded itself."""
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
        return f"pid {info['pid']}, started {info['started']}"
    except (OSError, ValueError, KeyError):
        return "pid unknown"
