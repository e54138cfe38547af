"""A media disk that fills up in the middle of a file: the Nth file opened for writing under
MEDIA_ROOT gets half of its first chunk written, then ENOSPC (or another errno), as a real
full disk answers ``write``."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock


class _Full:
    def __init__(self, file: Any, code: int) -> None:
        self.file, self.code = file, code

    def write(self, data: bytes) -> int:
        self.file.write(data[: max(1, len(data) // 2)])
        self.file.flush()
        raise OSError(self.code, os.strerror(self.code))

    def close(self) -> None:
        self.file.close()


@contextmanager
def disk_full_at(media_root: Path, nth: int = 1, code: int = errno.ENOSPC) -> Iterator[list[str]]:
    """Within the block, the ``nth`` file written under ``media_root`` fails; yields the paths
    of the files opened for writing there."""
    real = os.fdopen
    opened: list[str] = []

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        file = real(fd, mode, *args, **kwargs)
        path = os.readlink(f"/proc/self/fd/{fd}")
        if "w" in mode and path.startswith(str(Path(media_root).resolve())):
            opened.append(path)
            if len(opened) == nth:
                return _Full(file, code)
        return file

    with mock.patch("django.core.files.storage.filesystem.os.fdopen", fdopen):
        yield opened


def media_files(root: Path) -> dict[str, bytes]:
    root = Path(root)
    return (
        {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else {}
    )
