"""A full media disk while a coalition table is uploaded: the form says so, no batch and no
file is kept (core/uploads.py)."""

from __future__ import annotations

from pledgebook.coalitions.models import ImportBatch
from tests.coalitions.test_import import HEADER, csv_file, row, upload
from tests.storage_full import disk_full_at, media_files

FULL = "The server could not store the file: its disk is full. Nothing was saved; try again later."


def test_a_full_disk_keeps_no_batch_and_no_file(client, programme, secretariat, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(secretariat)
    assert (
        upload(client, programme, csv_file([HEADER, row(name="Stored before")])).status_code == 302
    )
    before = (list(ImportBatch.objects.values_list("pk", "file")), media_files(settings.MEDIA_ROOT))

    with disk_full_at(settings.MEDIA_ROOT):
        response = upload(client, programme, csv_file([HEADER, row(name="Reef Guardians")]))

    assert FULL in response.content.decode()
    assert response.status_code in (200, 400)
    assert (
        list(ImportBatch.objects.values_list("pk", "file")),
        media_files(settings.MEDIA_ROOT),
    ) == before
