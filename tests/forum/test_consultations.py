"""Consultations: the secretariat's set-up, responses from the form (window, audience, required
answers), imports from CSV and XLSX (all rows or none, every error with its row and column),
and the grouping of answers into recurring themes with the offline model."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.forum import similar
from pledgebook.forum.domain import consultations as domain
from pledgebook.forum.models import (
    Answer,
    Consultation,
    ConsultationQuestion,
    ConsultationResponse,
    ConsultationTheme,
)
from pledgebook.reference.models import Country
from pledgebook.similarity.models import Vector
from tests import factories

pytestmark = pytest.mark.django_db

#: Four ideas in three or four wordings each: paraphrases must share a theme, different ideas
#: must not (the labelled set THEME_THRESHOLD was chosen on; see forum/domain/consultations.py).
PARAPHRASES = [
    [
        "Small farmers need easier access to credit and loans.",
        "Make it simpler for smallholder farmers to borrow money.",
        "Smallholders cannot get bank loans; credit for farmers must be easier to obtain.",
        "Give small-scale farmers better access to finance and credit.",
    ],
    [
        "Girls should be able to stay in school until the end of secondary education.",
        "Keep girls in secondary school: too many drop out early.",
        "Ensure every girl completes secondary schooling.",
    ],
    [
        "Publish the data on commitments openly so citizens can track progress.",
        "Progress on commitments should be public and open data, so people can follow it.",
        "Open data on pledges would let citizens hold governments to account.",
    ],
    [
        "Plastic waste in the oceans must be cut drastically.",
        "We need to reduce plastic pollution in the sea.",
        "Stop plastics from ending up in the ocean.",
    ],
]


@pytest.fixture
def programme():
    return factories.ProgrammeFactory()


@pytest.fixture
def secretariat(programme):
    return factories.staff(programme)


def make(programme, secretariat, **kw):
    slug = kw.pop("slug", "inputs")
    now = timezone.now()
    fields = {
        "title": "Inputs on the draft blueprint",
        "audience": Consultation.Audience.PUBLIC,
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=7),
        "is_published": True,
        **kw,
    }
    return domain.create_consultation(actor=secretariat, programme=programme, slug=slug, **fields)


@pytest.fixture
def consultation(programme, secretariat):
    c = make(programme, secretariat)
    domain.add_question(
        actor=secretariat, consultation=c, text="What should change first?", required=True
    )
    domain.add_question(actor=secretariat, consultation=c, text="Anything else?")
    return c


def questions(c):
    return list(c.questions.all())


# Set-up ------------------------------------------------------------------------------------------


def test_create_and_edit_by_the_secretariat(programme, secretariat):
    c = make(programme, secretariat)
    assert (
        AuditEntry.objects.filter(action="consultation.created", object_id=str(c.pk)).count() == 1
    )
    domain.update_consultation(actor=secretariat, consultation=c, title="New title")
    c.refresh_from_db()
    assert c.title == "New title"


def test_others_cannot_create_or_edit(programme, secretariat):
    outsider = factories.staff(factories.ProgrammeFactory())
    with pytest.raises(PermissionDenied):
        make(programme, outsider)
    assert Consultation.objects.count() == 0
    c = make(programme, secretariat)
    with pytest.raises(PermissionDenied):
        domain.update_consultation(actor=outsider, consultation=c, title="Hijacked")
    with pytest.raises(PermissionDenied):
        domain.add_question(actor=outsider, consultation=c, text="Q?")
    c.refresh_from_db()
    assert c.title == "Inputs on the draft blueprint"
    assert c.questions.count() == 0


def test_refused_settings(programme, secretariat):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        make(
            programme,
            secretariat,
            title=" ",
            opens_at=now,
            closes_at=now - dt.timedelta(hours=1),
            audience=Consultation.Audience.THEME_MAKERS,
        )
    assert exc.value.message_dict == {
        "title": ["Give the consultation a title."],
        "closes_at": ["The consultation closes before it opens."],
        "theme": ["Choose the theme whose commitment makers are consulted."],
    }
    other_theme = factories.ThemeFactory()
    with pytest.raises(ValidationError) as exc:
        make(programme, secretariat, audience="theme_makers", theme=other_theme)
    assert exc.value.message_dict == {"theme": ["This theme is not one of the programme's."]}
    assert Consultation.objects.count() == 0


def test_questions_add_edit_reorder_remove(consultation, secretariat):
    first, second = questions(consultation)
    domain.update_question(actor=secretariat, question=second, text="Anything more?", required=True)
    domain.move_question(actor=secretariat, question=second, by=-1)
    assert [q.text for q in questions(consultation)] == [
        "Anything more?",
        "What should change first?",
    ]
    with pytest.raises(ValidationError):
        domain.add_question(actor=secretariat, consultation=consultation, text="anything  MORE?")
    domain.remove_question(actor=secretariat, question=first)
    assert [q.text for q in questions(consultation)] == ["Anything more?"]


def test_a_question_with_answers_cannot_be_removed(consultation, secretariat):
    first, _second = questions(consultation)
    domain.respond(
        actor=factories.UserFactory(), consultation=consultation, answers={first.pk: "A"}
    )
    with pytest.raises(ValidationError) as exc:
        domain.remove_question(actor=secretariat, question=first)
    assert exc.value.messages == [
        "This question has 1 answer: it cannot be removed without losing it."
    ]
    assert ConsultationQuestion.objects.filter(pk=first.pk).exists()


# Responding --------------------------------------------------------------------------------------


def test_anyone_responds_to_a_public_consultation(consultation):
    from django.contrib.auth.models import AnonymousUser

    first, second = questions(consultation)
    kenya = Country.objects.get(iso2="KE")
    response = domain.respond(
        actor=AnonymousUser(),
        consultation=consultation,
        answers={first.pk: " More money for schools ", second.pk: ""},
        name="Amina",
        category="civil_society",
        country=kenya,
    )
    assert [(a.question_id, a.text) for a in response.answers.all()] == [
        (first.pk, "More money for schools")
    ]
    assert response.user is None
    assert response.country == kenya
    assert AuditEntry.objects.filter(action="consultation.responded").count() == 1
    # Its answer was queued for the similarity engine (tasks run at once here: embedded).
    answer = response.answers.get()
    assert Vector.objects.filter(kind=similar.ANSWER_KIND, object_id=answer.pk).count() == 1


def test_required_answer_missing_is_refused_at_the_field(consultation):
    first, second = questions(consultation)
    with pytest.raises(ValidationError) as exc:
        domain.respond(
            actor=factories.UserFactory(), consultation=consultation, answers={second.pk: "Hi"}
        )
    assert exc.value.message_dict == {f"q{first.pk}": ["This question must be answered."]}
    assert ConsultationResponse.objects.count() == 0


@pytest.mark.dates
@pytest.mark.parametrize(
    "opens, closes, message",
    [
        (1, 2, "This consultation opens on "),
        (-2, -1, "This consultation closed on "),
    ],
)
def test_outside_the_window_is_refused(consultation, secretariat, opens, closes, message):
    now = timezone.now()
    domain.update_consultation(
        actor=secretariat,
        consultation=consultation,
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
    )
    first, _ = questions(consultation)
    with pytest.raises(ValidationError) as exc:
        domain.respond(
            actor=factories.UserFactory(), consultation=consultation, answers={first.pk: "A"}
        )
    assert exc.value.messages[0].startswith(message)
    assert ConsultationResponse.objects.count() == 0


def test_an_unpublished_consultation_takes_no_response(consultation, secretariat):
    domain.update_consultation(actor=secretariat, consultation=consultation, is_published=False)
    first, _ = questions(consultation)
    with pytest.raises(ValidationError) as exc:
        domain.respond(
            actor=factories.UserFactory(), consultation=consultation, answers={first.pk: "A"}
        )
    assert exc.value.messages == ["This consultation is not open: it has not been published."]


def test_signed_in_audience(consultation, secretariat):
    from django.contrib.auth.models import AnonymousUser

    domain.update_consultation(
        actor=secretariat, consultation=consultation, audience=Consultation.Audience.SIGNED_IN
    )
    first, _ = questions(consultation)
    with pytest.raises(ValidationError) as exc:
        domain.respond(actor=AnonymousUser(), consultation=consultation, answers={first.pk: "A"})
    assert exc.value.messages == [
        "This consultation is open to people signed in: sign in to respond."
    ]
    assert ConsultationResponse.objects.count() == 0
    person = factories.UserFactory()
    response = domain.respond(actor=person, consultation=consultation, answers={first.pk: "A"})
    assert response.user == person


def test_theme_makers_audience(programme, secretariat):
    theme = factories.ThemeFactory(programme=programme, name="Ocean action")
    c = make(programme, secretariat, audience=Consultation.Audience.THEME_MAKERS, theme=theme)
    q = domain.add_question(actor=secretariat, consultation=c, text="Your inputs?")
    maker_org = factories.OrganisationFactory()
    factories.CommitmentFactory(
        theme=theme, programme=programme, organisation=maker_org, status=Commitment.Status.CONFIRMED
    )
    maker = factories.representative(maker_org)
    drafter_org = factories.OrganisationFactory()
    factories.CommitmentFactory(theme=theme, programme=programme, organisation=drafter_org)
    drafter = factories.representative(drafter_org)  # a draft commitment only
    elsewhere_org = factories.OrganisationFactory()
    factories.CommitmentFactory(
        programme=programme, organisation=elsewhere_org, status=Commitment.Status.CONFIRMED
    )
    elsewhere = factories.representative(elsewhere_org)  # confirmed, in another theme
    for person in (drafter, elsewhere, factories.UserFactory()):
        with pytest.raises(ValidationError) as exc:
            domain.respond(actor=person, consultation=c, answers={q.pk: "Inputs"})
        assert exc.value.messages == [
            "This consultation is open to the commitment makers of “Ocean action” only: you "
            "do not represent an organisation with a confirmed commitment in it."
        ]
    assert ConsultationResponse.objects.count() == 0
    domain.respond(actor=maker, consultation=c, answers={q.pk: "Inputs"})
    assert ConsultationResponse.objects.get().user == maker


# Import ------------------------------------------------------------------------------------------


def csv_upload(
    text: str, name: str = "responses.csv", encoding: str = "utf-8"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_import_a_good_csv_by_question_text(consultation, secretariat):
    upload = csv_upload(
        "What should change first?,Anything else?,name,organisation,category,country\n"
        "Fund schools,More teachers,Amina,Girls First,civil_society,KEN\n"
        "Clean water,,Jean,,Women,France\n"
        ",,,,,\n"
        "Open data,Thanks,,,,ke\n"
    )
    created = domain.import_responses(actor=secretariat, consultation=consultation, upload=upload)
    assert len(created) == 3
    rows = ConsultationResponse.objects.order_by("pk")
    assert [
        (r.name, r.organisation_name, r.category, r.country and r.country.iso2) for r in rows
    ] == [
        ("Amina", "Girls First", "civil_society", "KE"),
        ("Jean", "", "women", "FR"),
        ("", "", "", "KE"),
    ]
    assert {r.source for r in rows} == {ConsultationResponse.Source.IMPORT}
    assert Answer.objects.count() == 5
    entry = AuditEntry.objects.get(action="consultation.responses_imported")
    assert entry.data["responses"] == 3


def test_import_a_good_xlsx_by_q_numbers(consultation, secretariat):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["q1", "Q2", "Country"])
    sheet.append(["Fund schools", "More teachers", "Kenya"])
    sheet.append(["Clean water", None, "BR"])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("responses.xlsx", out.getvalue())
    created = domain.import_responses(actor=secretariat, consultation=consultation, upload=upload)
    assert len(created) == 2
    first, second = questions(consultation)
    assert sorted(Answer.objects.filter(question=first).values_list("text", flat=True)) == [
        "Clean water",
        "Fund schools",
    ]
    assert list(Answer.objects.filter(question=second).values_list("text", flat=True)) == [
        "More teachers"
    ]


def test_a_wrong_header_is_refused_with_nothing_stored(consultation, secretariat):
    upload = csv_upload("Question one,Other\nA,B\n")
    with pytest.raises(domain.ImportRefused) as exc:
        domain.import_responses(actor=secretariat, consultation=consultation, upload=upload)
    assert exc.value.parsed.file_errors[0].startswith(
        "No column of the file is a question of this consultation, so nothing can be imported."
    )
    assert "q1 / “What should change first?”" in exc.value.parsed.file_errors[0]
    assert ConsultationResponse.objects.count() == 0


def test_a_latin1_file_is_refused_with_how_to_save_it(consultation, secretariat):
    upload = csv_upload("q1,name\nÉducation des filles,José\n", encoding="latin-1")
    with pytest.raises(domain.ImportRefused) as exc:
        domain.import_responses(actor=secretariat, consultation=consultation, upload=upload)
    message = exc.value.parsed.file_errors[0]
    assert message.startswith("The file is not UTF-8 encoded (line 2 cannot be read as UTF-8;")
    assert "“CSV UTF-8 (Comma delimited)”" in message
    assert ConsultationResponse.objects.count() == 0


def test_utf8_with_a_byte_order_mark_is_read(consultation, secretariat):
    upload = csv_upload("\ufeffq1,name\nÉducation des filles,José\n")
    domain.import_responses(actor=secretariat, consultation=consultation, upload=upload)
    assert ConsultationResponse.objects.get().name == "José"
    assert Answer.objects.get().text == "Éducation des filles"


def test_row_errors_refuse_the_whole_file_and_list_every_one(consultation, secretariat):
    upload = csv_upload(
        "q1,q2,category,country\n"
        "Fund schools,,civil_society,KE\n"
        ",Only the optional one,,\n"
        "Water,,astronauts,Atlantis\n"
    )
    with pytest.raises(domain.ImportRefused) as exc:
        domain.import_responses(actor=secretariat, consultation=consultation, upload=upload)
    assert exc.value.parsed.errors == [
        (3, "q1", "This question must be answered."),
        (4, "category", "“astronauts” is not a stakeholder category."),
        (4, "country", "“Atlantis” is not a country (give its ISO code or its name)."),
    ]
    assert exc.value.messages == [
        "The file cannot be imported: 3 errors, listed below. Nothing of it was stored: "
        "correct the file and upload it again."
    ]
    assert ConsultationResponse.objects.count() == 0
    assert Answer.objects.count() == 0


def test_only_the_secretariat_imports(consultation):
    outsider = factories.staff(factories.ProgrammeFactory())
    with pytest.raises(PermissionDenied):
        domain.import_responses(
            actor=outsider, consultation=consultation, upload=csv_upload("q1\nA\n")
        )
    assert ConsultationResponse.objects.count() == 0


# Grouping --------------------------------------------------------------------------------------


def test_threshold_separates_the_labelled_set():
    from pledgebook.similarity import engine

    texts = [t for group in PARAPHRASES for t in group]
    labels = [i for i, group in enumerate(PARAPHRASES) for _ in group]
    vectors = np.array(engine.embed(texts))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = vectors @ vectors.T
    pairs = [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))]
    same = [sims[i, j] for i, j in pairs if labels[i] == labels[j]]
    different = [sims[i, j] for i, j in pairs if labels[i] != labels[j]]
    print(f"paraphrases {min(same):.3f}-{max(same):.3f}")
    print(f"others {min(different):.3f}-{max(different):.3f}")
    assert max(different) < domain.THEME_THRESHOLD
    groups = domain.cluster(vectors)
    assert sorted(sorted(labels[i] for i in g) for g in groups) == sorted(
        [i] * len(group) for i, group in enumerate(PARAPHRASES)
    )


def test_cluster_on_hand_made_vectors():
    a = np.array([1.0, 0.0, 0.0])
    b = np.array([0.0, 1.0, 0.0])
    near_a = np.array([0.95, 0.312, 0.0])
    rows = np.array([a, b, near_a / np.linalg.norm(near_a)])
    assert domain.cluster(rows, threshold=0.9) == [[0, 2], [1]]
    assert domain.cluster(rows, threshold=0.99) == [[0], [1], [2]]
    assert domain.cluster(np.zeros((0, 3))) == []


def _brute_force(vectors, threshold):
    """Average linkage the plain way: merge the most similar pair of groups (mean of every
    pairwise cosine) while it reaches the threshold."""
    groups = [[i] for i in range(len(vectors))]
    sims = vectors @ vectors.T
    while len(groups) > 1:
        pairs = [
            (float(sims[np.ix_(a, b)].mean()), x, y)
            for x, a in enumerate(groups)
            for y, b in enumerate(groups)
            if x < y
        ]
        value, x, y = max(pairs)
        if value < threshold:
            break
        groups[x] = groups[x] + groups.pop(y)
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))


def test_cluster_is_average_linkage():
    rng = np.random.default_rng(7)
    for _trial in range(15):
        n, k = int(rng.integers(2, 40)), int(rng.integers(1, 6))
        centres = rng.normal(size=(k, 8))
        vectors = centres[rng.integers(0, k, n)] + rng.uniform(0.2, 1.0) * rng.normal(size=(n, 8))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        threshold = float(rng.uniform(0.3, 0.9))
        assert domain.cluster(vectors, threshold) == _brute_force(vectors, threshold)


def test_group_responses_puts_paraphrases_together(consultation, secretariat):
    first, second = questions(consultation)
    person = factories.UserFactory()
    for group in PARAPHRASES:
        for text in group:
            domain.respond(actor=person, consultation=consultation, answers={first.pk: text})
    domain.respond(
        actor=person,
        consultation=consultation,
        answers={first.pk: "Fund schools", second.pk: "Thank you for asking."},
    )
    assert domain.group_responses(actor=secretariat, consultation=consultation) is True
    themes = list(ConsultationTheme.objects.filter(question=first))
    answer_texts = [sorted(t.answers.values_list("text", flat=True)) for t in themes]
    for group in PARAPHRASES:
        assert sorted(group) in answer_texts
    assert ["Fund schools"] in answer_texts
    assert sum(t.count for t in themes) == Answer.objects.filter(question=first).count() == 14
    assert [t.count for t in themes] == [4, 3, 3, 3, 1]
    biggest = themes[0]
    assert len(biggest.quotes) == 3
    assert set(biggest.quotes) <= set(PARAPHRASES[0])
    assert "farmer" in biggest.label.lower()
    second_themes = ConsultationTheme.objects.filter(question=second)
    assert [(t.label, t.count, t.quotes) for t in second_themes] == [
        ("Thank you for asking.", 1, ["Thank you for asking."])
    ]
    consultation.refresh_from_db()
    assert consultation.themes_computed_at is not None
    # Again: the old themes are replaced, not added to.
    domain.group_responses(actor=secretariat, consultation=consultation)
    assert ConsultationTheme.objects.count() == 6


def test_only_the_secretariat_groups(consultation, secretariat):
    first, _ = questions(consultation)
    domain.respond(
        actor=factories.UserFactory(), consultation=consultation, answers={first.pk: "A"}
    )
    outsider = factories.staff(factories.ProgrammeFactory())
    with pytest.raises(PermissionDenied):
        domain.group_responses(actor=outsider, consultation=consultation)
    assert ConsultationTheme.objects.count() == 0


def test_grouping_nothing_is_refused(consultation, secretariat):
    with pytest.raises(ValidationError) as exc:
        domain.group_responses(actor=secretariat, consultation=consultation)
    assert exc.value.messages == ["There is no answer to group yet."]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker's own transactions
def test_many_answers_are_grouped_by_a_task(client, consultation, secretariat, database_tasks):
    from django_tasks_db.models import DBTaskResult

    from tests.core.helpers import run_worker

    upload = csv_upload(
        "q1\n" + "".join(f"Answer about topic {i % 3}\n" for i in range(domain.INLINE_ANSWERS + 1))
    )
    domain.import_responses(actor=secretariat, consultation=consultation, upload=upload)
    assert domain.group_responses(actor=secretariat, consultation=consultation) is False
    assert domain.grouping_in_progress(consultation) is True
    task = DBTaskResult.objects.get(task_path=domain.group_consultation.module_path)
    assert task.priority == 20
    client.force_login(secretariat)
    themes_url = reverse(
        "console:forum_consultation_themes", args=[consultation.programme.slug, consultation.pk]
    )
    waiting = client.get(themes_url).content.decode()
    assert "The answers are being grouped by the worker." in waiting
    assert "Group the answers" not in waiting
    run_worker()
    assert domain.grouping_in_progress(consultation) is False
    assert (
        "The answers are being grouped by the worker."
        not in client.get(themes_url).content.decode()
    )
    assert sum(t.count for t in ConsultationTheme.objects.all()) == domain.INLINE_ANSWERS + 1


# Pages -------------------------------------------------------------------------------------------


def test_public_form_keeps_what_was_typed_and_shows_the_error(client, consultation):
    first, second = questions(consultation)
    url = reverse("public:consultation", args=[consultation.programme.slug, consultation.slug])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {f"q{second.pk}": "Something typed"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This question must be answered." in body
    assert "Something typed" in body
    assert ConsultationResponse.objects.count() == 0
    done = client.post(url, {f"q{first.pk}": "Fund schools"})
    assert done.status_code == 302
    assert ConsultationResponse.objects.count() == 1


def test_public_page_of_a_closed_consultation_links_the_results(client, consultation, secretariat):
    now = timezone.now()
    first, _ = questions(consultation)
    domain.respond(
        actor=factories.UserFactory(), consultation=consultation, answers={first.pk: "Fund schools"}
    )
    results = reverse(
        "public:consultation_results", args=[consultation.programme.slug, consultation.slug]
    )
    assert client.get(results).status_code == 404  # still open
    domain.group_responses(actor=secretariat, consultation=consultation)
    domain.update_consultation(
        actor=secretariat,
        consultation=consultation,
        opens_at=now - dt.timedelta(days=3),
        closes_at=now - dt.timedelta(days=1),
    )
    url = reverse("public:consultation", args=[consultation.programme.slug, consultation.slug])
    body = client.get(url).content.decode()
    assert "This consultation closed on " in body
    assert results in body
    page = client.get(results)
    assert page.status_code == 200
    assert "Fund schools" in page.content.decode()


def test_console_pages_for_the_secretariat_only(client, consultation, secretariat):
    slug = consultation.programme.slug
    urls = [
        reverse("console:forum_consultations", args=[slug]),
        reverse("console:forum_consultation", args=[slug, consultation.pk]),
        reverse("console:forum_consultation_responses", args=[slug, consultation.pk]),
        reverse("console:forum_consultation_import", args=[slug, consultation.pk]),
        reverse("console:forum_consultation_themes", args=[slug, consultation.pk]),
    ]
    client.force_login(factories.UserFactory())
    assert [client.get(u).status_code for u in urls] == [403] * 5
    client.force_login(secretariat)
    assert [client.get(u).status_code for u in urls] == [200] * 5


def test_console_consultation_of_another_programme_is_404(client, consultation):
    elsewhere = factories.ProgrammeFactory()
    client.force_login(factories.staff(elsewhere))
    url = reverse("console:forum_consultation", args=[elsewhere.slug, consultation.pk])
    assert client.get(url).status_code == 404


def test_console_import_preview_then_import(client, consultation, secretariat):
    client.force_login(secretariat)
    url = reverse(
        "console:forum_consultation_import", args=[consultation.programme.slug, consultation.pk]
    )
    bad = client.post(url, {"file": csv_upload("q1,country\n,KE\nA,Nowhere\n")})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Row 2, column “q1”: This question must be answered." in body
    assert "Row 3, column “country”: “Nowhere” is not a country" in body
    assert ConsultationResponse.objects.count() == 0
    latin = client.post(url, {"file": csv_upload("q1\nÉcole\n", encoding="latin-1")})
    assert latin.status_code == 400
    assert "The file is not UTF-8 encoded" in latin.content.decode()
    good = client.post(url, {"file": csv_upload("q1,name\nFund schools,Amina\n")})
    assert good.status_code == 200
    assert "Import 1 response" in good.content.decode()
    assert ConsultationResponse.objects.count() == 0  # nothing stored by the preview
    done = client.post(
        reverse(
            "console:forum_consultation_import_confirm",
            args=[consultation.programme.slug, consultation.pk],
        )
    )
    assert done.status_code == 302
    assert ConsultationResponse.objects.get().name == "Amina"


def test_answers_not_embedded_yet_are_grouped_by_a_task(consultation, secretariat, database_tasks):
    upload = csv_upload(
        "q1\n" + "".join(f"Answer {i}\n" for i in range(domain.INLINE_EMBEDDINGS + 1))
    )
    domain.import_responses(actor=secretariat, consultation=consultation, upload=upload)
    assert domain.unembedded_count(consultation) == domain.INLINE_EMBEDDINGS + 1
    assert domain.group_responses(actor=secretariat, consultation=consultation) is False
    assert domain.grouping_in_progress(consultation) is True
    assert ConsultationTheme.objects.count() == 0


def test_anonymous_responses_are_rate_limited(client, consultation):
    first, _ = questions(consultation)
    url = reverse("public:consultation", args=[consultation.programme.slug, consultation.slug])
    for _i in range(30):
        assert client.post(url, {f"q{first.pk}": "Fund schools"}).status_code == 302
    refused = client.post(url, {f"q{first.pk}": "One too many"})
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Too many responses have come from your connection in the last hour" in body
    assert "One too many" in body
    assert ConsultationResponse.objects.count() == 30


def test_the_programme_page_links_open_and_closed_consultations(client, consultation, secretariat):
    programme = consultation.programme
    now = timezone.now()
    closed = make(
        programme,
        secretariat,
        slug="earlier",
        title="Earlier inputs",
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=2),
    )
    make(programme, secretariat, slug="draft", title="Not published yet", is_published=False)
    body = client.get(reverse("public:programme", args=[programme.slug])).content.decode()
    assert reverse("public:consultation", args=[programme.slug, consultation.slug]) in body
    assert reverse("public:consultation_results", args=[programme.slug, closed.slug]) in body
    assert "Not published yet" not in body


def test_a_required_question_without_its_column_is_one_file_error(consultation, secretariat):
    with pytest.raises(domain.ImportRefused) as exc:
        domain.import_responses(
            actor=secretariat, consultation=consultation, upload=csv_upload("q2\nA\nB\n")
        )
    assert exc.value.parsed.file_errors == [
        "The file has no column for the required question “What should change first?”: add "
        "one named by its text or q1."
    ]
    assert exc.value.parsed.errors == []
    assert ConsultationResponse.objects.count() == 0


def test_a_file_that_is_not_a_table_is_refused_at_the_field(consultation, secretariat):
    upload = SimpleUploadedFile("responses.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(ValidationError) as exc:
        domain.import_responses(actor=secretariat, consultation=consultation, upload=upload)
    assert list(exc.value.message_dict) == ["file"]
    assert exc.value.message_dict["file"][0].startswith("“responses.csv” is not a CSV or Excel")
    assert ConsultationResponse.objects.count() == 0


def test_console_edit_keeps_what_was_typed(client, consultation, secretariat):
    client.force_login(secretariat)
    url = reverse(
        "console:forum_consultation_edit", args=[consultation.programme.slug, consultation.pk]
    )
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Typed title",
            "audience": "theme_makers",
            "opens_at": "2030-01-02T10:00",
            "closes_at": "2030-01-01T10:00",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The consultation closes before it opens." in body
    assert "Choose the theme whose commitment makers are consulted." in body
    assert 'value="Typed title"' in body
    consultation.refresh_from_db()
    assert consultation.title == "Inputs on the draft blueprint"
