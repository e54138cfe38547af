"""A full media disk while evidence is uploaded (issue 14, "Bad input and faults"): a clear
error on the form, nothing half-written (no partial file, no row without its file, no file
without its row), and what was stored before untouched (core/uploads.py, MediaStorage)."""

from __future__ import annotations

import errno

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pledgebook.core.uploads import MediaStorage
from pledgebook.reporting.models import Evidence, ProgressReport
from tests.reporting.conftest import Reporting, form_data
from tests.storage_full import disk_full_at, media_files

pytestmark = pytest.mark.django_db

FULL = "The server could not store the file: its disk is full. Nothing was saved; try again later."


def pdf(name: str, size: int = 5000) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


def state() -> tuple:
    return (
        sorted(Evidence.objects.values_list("report_id", "file", "original_name", "size")),
        sorted(ProgressReport.objects.values_list("pk", "narrative", "challenges")),
    )


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_at_the_second_file_keeps_nothing_of_the_save(
    client, rp: Reporting, settings, tmp_path, code
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Stored before: a draft with one evidence file.
    response = client.post(
        rp.report_url(), {**form_data(rp), "evidence_files": [pdf("before.pdf")], "save": "1"}
    )
    assert response.status_code == 302
    before_db, before_files = state(), media_files(settings.MEDIA_ROOT)
    assert len(before_files) == 1

    with disk_full_at(settings.MEDIA_ROOT, nth=2, code=code) as opened:
        response = client.post(
            rp.report_url(),
            {
                **form_data(rp, challenges="Typed just now, kept on the page."),
                "evidence_files": [pdf("one.pdf"), pdf("two.pdf")],
                "save": "1",
            },
        )

    assert len(opened) == 2  # the first new file was written whole, the second failed
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [FULL]
    page = response.content.decode()
    assert "its disk is full" in page
    assert "Typed just now, kept on the page." in page  # what was typed is on the form again
    assert state() == before_db
    assert media_files(settings.MEDIA_ROOT) == before_files


def test_a_full_disk_at_the_only_file_of_a_new_report(client, rp: Reporting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with disk_full_at(settings.MEDIA_ROOT):
        response = client.post(
            rp.report_url(), {**form_data(rp), "evidence_files": [pdf("a.pdf")], "save": "1"}
        )
    assert response.status_code == 200
    assert FULL in response.content.decode()
    assert ProgressReport.objects.count() == Evidence.objects.count() == 0  # nor its links
    assert media_files(settings.MEDIA_ROOT) == {}
    # Room again: the same upload is stored.
    response = client.post(
        rp.report_url(), {**form_data(rp), "evidence_files": [pdf("a.pdf")], "save": "1"}
    )
    assert response.status_code == 302
    stored = Evidence.objects.exclude(file="")
    assert [e.file.read() for e in stored] == list(media_files(settings.MEDIA_ROOT).values())
    assert len(stored) == 1


def test_other_errors_are_not_taken_for_a_full_disk(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    with disk_full_at(tmp_path, code=errno.EIO), pytest.raises(OSError) as raised:
        MediaStorage().save("evidence/x.pdf", pdf("x.pdf"))
    assert raised.value.errno == errno.EIO


def test_a_full_temporary_disk_while_the_files_are_received_says_so_and_keeps_nothing(
    client, rp: Reporting, settings, tmp_path
) -> None:
    """Files over FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to the temporary directory before
    any form sees them: a full disk there is a clear page (507), not a server error."""
    from unittest import mock

    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # the 5 KB file goes to the temporary disk

    def full(self, raw_data: bytes, start: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with mock.patch.object(TemporaryFileUploadHandler, "receive_data_chunk", full):
        response = client.post(
            rp.report_url(), {**form_data(rp), "evidence_files": [pdf("a.pdf")], "save": "1"}
        )
    assert response.status_code == 507
    page = response.content.decode()
    assert "The server has no room for your files just now" in page
    assert "nothing was saved" in page
    assert ProgressReport.objects.count() == Evidence.objects.count() == 0
    assert media_files(settings.MEDIA_ROOT) == {}

    # Room again: the same form is stored.
    response = client.post(
        rp.report_url(), {**form_data(rp), "evidence_files": [pdf("a.pdf")], "save": "1"}
    )
    assert response.status_code == 302
    assert Evidence.objects.exclude(file="").count() == 1


def test_other_errors_of_the_temporary_disk_stay_errors(client, rp: Reporting, settings) -> None:
    from unittest import mock

    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000

    def broken(self, raw_data: bytes, start: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with (
        mock.patch.object(TemporaryFileUploadHandler, "receive_data_chunk", broken),
        pytest.raises(OSError),
    ):
        client.post(rp.report_url(), {**form_data(rp), "evidence_files": [pdf("a.pdf")]})
