"""The published Co-Chairs' Summary as a web page, a PDF, a Word document and in the API: the
same document in each (read back and compared with the one outline), and nothing of where its
points came from (sessions, organisers, organisations) in any of them."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from pledgebook.forum import cochairs_document
from pledgebook.forum.domain import cochairs
from tests import factories

pytestmark = pytest.mark.django_db

#: Where the test leaves the first page of the PDF as an image, for a person to look at.
PNG = Path("/tmp/cochairs_summary_page1.png")
LAST_PNG = Path("/tmp/cochairs_summary_last_page.png")

LONG_WORD = "Multistakeholderpartnershipaccountabilityframeworkimplementationmechanisms" * 2


@pytest.fixture
def world():
    """A published summary: three sessions with named organisers, organisations and
    speakers; recommendations that name them; a merged point split again; a long
    section so the PDF runs over several pages."""
    event = factories.EventFactory(name="2025 ECOSOC Partnership Forum", slug="pf-2025")
    editor = factories.staff(event.programme)
    aqua = factories.OrganisationFactory(name="Aqua")
    rivers = factories.OrganisationFactory(name="Rivers Trust International")
    organiser = factories.UserFactory(first_name="Ngozi", last_name="Okafor")
    recommendations = []
    for n, (organisation, text) in enumerate(
        [
            (aqua, "Aqua calls for aquatic ecosystems to count in national water plans."),
            (rivers, "Rivers Trust International urges open data on river basins."),
            (aqua, "Ngozi Okafor proposed public guarantees for water utilities."),
        ]
    ):
        session = factories.SessionFactory(
            event=event, title=f"Water dialogue {n} hosted by {organisation.name}"
        )
        session.organisations.set([organisation])
        session.organisers.set([organiser])
        session.speakers.create(name="Ngozi Okafor", organisation=organisation)
        source = factories.SessionSummaryFactory(session=session)
        recommendations.append(factories.RecommendationFactory(summary=source, text=text))
    content = factories.cochairs_content(recommendations[:1], merged=recommendations[1:])
    # The compilation de-attributes the text; here the editor's first version does it.
    content["sections"][0]["points"][0]["text"] = (
        "Aquatic ecosystems should count in national water plans."
    )
    content["sections"].append(
        {
            "key": "commitments",
            "title": "Commitments and partnerships announced",
            "points": [
                {
                    "id": f"a{i}",
                    "text": f"Announcement {i}: a partnership to bring safe water to "
                    f"{i * 1000} households by 2030, with yearly public reporting.",
                    "sources": [{"kind": "announcement", "id": i}],
                    "merged": False,
                }
                for i in range(1, 41)
            ]
            + [
                {
                    "id": "long",
                    "text": f"A very long word must not run off the page: {LONG_WORD}.",
                    "sources": [],
                    "merged": False,
                }
            ],
        }
    )
    summary = factories.CoChairsSummaryFactory(
        event=event, title="Co-Chairs' Summary of the 2025 ECOSOC Partnership Forum"
    )
    factories.SummaryVersionFactory(summary=summary, content=content)
    version = cochairs.split_point(actor=editor, summary=summary, point_id="m1", based_on=1)
    cochairs.publish(actor=editor, summary=summary, version=version)
    summary.refresh_from_db()
    names = ["Aqua", "Rivers Trust International", "Ngozi", "Okafor", "Water dialogue"]
    return summary, cochairs_document.published_outline(summary), names


def _kwargs(summary):
    return {"programme": summary.event.programme.slug, "event": summary.event.slug}


def _in_order(haystack: str, needles: list[str]) -> None:
    """Every needle in ``haystack`` (whitespace folded), each after the one before."""
    flat = " ".join(haystack.split())
    at = 0
    for needle in needles:
        found = flat.find(" ".join(needle.split()), at)
        assert found >= 0, needle
        at = found + len(needle)


def _pdf_text(blob: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(blob))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_outline_is_the_versions_text_in_order(world):
    _summary, doc, _names = world
    assert doc.title == "Co-Chairs' Summary of the 2025 ECOSOC Partnership Forum"
    assert [s.title for s in doc.sections] == [
        "SDG Action Segment: clean water and sanitation",
        "What the global consultation said",
        "Commitments and partnerships announced",
    ]
    assert doc.sections[0].points == (
        "Aquatic ecosystems should count in national water plans.",
        "A participating organisation urges open data on river basins.",
        "A participant proposed public guarantees for water utilities.",
    )
    assert doc.introduction == (
        "The Forum brought together governments, the United Nations system and stakeholders "
        "to accelerate the 2030 Agenda.",
        "This summary presents the outcomes collectively and without attribution.",
    )


def test_web_page_holds_the_outline_in_order(world, client):
    summary, doc, _names = world
    page = client.get(reverse("public:cochairs_summary", kwargs=_kwargs(summary)))
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", " ", page.content.decode()).replace("&#x27;", "'")
    _in_order(text, doc.lines())


def test_pdf_read_back_holds_every_point_in_order_and_renders(world, client):
    pypdfium2 = pytest.importorskip("pypdfium2")
    summary, doc, _names = world
    response = client.get(reverse("public:cochairs_summary_pdf", kwargs=_kwargs(summary)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="pf-2025-cochairs-summary.pdf"'
    blob = response.content
    text = _pdf_text(blob)
    # Hyphenation may break long words at the line's end: compare without the breaks.
    folded = re.sub(r"-\n|\n", " ", text)
    _in_order(
        folded.replace(" ", ""),
        [line.replace(" ", "") for line in doc.lines() if LONG_WORD not in line],
    )
    pdf = pypdfium2.PdfDocument(blob)
    assert len(pdf) >= 2
    # Page numbers "n / total" at the foot of every page.
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    for number, page_text in enumerate(pages, start=1):
        assert f"{number} / {len(pdf)}" in page_text
    # Nothing runs off the page: every character's box lies inside the page.
    for i in range(len(pdf)):
        page = pdf[i]
        width, height = page.get_size()
        textpage = page.get_textpage()
        for c in range(textpage.count_chars()):
            left, bottom, right, top = textpage.get_charbox(c)
            assert left >= 0 and bottom >= 0 and right <= width and top <= height
    pdf[0].render(scale=1.2).to_pil().save(PNG)
    pdf[len(pdf) - 1].render(scale=1.2).to_pil().save(LAST_PNG)
    assert PNG.stat().st_size > 10_000
    # The same version gives the same bytes.
    again = client.get(reverse("public:cochairs_summary_pdf", kwargs=_kwargs(summary)))
    assert again.content == blob


def test_word_read_back_is_the_outline(world, client):
    import docx

    summary, doc, _names = world
    response = client.get(reverse("public:cochairs_summary_docx", kwargs=_kwargs(summary)))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="pf-2025-cochairs-summary.docx"'
    )
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    expected = [("Title", doc.title), ("Subtitle", doc.event_line)]
    expected += [("Normal", p) for p in doc.introduction]
    for section in doc.sections:
        expected.append(("Heading 1", section.title))
        expected += [("List Bullet", point) for point in section.points]
    expected.append(("Normal", doc.published_line))
    assert paragraphs == expected
    assert document.core_properties.title == doc.title


def test_api_is_the_outline_without_sources(world, client):
    summary, doc, _names = world
    response = client.get(reverse("api:cochairs-summary", kwargs=_kwargs(summary)))
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "title": doc.title,
        "event": doc.event_line,
        "version": 2,
        "published_at": data["published_at"],
        "introduction": list(doc.introduction),
        "sections": [
            {"key": s.key, "title": s.title, "points": list(s.points)} for s in doc.sections
        ],
    }
    assert data["published_at"].startswith(str(summary.published_at.year))
    assert "sources" not in response.content.decode()


def test_the_api_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/forum/{programme}/{event}/cochairs-summary/"]["get"]
    assert set(operation["responses"]) == {"200", "404"}


def test_nothing_published_is_404_everywhere(client):
    version = factories.SummaryVersionFactory()
    kwargs = _kwargs(version.summary)
    for name in (
        "public:cochairs_summary",
        "public:cochairs_summary_pdf",
        "public:cochairs_summary_docx",
        "api:cochairs-summary",
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name


def test_an_unpublished_event_hides_its_published_summary(world, client):
    summary, _doc, _names = world
    summary.event.is_published = False
    summary.event.save()
    assert client.get(reverse("public:cochairs_summary", kwargs=_kwargs(summary))).status_code == (
        404
    )
    assert client.get(reverse("api:cochairs-summary", kwargs=_kwargs(summary))).status_code == 404


def test_no_source_name_in_any_public_output(world, client):
    """The names of the sources' organisers, organisations and speakers, and their sessions'
    titles, are in the provenance (and in the recommendations' own text), never in what the
    public gets; "Aqua" inside "Aquatic" is an ordinary word, kept."""
    import docx

    summary, _doc, names = world
    kwargs = _kwargs(summary)
    page = client.get(reverse("public:cochairs_summary", kwargs=kwargs)).content.decode()
    pdf = _pdf_text(client.get(reverse("public:cochairs_summary_pdf", kwargs=kwargs)).content)
    word = "\n".join(
        p.text
        for p in docx.Document(
            io.BytesIO(client.get(reverse("public:cochairs_summary_docx", kwargs=kwargs)).content)
        ).paragraphs
    )
    api = client.get(reverse("api:cochairs-summary", kwargs=kwargs)).content.decode()
    for output, text in {"page": page, "pdf": pdf, "word": word, "api": api}.items():
        assert "Aquatic ecosystems" in text, output
        for name in names:
            assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE), (
                output,
                name,
            )
