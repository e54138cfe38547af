"""Consultations: the secretariat sets the questions, the audience (anyone, anyone signed in, or
the commitment makers of a theme giving inputs on its draft blueprint, seed 001 §12) and the
window; responses come from the public form (:func:`respond`) or from a CSV/XLSX file
(:func:`preview_import`, :func:`import_responses`: all rows or none); the answers of each
question are grouped into recurring themes (:func:`group_responses`) with the offline
embedding model of the coalition hub.

Grouping
--------
Each question's answers are embedded (``forum.similar.vectors``: stored vectors read back,
missing ones computed) and clustered by **average-linkage agglomerative clustering** on cosine
similarity: every answer starts alone; the two groups whose answers are on average the most
similar are merged, again and again, while that average similarity is at least
:data:`THEME_THRESHOLD`.  Average linkage (rather than single linkage) keeps a chain of
loosely related answers from collapsing into one theme.

:data:`THEME_THRESHOLD` (0.87, raw cosine of multilingual-e5-small) was chosen on the
hand-written set of ``tests/forum/test_consultations.py`` (``PARAPHRASES``: four ideas, three
or four wordings each): paraphrases of one idea scored 0.90-0.98 with one another, answers
about different ideas 0.78-0.84 (measured 2026-12-05); average linkage separated the four
groups exactly for every threshold from 0.84 to 0.88, and 0.87 is the middle of the gap between
the two ranges.  ``test_threshold_separates_the_labelled_set`` checks both ranges against it.

Each theme gets a short label (the significant words its answers share, from
``similarity.terms.top_terms_shared`` between the most central answer and the others; the
most central answer itself, shortened, for a theme of one answer or without shared words),
its count, and up to :data:`QUOTES` representative quotes (the answers closest to the centre).
A consultation with more than :data:`INLINE_ANSWERS` answers (or more than
:data:`INLINE_EMBEDDINGS` not embedded yet by the background indexing) is grouped by a task
(:func:`group_consultation`); the console shows it in progress (:func:`grouping_in_progress`).
Clustering 2,000 answers takes about 1.3 s here; embedding is the costly part (about 0.1 s an
answer), done in the background as answers arrive (``similar.queue``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from pledgebook.coalitions.importing import Countries, FileError, read_table
from pledgebook.core import audit, uploads
from pledgebook.core.permissions import require
from pledgebook.core.tasks import INTERACTIVE_PRIORITY
from pledgebook.forum import similar
from pledgebook.forum.models import (
    Answer,
    Consultation,
    ConsultationQuestion,
    ConsultationResponse,
    ConsultationTheme,
)
from pledgebook.forum.validation import ANSWER_MAX_CHARS, audience_refusal, check_consultation
from pledgebook.organisations.models import Category
from pledgebook.reference.models import Country
from pledgebook.similarity import engine
from pledgebook.similarity.models import Vector
from pledgebook.similarity.terms import top_terms_shared

CONSULTATION_FIELDS = (
    "title",
    "description",
    "event",
    "audience",
    "theme",
    "opens_at",
    "closes_at",
    "is_published",
)
#: Cosine similarity (average linkage) above which two groups of answers are one theme.
THEME_THRESHOLD = 0.87
#: Quotes kept per theme.
QUOTES = 3
#: More answers than this are grouped by a task.
INLINE_ANSWERS = 100
#: More answers not embedded yet than this are grouped by a task (embedding one takes about
#: 0.1 s on the CPU here).
INLINE_EMBEDDINGS = 20
#: The largest import file.
MAX_BYTES = 2 * 1024 * 1024
#: Words of a label made of shared terms.
LABEL_TERMS = 4
LABEL_CHARS = 90


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# The consultation and its questions --------------------------------------------------------------


def create_consultation(*, actor: Any, programme: Any, slug: str, **fields: Any) -> Consultation:
    require(actor, "programmes.change_programme", programme)
    data = {k: fields.get(k) for k in CONSULTATION_FIELDS if k in fields}
    data.setdefault("audience", Consultation.Audience.PUBLIC)
    errors = check_consultation(
        programme=programme,
        title=data.get("title") or "",
        audience=str(data["audience"]),
        theme=data.get("theme"),
        event=data.get("event"),
        opens_at=data.get("opens_at"),
        closes_at=data.get("closes_at"),
    )
    if not slug:
        errors.setdefault("slug", []).append(
            _("Give the consultation a short name for its address.")
        )
    elif Consultation.objects.filter(programme=programme, slug=slug).exists():
        errors.setdefault("slug", []).append(
            _("A consultation of this programme already uses “%(slug)s”.") % {"slug": slug}
        )
    _raise_if(errors)
    if data["audience"] != Consultation.Audience.THEME_MAKERS:
        data["theme"] = None
    with transaction.atomic():
        consultation = Consultation.objects.create(
            programme=programme, slug=slug, **{k: v for k, v in data.items() if v is not None}
        )
        audit.record(
            actor=actor, action="consultation.created", obj=consultation, programme=programme
        )
    return consultation


def update_consultation(*, actor: Any, consultation: Consultation, **fields: Any) -> Consultation:
    require(actor, "forum.manage_consultation", consultation)
    data = {k: fields[k] for k in CONSULTATION_FIELDS if k in fields}
    merged = {k: data.get(k, getattr(consultation, k)) for k in CONSULTATION_FIELDS}
    _raise_if(
        check_consultation(
            programme=consultation.programme,
            title=merged["title"] or "",
            audience=merged["audience"],
            theme=merged["theme"],
            event=merged["event"],
            opens_at=merged["opens_at"],
            closes_at=merged["closes_at"],
        )
    )
    if merged["audience"] != Consultation.Audience.THEME_MAKERS:
        data["theme"] = None
    with transaction.atomic():
        for name, value in data.items():
            setattr(consultation, name, value)
        consultation.save()
        audit.record(
            actor=actor,
            action="consultation.changed",
            obj=consultation,
            programme=consultation.programme,
            data={"fields": sorted(data)},
        )
    return consultation


def _check_question(text: str, help_text: str) -> None:
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Write the question.")]
    elif len(text.strip()) > 500:
        errors["text"] = [_("A question has at most 500 characters.")]
    if len(help_text.strip()) > 500:
        errors["help_text"] = [_("The help has at most 500 characters.")]
    _raise_if(errors)


def _duplicate(consultation: Consultation, text: str, exclude: int | None = None) -> None:
    others = consultation.questions.exclude(pk=exclude) if exclude else consultation.questions
    if any(_key(q) == _key(text) for q in others.values_list("text", flat=True)):
        raise ValidationError(
            {
                "text": [
                    _(
                        "The consultation already asks this question (the import tells them "
                        "apart by their text)."
                    )
                ]
            }
        )


def add_question(
    *,
    actor: Any,
    consultation: Consultation,
    text: str,
    help_text: str = "",
    required: bool = False,
) -> ConsultationQuestion:
    require(actor, "forum.manage_consultation", consultation)
    _check_question(text, help_text)
    _duplicate(consultation, text)
    with transaction.atomic():
        last = consultation.questions.order_by("-position").values_list("position", flat=True)
        question = ConsultationQuestion.objects.create(
            consultation=consultation,
            text=text.strip(),
            help_text=help_text.strip(),
            required=required,
            position=(last.first() or 0) + 1 if last.exists() else 0,
        )
        audit.record(
            actor=actor,
            action="consultation.changed",
            obj=consultation,
            programme=consultation.programme,
            data={"question_added": question.pk},
        )
    return question


def update_question(
    *,
    actor: Any,
    question: ConsultationQuestion,
    text: str,
    help_text: str = "",
    required: bool = False,
) -> ConsultationQuestion:
    consultation = question.consultation
    require(actor, "forum.manage_consultation", consultation)
    _check_question(text, help_text)
    _duplicate(consultation, text, exclude=question.pk)
    with transaction.atomic():
        question.text = text.strip()
        question.help_text = help_text.strip()
        question.required = required
        question.save()
        audit.record(
            actor=actor,
            action="consultation.changed",
            obj=consultation,
            programme=consultation.programme,
            data={"question_changed": question.pk},
        )
    return question


def remove_question(*, actor: Any, question: ConsultationQuestion) -> None:
    """Refused once the question has answers (they would be lost with it)."""
    consultation = question.consultation
    require(actor, "forum.manage_consultation", consultation)
    answered = question.answers.count()
    if answered:
        raise ValidationError(
            ngettext(
                "This question has %(n)s answer: it cannot be removed without losing it.",
                "This question has %(n)s answers: it cannot be removed without losing them.",
                answered,
            )
            % {"n": answered}
        )
    with transaction.atomic():
        pk = question.pk
        question.delete()
        audit.record(
            actor=actor,
            action="consultation.changed",
            obj=consultation,
            programme=consultation.programme,
            data={"question_removed": pk},
        )


def reorder_questions(*, actor: Any, consultation: Consultation, order: list[int]) -> None:
    """``order``: every question's id, in the new order."""
    require(actor, "forum.manage_consultation", consultation)
    current = set(consultation.questions.values_list("pk", flat=True))
    if set(order) != current or len(order) != len(current):
        raise ValidationError(_("The questions changed meanwhile: reload the page and try again."))
    with transaction.atomic():
        for position, pk in enumerate(order):
            ConsultationQuestion.objects.filter(pk=pk, consultation=consultation).update(
                position=position
            )
        audit.record(
            actor=actor,
            action="consultation.changed",
            obj=consultation,
            programme=consultation.programme,
            data={"question_order": order},
        )


