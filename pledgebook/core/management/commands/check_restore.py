"""``manage.py check_restore <dir>``: restore a backup into a scratch database and media
directory, compare with its manifest (sha256 of each part and of each media file, the row
count of every table), and exit 1 on any difference.  pledgebook/core/backup.py."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pledgebook.core import backup
from pledgebook.core.management.commands.restore import database_settings


class Command(BaseCommand):
    help = "Restore a backup into scratch and compare it with its manifest (exit 1 if not equal)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path, help="a directory made by `backup`")
        parser.add_argument(
            "--database",
            default="default",
            help="the scratch database is made on this database's server (PostgreSQL)",
        )
        parser.add_argument("--database-url", help="or on this database's server")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.check(options["directory"], db=database_settings(options))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if result.problems:
            for problem in result.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"The backup {options['directory']} does not restore to what its manifest "
                f"records: {len(result.problems)} differences."
            )
        database, media = result.manifest["database"], result.manifest["media"]
        self.stdout.write(
            f"The backup {options['directory']} restores whole: "
            f"{sum(database['tables'].values())} rows in {len(database['tables'])} tables and "
            f"{len(media['files'])} media files, as its manifest records."
        )
