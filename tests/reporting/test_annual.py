"""The annual accountability report: its data, charts, documents and generation.

One small programme with known numbers (``make_world``) serves every test here, in
``test_annual_exports.py`` and in ``test_annual_console.py``:

=====  ===============  ==========  ===========================  ==========  =================
       lead maker       category    themes                       money       latest report
=====  ===============  ==========  ===========================  ==========  =================
c1     Amani Women F.   civil soc.  economic justice             1000 USD    v2 completed, 400
c2     Bleu Tech        private     economic j., technology,     1000 EUR    on track, 200 USD
                                    health                                   at 1.5 = 300 EUR
c3     Zawadi Youth     youth-led   technology                   —           none
c4     apex Foundation  philanthr.  technology                   500 USD     none
c5     Amani Women F.   civil soc.  technology                   —           not started
c6     Zawadi Youth     youth-led   economic justice             —           a draft only
=====  ===============  ==========  ===========================  ==========  =================

Amani and Zawadi are in Kenya (Africa), Bleu in France (Europe), apex in Brazil (Americas).
c1 is also of the financial type.  A draft commitment of Amani and a reported commitment of
another programme must not count.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import CommitmentType, Programme, ProgrammeRole
from pledgebook.reference.models import Country, Currency
from pledgebook.reporting import annual, charts, documents, domain, generation
from pledgebook.reporting.models import (
    AnnualReport,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportingCycle,
)
from tests import factories

UTC = dt.UTC
D = Decimal


@dataclass
class World:
    programme: Programme
    cycle: ReportingCycle
    themes: dict[str, Any]
    orgs: dict[str, Organisation]
    c: dict[str, Commitment]
    secretariat: Any
    reviewer: Any


def _org(name: str, slug: str, category: str, iso2: str) -> Organisation:
    return factories.OrganisationFactory(
        name=name, slug=slug, category=category, country=Country.objects.get(iso2=iso2)
    )


# The commitments of the world run through its 2026 cycle whatever the clock says.
STARTS_ON, ENDS_ON = dt.date(2026, 1, 1), dt.date(2028, 12, 31)


def _commitment(theme: Any, org: Organisation, title: str, **kw: Any) -> Commitment:
    """A confirmed commitment running through the world's 2026 cycle, whatever today is."""
    kw.setdefault("starts_on", STARTS_ON)
    kw.setdefault("ends_on", ENDS_ON)
    return factories.CommitmentFactory(
        theme=theme, organisation=org, title=title, status=Commitment.Status.CONFIRMED, **kw
    )


