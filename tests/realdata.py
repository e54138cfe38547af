"""Where the real public data of /work/shared/realdata (see its README) is, if anywhere.

The tests that read it look for a ``shared/realdata`` folder beside the project or beside any
folder above it (a git worktree lives deeper than the main checkout), or at the path in
``PLEDGEBOOK_REALDATA``; they are skipped when it is nowhere."""

from __future__ import annotations

import os
from pathlib import Path


def realdata(*parts: str) -> Path:
    """The path of ``parts`` under the real-data folder (which may not exist)."""
    configured = os.environ.get("PLEDGEBOOK_REALDATA")
    if configured:
        return Path(configured).joinpath(*parts)
    here = Path(__file__).resolve()
    for folder in here.parents:
        candidate = folder / "shared" / "realdata"
        if candidate.is_dir():
            return candidate.joinpath(*parts)
    return here.parent.joinpath("realdata-not-found", *parts)