def move_question(*, actor: Any, question: ConsultationQuestion, by: int) -> None:
    """Move ``question`` up (``by`` -1) or down (+1) among its consultation's questions."""
    consultation = question.consultation
    order = list(consultation.questions.values_list("pk", flat=True))
    at = order.index(question.pk)
    to = max(0, min(len(order) - 1, at + by))
    order.insert(to, order.pop(at))
    reorder_questions(actor=actor, consultation=consultation, order=order)


# Responses from the form ------------------------------------------------------------------------


def _check_answer(question: ConsultationQuestion, text: str) -> str | None:
    if question.required and not text.strip():
        return _("This question must be answered.")
    if len(text) > ANSWER_MAX_CHARS:
        return _("An answer has at most %(max)s characters; this one has %(n)s.") % {
            "max": ANSWER_MAX_CHARS,
            "n": len(text),
        }
    return None


def respond(
    *,
    actor: Any,
    consultation: Consultation,
    answers: dict[int, str],
    name: str = "",
    organisation_name: str = "",
    category: str = "",
    country: Country | None = None,
    now: dt.datetime | None = None,
) -> ConsultationResponse:
    """A response from the public form.  Refused, nothing stored, outside the window or the
    audience (``forum.validation.audience_refusal``), with a required question unanswered
    (the error at ``q<id>``), or with no answer at all."""
    now = now or timezone.now()
    refusal = audience_refusal(actor, consultation, now)
    if refusal:
        raise ValidationError(refusal)
    questions = list(consultation.questions.all())
    errors: dict[str, list[str]] = {}
    for question in questions:
        problem = _check_answer(question, answers.get(question.pk, "") or "")
        if problem:
            errors[f"q{question.pk}"] = [problem]
    if category and category not in Category.values:
        errors["category"] = [_("Choose a stakeholder category of the list.")]
    if not errors and not any((answers.get(q.pk) or "").strip() for q in questions):
        raise ValidationError(_("The response is empty: answer at least one question."))
    _raise_if(errors)
    signed_in = bool(getattr(actor, "is_authenticated", False))
    with transaction.atomic():
        response = ConsultationResponse.objects.create(
            consultation=consultation,
            user=actor if signed_in else None,
            name=name.strip()[:200],
            organisation_name=organisation_name.strip()[:300],
            category=category or "",
            country=country,
            source=ConsultationResponse.Source.FORM,
        )
        created = Answer.objects.bulk_create(
            [
                Answer(response=response, question=q, text=answers[q.pk].strip())
                for q in questions
                if (answers.get(q.pk) or "").strip()
            ]
        )
        similar.queue(
            similar.ANSWER_KIND,
            Answer.objects.filter(response=response).values_list("pk", flat=True),
        )
        audit.record(
            actor=actor,
            action="consultation.responded",
            obj=consultation,
            programme=consultation.programme,
            data={"response": response.pk, "answers": len(created)},
        )
    return response


