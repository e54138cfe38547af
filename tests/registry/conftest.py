"""Every registry test keeps its uploaded files (the registry file, the import report) in a
media directory of its own."""

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
