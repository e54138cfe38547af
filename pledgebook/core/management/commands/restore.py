"""``manage.py restore <dir>``: a backup of ``manage.py backup`` into an empty database and an
empty MEDIA_ROOT (``--force`` replaces what they hold).  pledgebook/core/backup.py,
docs/OPERATIONS.md."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from pledgebook.core import backup


def database_settings(options: dict[str, Any]) -> dict[str, Any]:
    """The database named by ``--database-url``, else the alias ``--database``."""
    if options.get("database_url"):
        return dict(environ.Env.db_url_config(options["database_url"]))
    return dict(connections[options["database"]].settings_dict)


class Command(BaseCommand):
    help = "Restore a backup into an empty database and media directory"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path, help="a directory made by `backup`")
        parser.add_argument("--database", default="default", help="the database alias")
        parser.add_argument(
            "--database-url", help="restore into this database instead (it must exist)"
        )
        parser.add_argument(
            "--media-root", type=Path, help="restore the media files here (default MEDIA_ROOT)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace what the database and the media directory hold (it is deleted)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        db = database_settings(options)
        media_root = options["media_root"] or Path(settings.MEDIA_ROOT)
        try:
            manifest = backup.restore(
                options["directory"], db=db, media_root=media_root, force=options["force"]
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        connections.close_all()  # the site's connections see the restored database anew
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} into the database {db['NAME']} "
            f"and {media_root} ({len(manifest['media']['files'])} media files).  Run "
            "`manage.py check_restore` on the backup to compare, and `manage.py migrate` if "
            "this code is newer than the backup."
        )