# Responses from a file ---------------------------------------------------------------------------

NAME, ORGANISATION, CATEGORY, COUNTRY = "name", "organisation", "category", "country"
OPTIONAL_COLUMNS = {
    NAME: (NAME, "full name", "respondent"),
    ORGANISATION: (ORGANISATION, "organization", "organisation name", "organization name"),
    CATEGORY: (CATEGORY, "stakeholder category", "stakeholder group"),
    COUNTRY: (COUNTRY, "country code", "iso2", "iso3"),
}


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"\s+", " ", decomposed.replace("’", "'")).strip()


class NotUTF8(FileError):
    pass


def _decode_check(name: str, data: bytes) -> None:
    """A CSV must be UTF-8 (with or without its byte-order mark): say so clearly otherwise."""
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        return
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUTF8(
            _(
                "The file is not UTF-8 encoded (line %(line)s cannot be read as UTF-8; it was "
                "probably saved as Latin-1 or Windows-1252), so its accents would be read "
                "wrong. Save it as UTF-8 and upload it again: in Excel, “Save As” and choose "
                "“CSV UTF-8 (Comma delimited)”; in LibreOffice Calc, “Save As”, tick “Edit "
                "filter settings” and choose the character set “Unicode (UTF-8)”; or upload "
                "the .xlsx workbook itself."
            )
            % {"line": data[: exc.start].count(b"\n") + 1}
        ) from exc


