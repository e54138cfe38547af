"""What an uploaded file is, judged by its content, never by its name or by the type the
browser declared (both are chosen by the sender: a Windows program sent as ``invoice.pdf``
with ``application/pdf`` is still a program).

Every upload goes through :func:`check` (as the form field's validator, :class:`FileValidator`,
and again in the domain function that stores it): the content's magic bytes must be one of the
kinds allowed for that upload, and the file's name must end in an extension of that kind.
The kind found, not the declared one, is what is stored and served.  Stored files are named by
a random id (:class:`StoredName`); the name the person gave is kept in a column, for display
and as the download's filename.

Content sniffing: ``filetype`` (pure Python, no dependency, reads only the first 8 KB against
known signatures).  Chosen over python-magic, which wraps the C library libmagic: that is a
system package every machine would need, and a large C parser fed with untrusted files, for
six kinds whose signatures are simple.  Text (CSV) has no signature: it is text when it holds
no NUL or control byte and does not start as markup (HTML, SVG, XML).

Storing: every uploaded file is written by :class:`MediaStorage` (the default storage,
settings.STORAGES).  A full disk (``ENOSPC``) or an exhausted quota (``EDQUOT``) becomes
:class:`StorageFull`, a ``ValidationError`` the forms already show (core/forms.py,
``attempt``), after the partly written file is removed; domain functions that store files
with rows do so in :func:`atomic_with_files`, which also removes the files the block had
stored when it fails, so no row points at a missing file and no file is left without its row.
Files stored before are never touched (a stored name is always new).
"""

from __future__ import annotations

import errno
import logging
import os
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

import filetype
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HEAD_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    mime: str
    label: Any  # a lazy translation: "PDF", "Word (.docx)"
    extensions: tuple[str, ...]  # the first one is given to stored files


PDF = Kind("application/pdf", gettext_lazy("PDF"), (".pdf",))
PNG = Kind("image/png", gettext_lazy("PNG"), (".png",))
JPEG = Kind("image/jpeg", gettext_lazy("JPEG"), (".jpg", ".jpeg"))
CSV = Kind("text/csv", gettext_lazy("CSV"), (".csv",))
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    gettext_lazy("Word (.docx)"),
    (".docx",),
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    gettext_lazy("Excel (.xlsx)"),
    (".xlsx",),
)

#: Evidence of a progress report.
EVIDENCE = (PDF, PNG, JPEG, CSV, DOCX, XLSX)
#: A table to import (coalitions).
TABLES = (CSV, XLSX)

TEXT = "text/plain"
MARKUP = "text/html"
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 26}  # tab, LF, FF, CR, Ctrl-Z (old DOS end)
_OOXML_PARTS = {"word/document.xml": DOCX.mime, "xl/workbook.xml": XLSX.mime}


def _read_head(file: IO[bytes] | Any) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(position)
    return bytes(head)


def _ooxml(file: Any) -> str | None:
    """A ZIP whose first entries did not say what it is: look for the main part of a Word
    document or an Excel workbook in its directory."""
    position = file.tell()
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(position)
    for part, mime in _OOXML_PARTS.items():
        if part in names and "[Content_Types].xml" in names:
            return mime
    return None


def _is_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        return True
    return not any(byte in _CONTROL for byte in head)


def sniff(file: Any) -> str | None:
    """The MIME type of ``file``'s content: ``text/plain`` for text, ``text/html`` for text
    that starts as markup, ``None`` when nothing is recognised."""
    head = _read_head(file)
    if not head:
        return None
    mime = filetype.guess_mime(head)
    if mime == "application/zip":
        return _ooxml(file) or mime
    if mime:
        return str(mime)
    if not _is_text(head):
        return None
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if start.startswith(b"<"):
        return MARKUP
    return TEXT


def _matches(kind: Kind, mime: str | None) -> bool:
    return mime == kind.mime or (kind is CSV and mime == TEXT)


def identify(file: Any, kinds: Iterable[Kind]) -> Kind | None:
    """The kind among ``kinds`` that ``file``'s content is, or ``None``."""
    mime = sniff(file)
    return next((kind for kind in kinds if _matches(kind, mime)), None)


def _labels(kinds: Iterable[Kind]) -> str:
    return str(get_text_list([str(k.label) for k in kinds], _("or")))


def check(file: Any, kinds: Iterable[Kind]) -> Kind:
    """The kind of ``file``, one of ``kinds``; a ``ValidationError`` naming the file when its
    content is none of them or its name does not end in an extension of the kind found.
    ``file.content_type`` becomes the type found, so that what is stored is what was seen."""
    kinds = tuple(kinds)
    name = PurePath(getattr(file, "name", "") or "").name
    kind = identify(file, kinds)
    if kind is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a %(kinds)s file (judged by its content, whatever its name "
                "says): choose another file."
            )
            % {"name": name, "kinds": _labels(kinds)},
            code="file_content",
        )
    extension = PurePath(name).suffix.lower()
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "“%(name)s” is a %(kind)s file but its name does not end in %(extension)s: "
                "rename it, or choose the file you meant."
            )
            % {"name": name, "kind": kind.label, "extension": kind.extensions[0]},
            code="file_name",
        )
    if hasattr(file, "content_type"):
        file.content_type = kind.mime
    return kind


@deconstructible
class FileValidator:
    """The validator of a form's file field: :func:`check` against ``kinds``."""

    def __init__(self, *kinds: Kind) -> None:
        self.kinds = kinds

    def __call__(self, value: Any) -> None:
        check(value, self.kinds)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileValidator) and other.kinds == self.kinds

    def __hash__(self) -> int:
        return hash(self.kinds)


@deconstructible
class StoredName:
    """``upload_to`` of every uploaded file: ``<folder>/<year>/<random id><extension>``.  The
    name the sender gave never reaches the disk (it stays in the model's own column)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        extension = PurePath(filename).suffix.lower()
        if not (1 < len(extension) <= 6 and extension[1:].isalnum()):
            extension = ""
        return f"{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoredName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


# Storing ----------------------------------------------------------------------------------------

logger = logging.getLogger(__name__)

#: The errors of a device or quota that has no room left.
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT})

#: Files stored inside :func:`atomic_with_files` (None outside).
_stored: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("stored_files", default=None)


class StorageFull(ValidationError):
    """The media disk (or quota) is full: nothing of the upload was kept."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The server could not store the file: its disk is full. Nothing was saved; "
                "try again later."
            ),
            code="storage_full",
        )


class MediaStorage(FileSystemStorage):
    """Django's file system storage that leaves no partial file when the disk is full and
    says so with :class:`StorageFull`."""

    def _save(self, name: str, content: Any) -> str:
        # save() gave a name no file has: what is found there after a failure is ours.
        try:
            stored = str(super()._save(name, content))  # type: ignore[misc]  # not in the stubs
        except OSError as error:
            if error.errno not in NO_ROOM:
                raise
            logger.error("media storage full (%s): %s not stored", error.strerror, name)
            with suppress(FileNotFoundError):
                os.remove(self.path(name))
            raise StorageFull() from error
        if (stored_here := _stored.get()) is not None:
            stored_here.append((self, stored))
        return stored


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """``transaction.atomic()`` for a block that stores files with its rows: when the block
    fails (the disk full at the second file, a database error), the rows are rolled back and
    the files it stored are deleted."""
    stored: list[tuple[Storage, str]] = []
    token = _stored.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not remove %s after a failed save", name)
        raise
    finally:
        _stored.reset(token)
