"""Import a registry file into a programme from the command line (as the console does:
preview, default mapping and organisation decisions, then the import, all or nothing), and
print the counts and the time as JSON.

    manage.py import_registry FILE --programme SLUG [--fallback-country ISO2] [--as EMAIL]
    manage.py import_registry unoc_ocean_commitments_2026-03.jsonl --ocean-demo

``--ocean-demo`` imports into the demo programme of the UN Ocean Conference (created when
missing, with the registry's ten communities of ocean action as its themes); the file is
given on the command line, the product ships none of it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from pledgebook.programmes.models import CommitmentType, Programme, ProgrammeRole, Theme
from pledgebook.reference.models import Country
from pledgebook.registry import importing

OCEAN_SLUG = "un-ocean-conference"
#: The #OceanAction registry's communities of ocean action, the demo programme's themes.
OCEAN_THEMES = [
    "Coral reefs",
    "Implementation of international law as reflected in United Nations Convention on the "
    "Law of the Sea",
    "Mangroves",
    "Marine and coastal ecosystems management",
    "Marine pollution",
    "Ocean acidification",
    "Scientific knowledge",
    "research capacity development and transfer of marine technology",
    "Sustainable blue economy",
    "Sustainable fisheries",
]


def ocean_programme(secretariat: Any) -> Programme:
    programme, created = Programme.objects.get_or_create(
        slug=OCEAN_SLUG,
        defaults={
            "name": "UN Ocean Conference: voluntary commitments",
            "kind": Programme.Kind.CONFERENCE,
            "summary": (
                "Voluntary commitments to SDG 14 registered for the UN Ocean Conference "
                "(#OceanAction), imported from the UN registry."
            ),
            "is_published": True,
        },
    )
    if created:
        programme.commitment_types.set(CommitmentType.objects.all())
        for position, name in enumerate(OCEAN_THEMES):
            Theme.objects.create(
                programme=programme, slug=f"ocean-{position + 1}", name=name, position=position
            )
    ProgrammeRole.objects.get_or_create(
        programme=programme, user=secretariat, role=ProgrammeRole.Role.SECRETARIAT
    )
    return programme


class Command(BaseCommand):
    help = "Import commitments and organisations from a registry file (CSV, XLSX, JSON Lines)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--programme", help="slug of the programme")
        parser.add_argument("--ocean-demo", action="store_true")
        parser.add_argument("--fallback-country", default="US")
        parser.add_argument(
            "--as",
            dest="email",
            default="secretariat@demo.pledgebook.org",
            help="who imports, made the programme's secretariat with --ocean-demo (default: the "
            "demo's secretariat, so that it signs in to the programme after make run)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        user, _created = get_user_model().objects.get_or_create(
            username=options["email"], defaults={"email": options["email"]}
        )
        if options["ocean_demo"]:
            programme = ocean_programme(user)
        elif options["programme"]:
            programme = Programme.objects.get(slug=options["programme"])
        else:
            raise CommandError("give --programme SLUG or --ocean-demo")
        fallback = Country.objects.get(iso2=options["fallback_country"].upper())
        started = time.monotonic()
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            run = importing.create_run(
                actor=user, programme=programme, upload=upload, fallback_country=fallback
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        previewed = time.monotonic() - started
        run = importing.start_import(actor=user, run=run)
        if run.status in run.ACTIVE_STATUSES:  # a real queue: run it here
            run = importing.run_import(run.pk)
        seconds = time.monotonic() - started
        if run.status != run.Status.IMPORTED:
            raise CommandError(f"the import failed: {run.error}")
        self.stdout.write(
            json.dumps(
                {
                    "run": run.pk,
                    "programme": programme.slug,
                    "counts": run.counts,
                    "preview_seconds": round(previewed, 2),
                    "seconds": round(seconds, 2),
                },
                indent=1,
            )
        )