@dataclass
class ImportRow:
    number: int
    answers: dict[int, str] = field(default_factory=dict)
    name: str = ""
    organisation: str = ""
    category: str = ""
    country: str = ""  # ISO2
    errors: list[dict[str, str]] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})


@dataclass
class ParsedImport:
    file_errors: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    #: question id → the column read for it
    columns: dict[int, str] = field(default_factory=dict)
    optional: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        return [(r.number, e["column"], e["message"]) for r in self.rows for e in r.errors]


def _category_of(value: str) -> str | None:
    folded = _key(value)
    with translation.override("en"):
        english = {code: _key(str(label)) for code, label in Category.choices}
    for code, label in Category.choices:
        if folded in (code, _key(str(label)), english[code], code.replace("_", " ")):
            return code
    return None


def _map_header(
    consultation: Consultation, header: list[str], parsed: ParsedImport
) -> dict[int, Any]:
    """Column index → question or optional field name."""
    questions = list(consultation.questions.all())
    by_text = {_key(q.text): q for q in questions}
    by_number = {f"q{n}": q for n, q in enumerate(questions, start=1)}
    optional = {alias: key for key, aliases in OPTIONAL_COLUMNS.items() for alias in aliases}
    mapping: dict[int, Any] = {}
    for index, title in enumerate(header):
        key = _key(title)
        if not key:
            continue
        question = by_text.get(key) or by_number.get(key.replace(" ", ""))
        if question is not None:
            if question.pk in parsed.columns:
                parsed.file_errors.append(
                    _("Two columns are for the question “%(q)s”: “%(a)s” and “%(b)s”.")
                    % {"q": question.text, "a": parsed.columns[question.pk], "b": title}
                )
                continue
            parsed.columns[question.pk] = title
            mapping[index] = question
        elif key in optional and optional[key] not in parsed.optional:
            parsed.optional[optional[key]] = title
            mapping[index] = optional[key]
        else:
            parsed.ignored.append(title)
    if not parsed.columns:
        expected = "; ".join(f"q{n} / “{q.text}”" for n, q in enumerate(questions, start=1))
        parsed.file_errors.append(
            _(
                "No column of the file is a question of this consultation, so nothing can be "
                "imported. The first row must name each question by its exact text or as "
                "q1, q2…: %(expected)s (and optionally name, organisation, category, country)."
            )
            % {"expected": expected or _("the consultation has no question yet")}
        )
    return mapping


