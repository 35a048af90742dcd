"""Reading what a process shows on a pseudo-terminal (progress bars, Ctrl-C messages)."""

from __future__ import annotations

import os
import select
import subprocess
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


def spawn_on_pty(args, *, cwd, env, stdout=subprocess.DEVNULL) -> tuple[subprocess.Popen, int]:
    """Start ``args`` with its stderr on a new pseudo-terminal (so it shows a progress bar);
    returns the process and the terminal's master end, which the caller closes."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=slave
    )
    os.close(slave)
    return process, master
