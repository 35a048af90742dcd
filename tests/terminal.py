"""Reading what a process shows on a pseudo-terminal (progress bars, Ctrl-C messages)."""

from __future__ import annotations

import os
import select
import time


def read_pty(master: int, until, timeout: float) -> bytes:
    """What the process wrote to its terminal, until ``until(output)`` or the timeout."""
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not until(out):
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 4096)
            except OSError:  # the other end closed
                break
            if not data:
                break
            out += data
    return out