def parse_import(consultation: Consultation, name: str, data: bytes) -> ParsedImport:
    """Every row of the file as it would be imported, with its errors (row numbers as a
    spreadsheet shows them: the header is row 1)."""
    parsed = ParsedImport()
    try:
        _decode_check(name, data)
        table = read_table(name, data)
    except FileError as exc:
        parsed.file_errors.append(str(exc))
        return parsed
    if not table or not any(table[0]):
        parsed.file_errors.append(_("The file is empty: its first row must name the columns."))
        return parsed
    mapping = _map_header(consultation, table[0], parsed)
    if parsed.file_errors:
        return parsed
    from pledgebook.coalitions.importing import MAX_ROWS

    if sum(1 for cells in table[1:] if any(c.strip() for c in cells)) > MAX_ROWS:
        parsed.file_errors.append(
            _("The file has more than %(n)s rows: split it.") % {"n": f"{MAX_ROWS:,}"}
        )
        return parsed
    questions = {q.pk: q for q in consultation.questions.all()}
    for number, question in enumerate(questions.values(), start=1):
        if question.required and question.pk not in parsed.columns:
            parsed.file_errors.append(
                _(
                    "The file has no column for the required question “%(q)s”: add one named "
                    "by its text or q%(n)s."
                )
                % {"q": question.text, "n": number}
            )
    if parsed.file_errors:
        return parsed
    countries = Countries()
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row = ImportRow(number=number)
        for index, target in mapping.items():
            value = cells[index].strip() if index < len(cells) else ""
            if isinstance(target, ConsultationQuestion):
                if value:
                    row.answers[target.pk] = value
            else:
                setattr(row, target, value)
        for pk, question in questions.items():
            column = parsed.columns.get(pk)
            if column is None:
                continue
            problem = _check_answer(question, row.answers.get(pk, ""))
            if problem:
                row.error(column, problem)
        if not row.answers and not row.errors:
            row.error(
                ", ".join(parsed.columns.values()),
                _("The row answers no question."),
            )
        if row.category:
            code = _category_of(row.category)
            if code is None:
                row.error(
                    parsed.optional[CATEGORY],
                    _("“%(value)s” is not a stakeholder category.") % {"value": row.category},
                )
            else:
                row.category = code
        if row.country:
            iso2 = countries.find(row.country)
            if iso2 is None:
                row.error(
                    parsed.optional[COUNTRY],
                    _("“%(value)s” is not a country (give its ISO code or its name).")
                    % {"value": row.country},
                )
            else:
                row.country = iso2
        for attr, limit in ((NAME, 200), (ORGANISATION, 300)):
            if len(getattr(row, attr)) > limit:
                row.error(
                    parsed.optional[attr],
                    _("At most %(n)s characters.") % {"n": limit},
                )
        parsed.rows.append(row)
    if not parsed.rows:
        parsed.file_errors.append(_("The file has no response: only its header row."))
    return parsed


class ImportRefused(ValidationError):
    """The file has errors: nothing of it was stored.  ``parsed`` lists every one."""

    def __init__(self, parsed: ParsedImport) -> None:
        n = parsed.error_count
        super().__init__(
            ngettext(
                "The file cannot be imported: %(n)s error, listed below. Nothing of it was "
                "stored: correct the file and upload it again.",
                "The file cannot be imported: %(n)s errors, listed below. Nothing of it was "
                "stored: correct the file and upload it again.",
                n,
            )
            % {"n": n}
        )
        self.parsed = parsed


