"""``manage.py send_reminders``: remind the makers of every open reporting cycle that have
not reported (for cron, e.g. daily).  Safe to run any number of times: each maker is reminded
once before its report is due and once after (``reporting.domain.send_reminders``); every
reminder carries the maker's personal link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pledgebook.reporting import domain
from pledgebook.reporting.models import ReportingCycle


class Command(BaseCommand):
    help = "Send the due reporting reminders of every open cycle (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        cycles = ReportingCycle.objects.filter(status=ReportingCycle.Status.OPEN).select_related(
            "programme"
        )
        for cycle in cycles.order_by("pk"):
            sent = domain.send_reminders(cycle=cycle)
            total += sent
            if options["verbosity"] > 1 or sent:
                self.stdout.write(f"{cycle.programme.slug} / {cycle.name}: {sent} sent")
        self.stdout.write(f"Reminders sent: {total}")
