"""Stopping a server started in a process group of its own (``start_new_session=True``):
gunicorn with its workers, the two-server stack with nginx and the task worker.  Used by the
tests that serve the site and by the load benchmark."""

from __future__ import annotations

import os
import signal
import subprocess


def stop_group(process: subprocess.Popen, timeout: float = 60) -> None:
    """SIGTERM to the whole group (a graceful stop), SIGKILL after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