def _file(upload: Any) -> tuple[str, bytes]:
    name = getattr(upload, "name", "") or "upload"
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": [_("Upload a .csv or .xlsx file.")]})
    if (getattr(upload, "size", 0) or 0) > MAX_BYTES:
        raise ValidationError(
            {"file": [_("The file is larger than %(n)s MB.") % {"n": MAX_BYTES // (1024 * 1024)}]}
        )
    try:
        uploads.check(upload, uploads.TABLES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return name, bytes(data)


def as_upload(name: str, data: bytes) -> SimpleUploadedFile:
    """A file kept between the preview and the import, as an upload again."""
    return SimpleUploadedFile(name, data)


def preview_import(*, actor: Any, consultation: Consultation, upload: Any) -> ParsedImport:
    """What the file would import, with every error; nothing stored."""
    require(actor, "forum.manage_consultation", consultation)
    name, data = _file(upload)
    return parse_import(consultation, name, data)


def import_responses(
    *, actor: Any, consultation: Consultation, upload: Any
) -> list[ConsultationResponse]:
    """Every row of the file as a response, or none: a file with any error raises
    :class:`ImportRefused` (with its preview) and nothing is stored.  The window and the
    audience do not apply: the secretariat imports responses gathered elsewhere."""
    require(actor, "forum.manage_consultation", consultation)
    name, data = _file(upload)
    parsed = parse_import(consultation, name, data)
    if parsed.error_count:
        raise ImportRefused(parsed)
    countries = {c.iso2: c for c in Country.objects.all()}
    questions = {q.pk: q for q in consultation.questions.all()}
    with transaction.atomic():
        created = ConsultationResponse.objects.bulk_create(
            [
                ConsultationResponse(
                    consultation=consultation,
                    name=row.name,
                    organisation_name=row.organisation,
                    category=row.category,
                    country=countries.get(row.country) if row.country else None,
                    source=ConsultationResponse.Source.IMPORT,
                )
                for row in parsed.rows
            ],
            batch_size=500,
        )
        answers = [
            Answer(response=response, question=questions[pk], text=text)
            for response, row in zip(created, parsed.rows, strict=True)
            for pk, text in row.answers.items()
        ]
        Answer.objects.bulk_create(answers, batch_size=500)
        similar.queue(similar.ANSWER_KIND, [a.pk for a in answers])
        audit.record(
            actor=actor,
            action="consultation.responses_imported",
            obj=consultation,
            programme=consultation.programme,
            data={"file": name[:255], "responses": len(created), "answers": len(answers)},
        )
    return created


def template_csv(consultation: Consultation) -> str:
    """A file to fill in: one column per question (its exact text), then the optional ones."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [q.text for q in consultation.questions.all()] + [NAME, ORGANISATION, CATEGORY, COUNTRY]
    )
    return "\ufeff" + out.getvalue()


# Grouping into themes ----------------------------------------------------------------------------


def cluster(vectors: np.ndarray, threshold: float = THEME_THRESHOLD) -> list[list[int]]:
    """Average-linkage agglomerative clustering of unit rows on cosine similarity: the groups
    (row indexes, ascending) left when no two groups are on average at least ``threshold``
    similar.  Largest group first, then by first row.

    The similarity of a merged group to every other comes from the Lance-Williams update of
    average linkage; each row keeps its best partner, so a merge costs O(n) and the whole run
    O(n²) time and memory (2,000 answers: a 2,000 × 2,000 matrix, 32 MB)."""
    n = len(vectors)
    if n == 0:
        return []
    sim = (vectors @ vectors.T).astype(np.float64)
    np.fill_diagonal(sim, -np.inf)
    sizes = np.ones(n)
    members: list[list[int]] = [[i] for i in range(n)]
    best = sim.argmax(axis=1)
    best_value = sim[np.arange(n), best]
    while True:
        i = int(np.argmax(best_value))
        if best_value[i] < threshold:
            break
        j = int(best[i])
        # Merge j into i.
        merged = (sizes[i] * sim[i] + sizes[j] * sim[j]) / (sizes[i] + sizes[j])
        merged[i] = merged[j] = -np.inf
        sim[i, :] = merged
        sim[:, i] = merged
        sim[j, :] = -np.inf
        sim[:, j] = -np.inf
        sizes[i] += sizes[j]
        members[i] += members[j]
        members[j] = []
        best_value[j] = -np.inf
        best[i] = int(np.argmax(sim[i]))
        best_value[i] = sim[i, best[i]]
        # Rows whose best partner was i or j: their best may have changed either way.
        stale = np.flatnonzero((best == i) | (best == j))
        for k in stale:
            if k != i and members[k]:
                best[k] = int(np.argmax(sim[k]))
                best_value[k] = sim[k, best[k]]
        # Rows that now like the merged group better than their best.
        better = np.flatnonzero(merged > best_value)
        best[better] = i
        best_value[better] = merged[better]
    groups = [sorted(m) for m in members if m]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def label_for(texts: list[str]) -> str:
    """The words the group's answers share (``texts[0]`` is the most central), else that
    answer shortened."""
    if len(texts) > 1:
        terms = top_terms_shared(texts[0], "\n".join(texts[1:]), limit=LABEL_TERMS)
        if len(terms) >= 2:
            label = ", ".join(terms)
            return label[:1].upper() + label[1:]
    return _shorten(texts[0])


@dataclass
class FoundTheme:
    question_id: int
    label: str
    answer_ids: list[int]
    quotes: list[str]


def find_themes(consultation: Consultation) -> list[FoundTheme]:
    """The themes of every question's answers (nothing stored)."""
    found: list[FoundTheme] = []
    for question in consultation.questions.all():
        items = [
            (pk, text)
            for pk, text in question.answers.order_by("pk").values_list("pk", "text")
            if text.strip()
        ]
        if not items:
            continue
        vecs = similar.vectors(similar.ANSWER_KIND, items)
        for group in cluster(vecs):
            centre = vecs[group].mean(axis=0)
            closeness = vecs[group] @ centre
            ranked = [group[k] for k in np.argsort(-closeness, kind="stable")]
            texts = [items[k][1] for k in ranked]
            quotes: list[str] = []
            for text in texts:
                if text not in quotes:
                    quotes.append(text)
                if len(quotes) == QUOTES:
                    break
            found.append(
                FoundTheme(
                    question_id=question.pk,
                    label=label_for(texts),
                    answer_ids=[items[k][0] for k in ranked],
                    quotes=quotes,
                )
            )
    return found


def _store_themes(consultation: Consultation, actor: Any) -> int:
    found = find_themes(consultation)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        ConsultationTheme.objects.filter(consultation=locked).delete()
        for position, theme in enumerate(found):
            row = ConsultationTheme.objects.create(
                consultation=locked,
                question_id=theme.question_id,
                label=theme.label[:300],
                count=len(theme.answer_ids),
                quotes=theme.quotes,
                position=position,
            )
            row.answers.set(theme.answer_ids)
        locked.themes_computed_at = timezone.now()
        locked.save(update_fields=["themes_computed_at"])
        audit.record(
            actor=actor,
            action="consultation.themes_grouped",
            obj=locked,
            programme=locked.programme,
            data={
                "themes": len(found),
                "answers": sum(len(t.answer_ids) for t in found),
                "threshold": THEME_THRESHOLD,
            },
        )
    consultation.themes_computed_at = locked.themes_computed_at
    return len(found)


def answer_count(consultation: Consultation) -> int:
    return Answer.objects.filter(response__consultation=consultation).exclude(text="").count()


def unembedded_count(consultation: Consultation) -> int:
    """Answers without a stored vector of the current model (the background indexing has not
    reached them yet): grouping embeds them first, about 0.1 s each here."""
    stored = Vector.objects.filter(
        kind=similar.ANSWER_KIND, model_id=engine.model_id(), object_id=OuterRef("pk")
    )
    return (
        Answer.objects.filter(response__consultation=consultation)
        .exclude(text="")
        .exclude(Exists(stored))
        .count()
    )


def group_responses(*, actor: Any, consultation: Consultation) -> bool:
    """Group the answers into themes, replacing the themes found before.  At once for up to
    :data:`INLINE_ANSWERS` answers of which at most :data:`INLINE_EMBEDDINGS` still need
    their vector (returns True); otherwise queued as a task (returns False;
    :func:`grouping_in_progress` says it runs)."""
    require(actor, "forum.manage_consultation", consultation)
    if not answer_count(consultation):
        raise ValidationError(_("There is no answer to group yet."))
    if (
        answer_count(consultation) <= INLINE_ANSWERS
        and unembedded_count(consultation) <= INLINE_EMBEDDINGS
    ):
        _store_themes(consultation, actor)
        return True
    if grouping_in_progress(consultation):
        raise ValidationError(_("The responses are being grouped already."))
    with transaction.atomic():
        group_consultation.enqueue(
            consultation_id=consultation.pk, actor_id=getattr(actor, "pk", None)
        )
    return False


@task(priority=INTERACTIVE_PRIORITY)
def group_consultation(*, consultation_id: int, actor_id: int | None) -> int:
    """Group a large consultation's answers (see :func:`group_responses`); the number of
    themes.  Safe to run twice (the second replaces the first's themes)."""
    from django.contrib.auth import get_user_model

    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return _store_themes(consultation, actor)


def grouping_in_progress(consultation: Consultation) -> bool:
    """A queued or running task groups this consultation's answers (always False with a
    backend that keeps no tasks in the database)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = group_consultation.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        backend_name=backend.alias,
        task_path=group_consultation.module_path,
        status__in=["READY", "RUNNING"],
        args_kwargs__kwargs__consultation_id=consultation.pk,
    ).exists()


# Reads -----------------------------------------------------------------------------------------


def themes_by_question(consultation: Consultation) -> list[tuple[ConsultationQuestion, list[Any]]]:
    themes = list(consultation.themes_found.all())
    return [(q, [t for t in themes if t.question_id == q.pk]) for q in consultation.questions.all()]


def responses_with_answers(consultation: Consultation) -> QuerySet[ConsultationResponse]:
    return (
        consultation.responses.select_related("country")
        .prefetch_related("answers")
        .annotate(n_answers=Count("answers"))
        .order_by("-created_at", "-pk")
    )