def _report(c: Commitment, cycle: ReportingCycle, state: str, **kw: Any) -> ProgressReport:
    kw.setdefault("status", ProgressReport.Status.SUBMITTED)
    if kw["status"] == ProgressReport.Status.SUBMITTED:
        kw.setdefault("submitted_at", dt.datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    return ProgressReport.objects.create(
        commitment=c, cycle=cycle, implementation_status=state, narrative="Done.", **kw
    )


def make_world(status: str = ReportingCycle.Status.CLOSED) -> World:
    programme = factories.ProgrammeFactory(
        name="Equality Forum 2026", slug="equality-forum", is_published=True
    )
    themes = {
        "ej": factories.ThemeFactory(
            programme=programme, slug="economic-justice", name="Economic justice", position=0
        ),
        "tech": factories.ThemeFactory(
            programme=programme, slug="technology", name="Technology", position=1
        ),
        "health": factories.ThemeFactory(
            programme=programme, slug="health", name="Health", position=2
        ),
    }
    cycle = ReportingCycle.objects.create(
        programme=programme,
        name="2026 annual report",
        opens_at=dt.datetime(2026, 1, 1, tzinfo=UTC),
        deadline=dt.datetime(2026, 3, 31, 12, 0, tzinfo=UTC),
        closes_at=dt.datetime(2026, 4, 30, tzinfo=UTC),
        status=status,
    )
    orgs = {
        "amani": _org("Amani Women Fund", "amani", Category.CIVIL_SOCIETY, "KE"),
        "bleu": _org("Bleu Tech", "bleu", Category.PRIVATE_SECTOR, "FR"),
        "zawadi": _org("Zawadi Youth", "zawadi", Category.YOUTH_LED, "KE"),
        "apex": _org("apex Foundation", "apex", Category.PHILANTHROPY, "BR"),
    }
    usd = Currency.objects.get(code="USD")
    eur = Currency.objects.get(code="EUR")
    c = {
        "c1": _commitment(
            themes["ej"], orgs["amani"], "Fund 200 cooperatives", amount=D(1000), currency=usd
        ),
        "c2": _commitment(
            themes["ej"], orgs["bleu"], "Teach girls coding", amount=D(1000), currency=eur
        ),
        "c3": _commitment(themes["tech"], orgs["zawadi"], "Youth tech hubs"),
        "c4": _commitment(
            themes["tech"], orgs["apex"], "Seed grants for apps", amount=D(500), currency=usd
        ),
        "c5": _commitment(themes["tech"], orgs["amani"], "Digital literacy radio"),
        "c6": _commitment(themes["ej"], orgs["zawadi"], "Savings groups"),
    }
    c["c1"].types.add(CommitmentType.objects.get(code="financial"))
    c["c2"].themes.set([themes["ej"], themes["tech"], themes["health"]])
    # Not counted: a draft commitment, and another programme's commitment.
    factories.CommitmentFactory(
        theme=themes["ej"],
        organisation=orgs["amani"],
        title="Draft",
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
    )
    other = factories.ThemeFactory()
    other_cycle = ReportingCycle.objects.create(
        programme=other.programme,
        name="Other",
        opens_at=cycle.opens_at,
        deadline=cycle.deadline,
        closes_at=cycle.closes_at,
        status=ReportingCycle.Status.CLOSED,
    )
    elsewhere = _commitment(other, orgs["bleu"], "Elsewhere")
    _report(elsewhere, other_cycle, "completed")

    trained = Indicator.objects.create(
        programme=programme, code="women-trained", name="Women trained", unit="people"
    )
    Indicator.objects.create(
        programme=programme, code="funds", name="Funds mobilised", unit="USD", position=1
    )
    _report(c["c1"], cycle, "delayed", version=1, disbursed_amount=D(100))
    latest = _report(
        c["c1"],
        cycle,
        "completed",
        version=2,
        disbursed_amount=D(400),
        submitted_at=dt.datetime(2026, 3, 20, 9, 30, tzinfo=UTC),
    )
    IndicatorValue.objects.create(report=latest, indicator=trained, value=D(120))
    _report(c["c1"], cycle, "discontinued", version=3, status=ProgressReport.Status.DRAFT)
    r2 = _report(
        c["c2"],
        cycle,
        "on_track",
        disbursed_amount=D(200),
        disbursed_currency=usd,
        exchange_rate=D("1.5"),
    )
    IndicatorValue.objects.create(report=r2, indicator=trained, value=D("30.5"))
    _report(c["c5"], cycle, "not_started")
    _report(c["c6"], cycle, "on_track", status=ProgressReport.Status.DRAFT)
    return World(
        programme=programme,
        cycle=cycle,
        themes=themes,
        orgs=orgs,
        c=c,
        secretariat=factories.staff(programme),
        reviewer=factories.staff(programme, ProgrammeRole.Role.REVIEWER),
    )


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def statuses(**counts: int) -> list[tuple[str, int]]:
    order = ["not_started", "on_track", "delayed", "completed", "discontinued"]
    return [(s, counts.get(s, 0)) for s in order]


def group(g: annual.Group) -> dict[str, Any]:
    return {
        "key": g.key,
        "label": g.label,
        "commitments": g.commitments,
        "reported": g.reported,
        "statuses": [(s.status, s.count) for s in g.statuses],
        "progress": g.progress,
        "money": [(m.currency, str(m.pledged), str(m.disbursed)) for m in g.money],
    }


# The data ------------------------------------------------------------------------------------


def test_build_gives_the_known_figures(world: World) -> None:
    data = annual.build(world.cycle)
    c = world.c
    t = world.themes

    assert data.facts == annual.Facts(
        programme_slug="equality-forum",
        programme_name="Equality Forum 2026",
        programme_kind="Action coalitions and commitments",
        cycle_id=world.cycle.pk,
        cycle_name="2026 annual report",
        cycle_kind="Annual report",
        cycle_status="closed",
        cycle_status_label="Closed",
        opens_on=dt.date(2026, 1, 1),
        deadline=dt.date(2026, 3, 31),
        closes_on=dt.date(2026, 4, 30),
        # The cycle is closed (no closing moment recorded): its scheduled close.
        data_as_of=dt.datetime(2026, 4, 30, tzinfo=UTC),
    )
    assert data.totals.expected == 6
    assert data.totals.reported == 3
    assert data.totals.percent == 50.0
    assert data.totals.progress == 50.0
    assert [(s.status, s.label, s.count) for s in data.totals.statuses] == [
        ("not_started", "Not started", 1),
        ("on_track", "On track", 1),
        ("delayed", "Delayed", 0),
        ("completed", "Completed", 1),
        ("discontinued", "Discontinued", 0),
    ]
    assert (data.totals.makers, data.totals.silent_makers, data.totals.silent_commitments) == (
        4,
        2,
        3,
    )
    assert [(m.currency, str(m.pledged), str(m.disbursed), m.percent) for m in data.money] == [
        ("USD", "1500.00", "400.00", 26.7),
        ("EUR", "1000.00", "300.00", 30.0),
    ]
    # Whole counts: c2 (three themes) counts once in each; its EUR 1000 in thirds.
    assert [group(g) for g in data.by_theme] == [
        {
            "key": str(t["ej"].pk),
            "label": "Economic justice",
            "commitments": 3,
            "reported": 2,
            "statuses": statuses(on_track=1, completed=1),
            "progress": 75.0,
            "money": [("USD", "1000.00", "400.00"), ("EUR", "333.33", "100.00")],
        },
        {
            "key": str(t["tech"].pk),
            "label": "Technology",
            "commitments": 4,
            "reported": 2,
            "statuses": statuses(not_started=1, on_track=1),
            "progress": 25.0,
            "money": [("USD", "500.00", "0.00"), ("EUR", "333.33", "100.00")],
        },
        {
            "key": str(t["health"].pk),
            "label": "Health",
            "commitments": 1,
            "reported": 1,
            "statuses": statuses(on_track=1),
            "progress": 50.0,
            "money": [("EUR", "333.33", "100.00")],
        },
    ]
    assert [group(g) for g in data.by_type] == [
        {
            "key": "financial",
            "label": "Financial",
            "commitments": 1,
            "reported": 1,
            "statuses": statuses(completed=1),
            "progress": 100.0,
            "money": [("USD", "500.00", "200.00")],
        },
        {
            "key": "programmatic",
            "label": "Programmatic",
            "commitments": 6,
            "reported": 3,
            "statuses": statuses(not_started=1, on_track=1, completed=1),
            "progress": 50.0,
            "money": [("EUR", "1000.00", "300.00"), ("USD", "1000.00", "200.00")],
        },
    ]
    assert [(g.key, g.label, g.commitments, g.reported, g.progress) for g in data.by_category] == [
        ("youth_led", "Youth-led organisation (children and youth)", 2, 0, None),
        ("civil_society", "Non-governmental or civil society organisation", 2, 2, 50.0),
        ("private_sector", "Business and industry (private sector)", 1, 1, 50.0),
        ("philanthropy", "Philanthropy and foundations", 1, 0, None),
    ]
    assert [
        (
            g.label,
            g.commitments,
            [(m.currency, str(m.pledged), str(m.disbursed)) for m in g.money],
        )
        for g in data.by_region
    ] == [
        ("Africa", 4, [("USD", "1000.00", "400.00")]),
        ("Americas", 1, [("USD", "500.00", "0.00")]),
        ("Europe", 1, [("EUR", "1000.00", "300.00")]),
    ]
    # No reporting currency: nothing converted.
    assert (data.reporting_currency, data.converted, data.exchange_rates) == ("", None, ())
    assert all(g.converted is None for g in data.by_theme)
    assert [(r.label, r.expected, r.reported, r.percent) for r in data.rates_by_theme] == [
        ("Economic justice", 3, 2, 66.7),
        ("Technology", 4, 2, 50.0),
        ("Health", 1, 1, 100.0),
    ]
    assert [(r.key, r.expected, r.reported, r.percent) for r in data.rates_by_category] == [
        ("youth_led", 2, 0, 0.0),
        ("civil_society", 2, 2, 100.0),
        ("private_sector", 1, 1, 100.0),
        ("philanthropy", 1, 0, 0.0),
    ]
    assert [(r.key, r.label, r.expected, r.reported, r.percent) for r in data.rates_by_region] == [
        ("002", "Africa", 4, 2, 50.0),
        ("019", "Americas", 1, 0, 0.0),
        ("150", "Europe", 1, 1, 100.0),
    ]
    assert [(h.label, h.completed, h.expected) for h in data.highlights] == [
        ("Economic justice", 1, 3),
        ("Technology", 0, 4),
        ("Health", 0, 1),
    ]
    assert data.completed == 1
    assert data.non_reporters == (
        (
            "apex Foundation",
            "Philanthropy and foundations",
            "Brazil",
            ((c["c4"].pk, "Seed grants for apps"),),
        ),
        (
            "Zawadi Youth",
            "Youth-led organisation (children and youth)",
            "Kenya",
            ((c["c3"].pk, "Youth tech hubs"), (c["c6"].pk, "Savings groups")),
        ),
    )
    assert data.indicators == (
        ("women-trained", "Women trained", "people"),
        ("funds", "Funds mobilised", "USD"),
    )


def test_round2_rounds_exact_fractions_half_even() -> None:
    from fractions import Fraction

    assert annual.round2(Fraction(1000, 3)) == D("333.33")
    assert annual.round2(Fraction(2, 3)) == D("0.67")
    assert annual.round2(Fraction(1, 200)) == D("0.00")  # 0.005: half to even
    assert annual.round2(Fraction(3, 200)) == D("0.02")  # 0.015: half to even
    assert annual.round2(Fraction(7)) == D("7.00")


def test_build_is_deterministic_and_its_digest_follows_the_data(world: World) -> None:
    first = annual.build(world.cycle)
    assert annual.build(world.cycle) == first
    digest = annual.data_digest(first)
    assert digest == annual.data_digest(annual.build(world.cycle))
    assert len(digest) == 64
    assert json.loads(annual.canonical_json(first))["data"]["totals"]["expected"] == 6

    _report(world.c["c3"], world.cycle, "on_track")
    assert annual.data_digest(annual.build(world.cycle)) != digest


def test_a_new_version_changes_the_digest_even_with_the_same_figures(world: World) -> None:
    digest = annual.data_digest(annual.build(world.cycle))
    _report(world.c["c5"], world.cycle, "not_started", version=2)  # same status, new version
    again = annual.build(world.cycle)
    assert again.totals.statuses == annual.build(world.cycle).totals.statuses
    assert annual.data_digest(again) != digest


def test_build_queries_do_not_grow_with_the_rows(
    world: World, django_assert_max_num_queries: Any
) -> None:
    # Not a bound on time: the number of queries is fixed whatever the number of commitments.
    with django_assert_max_num_queries(30) as small:
        annual.build(world.cycle)
    for i in range(5):
        extra = _commitment(world.themes["tech"], world.orgs["bleu"], f"More {i}")
        _report(extra, world.cycle, "completed")
    with django_assert_max_num_queries(30) as large:
        annual.build(world.cycle)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_an_empty_cycle_builds(db: Any) -> None:
    theme = factories.ThemeFactory()
    cycle = ReportingCycle.objects.create(
        programme=theme.programme,
        name="Empty",
        opens_at=dt.datetime(2026, 1, 1, tzinfo=UTC),
        deadline=dt.datetime(2026, 2, 1, tzinfo=UTC),
        closes_at=dt.datetime(2026, 3, 1, tzinfo=UTC),
        status=ReportingCycle.Status.OPEN,
    )
    data = annual.build(cycle)
    assert (data.totals.expected, data.totals.reported, data.totals.progress) == (0, 0, None)
    assert data.money == () and data.by_theme == () and data.non_reporters == ()
    rendered = charts.render_all(data)
    assert documents.render_pdf(data, rendered)[:5] == b"%PDF-"
    assert documents.render_docx(data, rendered)[:2] == b"PK"


# Charts ------------------------------------------------------------------------------------


SVG = "{http://www.w3.org/2000/svg}"


def test_charts_are_valid_svg_and_png_and_deterministic(world: World) -> None:
    data = annual.build(world.cycle)
    first = charts.render_all(data)
    second = charts.render_all(data)
    assert list(first) == ["status", "money", "rates-theme", "rates-category", "map"]
    for key, chart in first.items():
        assert chart.svg == second[key].svg
        assert chart.png == second[key].png
        root = ET.fromstring(chart.svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("aria-label") == chart.alt
        assert root.get("id") == f"chart-{key}"
        assert root.get("width") is None  # scales with the page
        assert chart.png[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"Software" not in chart.png
        assert "<dc:date>" not in chart.svg
    ids = [e.get("id") for c in first.values() for e in ET.fromstring(c.svg).iter() if e.get("id")]
    assert len(ids) == len(set(ids))  # unique when the four charts share a page
    assert "rates-theme-figure_1" in ids
    texts = {t.text for t in ET.fromstring(first["rates-theme"].svg).iter(f"{SVG}text")}
    assert {"Response rate by theme", "Economic justice", "66.7%", "Response rate (%)"} <= texts
    assert first["status"].alt == (
        "Bar chart of the 3 reported commitments by implementation status. Not started: 1; "
        "On track: 1; Delayed: 0; Completed: 1; Discontinued: 0."
    )
    assert first["money"].alt == (
        "Grouped bars of the money pledged and disbursed in the 2 largest currencies, each on "
        "its own scale: USD 1,500.00 pledged, 400.00 disbursed; EUR 1,000.00 pledged, 300.00 "
        "disbursed."
    )
    assert first["rates-category"].alt == (
        "Horizontal bars of the response rate by stakeholder category, in percent. Youth-led "
        "organisation (children and youth): 0.0%; Non-governmental or civil society "
        "organisation: 100.0%; Business and industry (private sector): 100.0%; Philanthropy "
        "and foundations: 0.0%."
    )


def test_chart_labels_follow_the_language(world: World) -> None:
    data = annual.build(world.cycle)
    with translation.override("fr"):
        chart = charts.status_chart(data)
    with translation.override("en"):
        english = charts.status_chart(data)
    assert english.title == "Implementation status of the commitments that reported"
    assert chart.svg.count("<text") == english.svg.count("<text")


def test_a_dollar_sign_in_a_theme_name_is_text(world: World) -> None:
    world.themes["ej"].name = "$5 for $ girls"
    world.themes["ej"].save()
    chart = charts.rates_by_theme_chart(annual.build(world.cycle))
    assert "$5 for $ girls" in chart.svg


# Documents ------------------------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_holds_the_title_page_totals_and_every_non_reporter(world: World) -> None:
    from pypdf import PdfReader

    data = annual.build(world.cycle)
    pdf = documents.render_pdf(data, charts.render_all(data))
    reader = PdfReader(io.BytesIO(pdf))
    pages = [_flat(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)

    assert pages[0].startswith("Equality Forum 2026 Annual accountability report")
    assert (
        "Data as of 30 April 2026, 00:00 UTC Every report submitted up to this moment is "
        "included, and none after it." in pages[0]
    )
    assert "2026 annual report" in pages[0]
    assert (
        "3 of the 6 commitments expected to report in 2026 annual report submitted a report: "
        "a response rate of 50.0%." in text
    )
    assert "Progress index of the commitments that reported: 50.0%." in text
    assert "Commitments expected to report 6" in text
    assert "USD 1,500.00 400.00 26.7%" in text
    assert "EUR 1,000.00 300.00 30.0%" in text
    for name in ("apex Foundation", "Zawadi Youth"):
        assert name in text
    assert f"#{world.c['c3'].pk} Youth tech hubs" in text
    assert f"#{world.c['c6'].pk} Savings groups" in text
    assert "Amani Women Fund" not in text  # it reported everything
    assert (
        reader.metadata.title
        == "Equality Forum 2026: annual accountability report 2026 annual report"
    )
    assert reader.metadata.creation_date == dt.datetime(2026, 4, 30, tzinfo=UTC)


def _docx_tables(blob: bytes) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    document = docx.Document(io.BytesIO(blob))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def test_docx_holds_the_same_words_and_tables(world: World) -> None:
    import docx

    data = annual.build(world.cycle)
    blob = documents.render_docx(data, charts.render_all(data))
    paragraphs, tables = _docx_tables(blob)

    assert paragraphs[:6] == [
        "Equality Forum 2026",
        "Annual accountability report",
        "2026 annual report",
        "Data as of 30 April 2026, 00:00 UTC",
        "Every report submitted up to this moment is included, and none after it.",
        "Reporting cycle: 1 January 2026 to 31 March 2026 (closes 30 April 2026), closed.",
    ]
    assert (
        "3 of the 6 commitments expected to report in 2026 annual report submitted a report: "
        "a response rate of 50.0%."
    ) in paragraphs
    assert "2 lead makers have commitments without a report in this cycle." in paragraphs
    captions = [p for p in paragraphs if p.startswith(("Key figures", "Makers without"))]
    assert captions == ["Key figures", "Makers without a report"]

    key_figures, status, money, *_rest, non_reporters = tables
    assert key_figures == [
        ["Figure", "Value"],
        ["Commitments expected to report", "6"],
        ["Commitments that reported", "3"],
        ["Response rate", "50.0%"],
        ["Progress index", "50.0%"],
        ["Completed commitments", "1"],
        ["Lead makers expected to report", "4"],
        ["Lead makers with a missing report", "2"],
    ]
    assert status == [
        ["Status", "Commitments", "Share of those that reported"],
        ["Not started", "1", "33.3%"],
        ["On track", "1", "33.3%"],
        ["Delayed", "0", "0.0%"],
        ["Completed", "1", "33.3%"],
        ["Discontinued", "0", "0.0%"],
    ]
    assert money == [
        ["Currency", "Pledged", "Disbursed so far", "Disbursed (%)"],
        ["USD", "1,500.00", "400.00", "26.7%"],
        ["EUR", "1,000.00", "300.00", "30.0%"],
    ]
    by_theme = next(t for t in tables if t[0][0] == "Theme" and len(t[0]) == 7)
    assert by_theme == [
        [
            "Theme",
            "Commitments",
            "Reported",
            "Completed",
            "Progress index",
            "Pledged",
            "Disbursed so far",
        ],
        [
            "Economic justice",
            "3",
            "2",
            "1",
            "75.0%",
            "USD 1,000.00\nEUR 333.33",
            "USD 400.00\nEUR 100.00",
        ],
        [
            "Technology",
            "4",
            "2",
            "0",
            "25.0%",
            "USD 500.00\nEUR 333.33",
            "USD 0.00\nEUR 100.00",
        ],
        ["Health", "1", "1", "0", "50.0%", "EUR 333.33", "EUR 100.00"],
    ]
    c = world.c
    assert non_reporters == [
        ["Organisation", "Category", "Country", "Commitments without a report"],
        [
            "apex Foundation",
            "Philanthropy and foundations",
            "Brazil",
            f"#{c['c4'].pk} Seed grants for apps",
        ],
        [
            "Zawadi Youth",
            "Youth-led organisation (children and youth)",
            "Kenya",
            f"#{c['c3'].pk} Youth tech hubs\n#{c['c6'].pk} Savings groups",
        ],
    ]
    document = docx.Document(io.BytesIO(blob))
    props = document.core_properties
    assert props.created == props.modified == dt.datetime(2026, 4, 30, tzinfo=UTC)
    assert props.title == "Equality Forum 2026: annual accountability report 2026 annual report"
    assert len(document.inline_shapes) == 5  # the four charts and the map


def test_web_pdf_and_word_share_their_sections(world: World) -> None:
    data = annual.build(world.cycle)
    rendered = charts.render_all(data)
    html = documents.pdf_html(data, rendered)
    paragraphs, tables = _docx_tables(documents.render_docx(data, rendered))
    for section in documents.sections(data):
        assert section.heading in paragraphs
        assert f'id="heading-{section.key}">{section.heading}' in html.replace("&#x27;", "'")
    assert len(tables) == sum(len(s.tables) for s in documents.sections(data))
    for chart in rendered.values():
        assert f'<img class="chart-image" src="{chart.data_uri}"' in html


def test_documents_are_byte_identical_for_the_same_data(world: World) -> None:
    data = annual.build(world.cycle)
    first = charts.render_all(data)
    again = annual.build(world.cycle)
    second = charts.render_all(again)
    assert documents.render_pdf(data, first) == documents.render_pdf(again, second)
    assert documents.render_docx(data, first) == documents.render_docx(again, second)


def test_long_non_reporter_lists_are_capped_in_documents_only(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "NON_REPORTERS_IN_DOCUMENTS", 1)
    monkeypatch.setattr(documents, "COMMITMENTS_PER_MAKER", 1)
    data = annual.build(world.cycle)
    section = next(s for s in documents.sections(data) if s.key == "non-reporters")
    assert section.tables[0].rows == (
        (
            "apex Foundation",
            "Philanthropy and foundations",
            "Brazil",
            f"#{world.c['c4'].pk} Seed grants for apps",
        ),
    )
    assert section.notes == (
        "The first 1 of 2 makers, by name; the full list is in the CSV and XLSX open data files.",
    )
    assert len(data.non_reporters) == 2
    rows = documents.non_reporter_rows(data)
    assert rows == (
        (
            "apex Foundation",
            "Philanthropy and foundations",
            "Brazil",
            f"#{world.c['c4'].pk} Seed grants for apps",
        ),
    )
    monkeypatch.setattr(documents, "NON_REPORTERS_IN_DOCUMENTS", 5)
    assert (
        documents.non_reporter_rows(data)[1][3]
        == f"#{world.c['c3'].pk} Youth tech hubs\nand 1 more"
    )


# Generation -------------------------------------------------------------------------------


def test_secretariat_generates_the_report_in_the_background(world: World) -> None:
    report = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)

    assert report.status == AnnualReport.Status.DONE
    assert report.progress == 100
    assert report.step == "Ready"
    assert report.error == ""
    assert report.requested_by == world.secretariat
    assert report.finished_at is not None
    data = annual.build(world.cycle)
    assert report.data_digest == annual.data_digest(data)
    for kind in annual.FILE_KINDS:
        assert (
            getattr(report, kind).name
            == f"reports/equality-forum-{world.cycle.pk}-annual-report.{kind}"
        )
    rendered = charts.render_all(data)
    with report.pdf.open("rb") as f:
        assert f.read() == documents.render_pdf(data, rendered)
    with report.docx.open("rb") as f:
        assert f.read() == documents.render_docx(data, rendered)
    entry = AuditEntry.objects.get(action="annual_report.requested")
    assert (entry.actor, entry.object_id, entry.programme) == (
        world.secretariat,
        report.pk,
        world.programme,
    )


def test_the_same_data_reuses_the_files_and_new_data_makes_new_ones(world: World) -> None:
    first = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    second = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    assert second.pk != first.pk
    assert second.status == AnnualReport.Status.DONE
    assert second.data_digest == first.data_digest
    for kind in annual.FILE_KINDS:
        assert getattr(second, kind).name == getattr(first, kind).name

    _report(world.c["c3"], world.cycle, "completed")
    third = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    assert third.data_digest != first.data_digest
    assert third.pdf.name != first.pdf.name
    assert third.pdf.name.startswith(f"reports/equality-forum-{world.cycle.pk}-annual-report")


def test_running_the_task_twice_changes_nothing(world: World) -> None:
    report = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    finished = report.finished_at
    again = generation.generate(report.pk)
    assert (again.status, again.progress, again.finished_at) == ("done", 100, finished)


def test_a_failure_is_recorded(world: World, settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker  # files cannot be stored under a plain file
    report = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED
    assert report.step == "Failed"
    assert report.progress == 30
    assert report.error.startswith(("FileExistsError", "NotADirectoryError"))


@pytest.mark.parametrize("who", ["reviewer", "maker", "other_secretariat"])
def test_only_the_secretariat_asks_for_the_report(world: World, who: str) -> None:
    actor = {
        "reviewer": world.reviewer,
        "maker": factories.representative(world.orgs["amani"]),
        "other_secretariat": factories.staff(factories.ProgrammeFactory()),
    }[who]
    with pytest.raises(PermissionDenied):
        domain.request_annual_report(actor=actor, cycle=world.cycle)
    assert AnnualReport.objects.count() == 0
    assert AuditEntry.objects.filter(action="annual_report.requested").count() == 0


def test_no_report_before_the_cycle_opens(db: Any) -> None:
    world = make_world(status=ReportingCycle.Status.SCHEDULED)
    with pytest.raises(ValidationError) as err:
        domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    assert err.value.messages == ["The report can be generated once the cycle has opened."]
    assert AnnualReport.objects.count() == 0


def test_a_request_while_one_is_pending_returns_it(world: World) -> None:
    pending = AnnualReport.objects.create(cycle=world.cycle, status=AnnualReport.Status.RUNNING)
    assert domain.request_annual_report(actor=world.secretariat, cycle=world.cycle) == pending
    assert AnnualReport.objects.count() == 1
