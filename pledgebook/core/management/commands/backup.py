"""``manage.py backup <dir>``: the database and the media files, with a manifest
(pledgebook/core/backup.py, docs/OPERATIONS.md).  ``--verify`` then checks the backup as
``check_restore`` does."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from pledgebook.core import backup


class Command(BaseCommand):
    help = "Back up the database (a consistent dump) and MEDIA_ROOT into a new directory"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path, help="a new (or empty) directory")
        parser.add_argument("--database", default="default", help="the database alias")
        parser.add_argument(
            "--verify", action="store_true", help="then restore it into scratch and compare"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["directory"]
        try:
            manifest = backup.backup(
                target,
                db=connections[options["database"]].settings_dict,
                media_root=Path(settings.MEDIA_ROOT),
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        database, media = manifest["database"], manifest["media"]
        self.stdout.write(
            f"Backed up to {target}: {database['vendor']} database "
            f"({sum(database['tables'].values())} rows in {len(database['tables'])} tables, "
            f"{database['size']} bytes), {len(media['files'])} media files "
            f"({media['size']} bytes)."
        )
        if options["verify"]:
            call_command(
                "check_restore",
                str(target),
                database=options["database"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
