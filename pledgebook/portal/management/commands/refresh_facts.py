"""``manage.py refresh_facts``: rebuild the map's and the dashboard's facts from scratch."""

import time

from django.core.management.base import BaseCommand

from pledgebook.portal import facts


class Command(BaseCommand):
    help = "Rebuild the facts of the map and the SDG dashboard from the commitments."

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        written = facts.refresh_all()
        self.stdout.write(
            f"{written} public commitments in the facts ({time.monotonic() - started:.1f} s)."
        )
