"""The Co-Chairs' Summary after its first draft (forum/domain/cochairs.py): versions, a merge
split again, an earlier version restored, the difference between any two versions,
publication; each action allowed to the secretariat and refused, nothing changed, to others."""

import copy
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import formats

from pledgebook.core.models import AuditEntry
from pledgebook.forum import cochairs_diff
from pledgebook.forum.domain import cochairs
from pledgebook.forum.models import CoChairsSummary, SummaryVersion
from pledgebook.forum.validation import local
from pledgebook.programmes.models import ProgrammeRole
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return factories.EventFactory()


@pytest.fixture
def editor(event):
    return factories.staff(event.programme)


@pytest.fixture
def summary(event):
    return factories.CoChairsSummaryFactory(event=event)


@pytest.fixture
def draft(summary):
    return factories.SummaryVersionFactory(summary=summary)


def _outsiders(event):
    """People who must not edit: a reviewer of the programme, the secretariat of another
    programme, someone with no role."""
    return [
        factories.staff(event.programme, ProgrammeRole.Role.REVIEWER),
        factories.staff(factories.ProgrammeFactory()),
        factories.UserFactory(),
    ]


def _snapshot(summary):
    summary.refresh_from_db()
    return (
        summary.status,
        summary.published_version_id,
        summary.published_at,
        [(v.number, v.content, v.note) for v in summary.versions.order_by("number")],
        AuditEntry.objects.count(),
    )


def _edited(content, text):
    changed = copy.deepcopy(content)
    changed["sections"][0]["points"][0]["text"] = text
    return changed


# Versions ------------------------------------------------------------------------------------


def test_save_version_numbers_after_the_last_and_never_changes_an_old_one(editor, summary, draft):
    original = copy.deepcopy(draft.content)
    second = cochairs.save_version(
        actor=editor,
        summary=summary,
        content=_edited(draft.content, "Put local governments first."),
        note="Shorter first point",
        based_on=draft,
    )
    third = cochairs.save_version(
        actor=editor,
        summary=summary,
        content=_edited(second.content, "Put local and regional governments first."),
        note="",
        based_on=2,
    )
    assert [v.number for v in summary.versions.order_by("number")] == [1, 2, 3]
    assert (second.number, third.number) == (2, 3)
    assert second.created_by == editor and second.note == "Shorter first point"
    draft.refresh_from_db()
    assert draft.content == original
    second.refresh_from_db()
    assert second.content["sections"][0]["points"][0]["text"] == "Put local governments first."
    assert third.content["sections"][0]["points"][0]["text"] == (
        "Put local and regional governments first."
    )
    entry = AuditEntry.objects.filter(action="cochairs_summary.version_saved").latest("pk")
    assert (entry.actor, entry.object_id, entry.data) == (editor, summary.pk, {"version": 3})


def test_a_version_keeps_sources_and_keys_it_does_not_know(editor, summary, draft):
    content = copy.deepcopy(draft.content)
    content["sections"][0]["points"][0]["sessions"] = [41, 42]
    content["sections"][0]["points"][0]["text"] = "  Changed   text.  "
    saved = cochairs.save_version(
        actor=editor, summary=summary, content=content, note="", based_on=1
    )
    point = saved.content["sections"][0]["points"][0]
    assert point["sessions"] == [41, 42]
    assert point["sources"] == draft.content["sections"][0]["points"][0]["sources"]
    assert point["text"] == "Changed   text."
    assert saved.content["sections"][0]["kind"] == "segment"


def test_stale_based_on_is_refused_and_nothing_changes(editor, summary, draft):
    cochairs.save_version(
        actor=editor, summary=summary, content=_edited(draft.content, "First edit."), based_on=1
    )
    before = _snapshot(summary)
    with pytest.raises(ValidationError) as refused:
        cochairs.save_version(
            actor=editor,
            summary=summary,
            content=_edited(draft.content, "A second editor's edit."),
            based_on=draft,
        )
    assert refused.value.messages == [
        "Someone else saved version 2 of this summary after the version 1 you started from. "
        "Nothing was saved: open the current version and make your change again."
    ]
    assert _snapshot(summary) == before


def test_empty_points_are_dropped_and_an_untitled_section_refused(editor, summary, draft):
    content = _edited(draft.content, "   ")
    saved = cochairs.save_version(actor=editor, summary=summary, content=content, based_on=1)
    assert [p["id"] for p in saved.content["sections"][0]["points"]] == ["p2"]
    untitled = copy.deepcopy(saved.content)
    untitled["sections"][1]["title"] = " "
    before = _snapshot(summary)
    with pytest.raises(ValidationError) as refused:
        cochairs.save_version(actor=editor, summary=summary, content=untitled, based_on=2)
    assert refused.value.message_dict == {"section-1-title": ["Give this section a title."]}
    assert _snapshot(summary) == before


def test_saving_the_same_content_again_is_refused(editor, summary, draft):
    before = _snapshot(summary)
    with pytest.raises(ValidationError) as refused:
        cochairs.save_version(actor=editor, summary=summary, content=draft.content, based_on=1)
    assert refused.value.messages == ["Nothing changed since version 1: nothing was saved."]
    assert _snapshot(summary) == before


# Split ---------------------------------------------------------------------------------------


@pytest.fixture
def merged_draft(event, summary):
    organisation = factories.OrganisationFactory(name="Aqua Alliance")
    session = factories.SessionFactory(event=event, title="Water action segment")
    session.organisations.set([organisation])
    source = factories.SessionSummaryFactory(session=session)
    first = factories.RecommendationFactory(
        summary=source, text="Aqua Alliance recommends blended finance for water utilities."
    )
    second = factories.RecommendationFactory(
        summary=source, text="Use public guarantees to lower the cost of capital for utilities."
    )
    return factories.SummaryVersionFactory(
        summary=summary, content=factories.cochairs_content(merged=[first, second])
    ), (first, second)


def test_split_makes_one_point_per_recommendation_in_place(editor, summary, merged_draft):
    version, (first, second) = merged_draft
    split = cochairs.split_point(actor=editor, summary=summary, point_id="m1", based_on=1)
    assert split.number == 2
    points = split.content["sections"][0]["points"]
    assert points[:2] == version.content["sections"][0]["points"][:2]
    assert points[2:] == [
        {
            "id": "m1.1",
            "text": "A participating organisation recommends blended finance for water utilities.",
            "sources": [{"kind": "recommendation", "id": first.pk}],
            "merged": False,
        },
        {
            "id": "m1.2",
            "text": "Use public guarantees to lower the cost of capital for utilities.",
            "sources": [{"kind": "recommendation", "id": second.pk}],
            "merged": False,
        },
    ]
    assert split.content["sections"][1] == version.content["sections"][1]
    version.refresh_from_db()
    assert [p["id"] for p in version.content["sections"][0]["points"]] == ["p1", "p2", "m1"]
    entry = AuditEntry.objects.get(action="cochairs_summary.point_split")
    assert entry.data == {"version": 2, "point": "m1", "into": ["m1.1", "m1.2"]}


def test_split_takes_the_deattribution_it_is_given(editor, summary, merged_draft):
    split = cochairs.split_point(
        actor=editor,
        summary=summary,
        point_id="m1",
        based_on=1,
        deattribute=lambda text, event: text.upper(),
    )
    assert split.content["sections"][0]["points"][2]["text"] == (
        "AQUA ALLIANCE RECOMMENDS BLENDED FINANCE FOR WATER UTILITIES."
    )


def test_split_of_a_point_that_is_not_merged_is_refused(editor, summary, merged_draft):
    before = _snapshot(summary)
    with pytest.raises(ValidationError) as refused:
        cochairs.split_point(actor=editor, summary=summary, point_id="c1", based_on=1)
    assert refused.value.messages == [
        "This point was not merged from several recommendations: nothing to split."
    ]
    with pytest.raises(ValidationError):
        cochairs.split_point(actor=editor, summary=summary, point_id="nope", based_on=1)
    assert _snapshot(summary) == before


def test_split_ignores_recommendations_of_another_event(editor, summary, event):
    elsewhere = factories.RecommendationFactory.create_batch(2)
    factories.SummaryVersionFactory(
        summary=summary, content=factories.cochairs_content(merged=elsewhere)
    )
    before = _snapshot(summary)
    with pytest.raises(ValidationError) as refused:
        cochairs.split_point(actor=editor, summary=summary, point_id="m1", based_on=1)
    assert refused.value.messages == [
        "The recommendations this point was merged from no longer exist."
    ]
    assert _snapshot(summary) == before


# Restore and compare ---------------------------------------------------------------------------


def test_restore_makes_an_old_version_the_newest(editor, summary, draft):
    cochairs.save_version(
        actor=editor, summary=summary, content=_edited(draft.content, "Edit one."), based_on=1
    )
    restored = cochairs.restore_version(actor=editor, summary=summary, version=draft, based_on=2)
    assert restored.number == 3
    assert restored.content == draft.content
    assert restored.note == "Version 1 restored."
    assert summary.versions.get(number=2).content["sections"][0]["points"][0]["text"] == (
        "Edit one."
    )
    assert AuditEntry.objects.get(action="cochairs_summary.restored").data == {
        "version": 3,
        "restored": 1,
    }
    with pytest.raises(ValidationError):
        cochairs.restore_version(actor=editor, summary=summary, version=restored, based_on=restored)


def test_compare_non_adjacent_versions_marks_words_and_lines(editor, summary, draft):
    v2 = _edited(draft.content, draft.content["sections"][0]["points"][0]["text"] + " Soon.")
    cochairs.save_version(actor=editor, summary=summary, content=v2, based_on=1)
    v3 = copy.deepcopy(v2)
    v3["sections"][0]["points"].append({"id": "new", "text": "Report back in 2026."})
    del v3["sections"][1]["points"][0]
    third = cochairs.save_version(actor=editor, summary=summary, content=v3, based_on=2)

    lines = cochairs_diff.compare(draft.content, third.content)
    changed = [line for line in lines if line.op != "same"]
    assert [(line.op, line.kind) for line in changed] == [
        ("changed", "point"),
        ("ins", "point"),
        ("del", "point"),
    ]
    assert [(p.op, p.text) for p in changed[0].pieces] == [
        ("same", "Put partnerships with local governments at the centre of SDG 6 "),
        ("del", "delivery."),
        ("ins", "delivery. Soon."),
    ]
    assert changed[1].pieces[0].text == "Report back in 2026."
    assert changed[2].pieces[0].text == "Respondents asked for simpler access to climate finance."
    assert cochairs_diff.counts(lines) == {"del": 1, "ins": 1, "changed": 1}
    assert cochairs_diff.compare(third.content, third.content) == [
        cochairs_diff.DiffLine("same", line.kind, (cochairs_diff.Piece("same", line.text),))
        for line in cochairs_diff.text_lines(third.content)
    ]


# Publication -----------------------------------------------------------------------------------


def test_publish_a_chosen_version_then_later_edits_stay_drafts(editor, summary, draft, client):
    url = reverse(
        "public:cochairs_summary",
        kwargs={"programme": summary.event.programme.slug, "event": summary.event.slug},
    )
    assert client.get(url).status_code == 404
    cochairs.publish(actor=editor, summary=summary, version=draft)
    summary.refresh_from_db()
    assert summary.status == CoChairsSummary.Status.PUBLISHED
    assert summary.published_version == draft and summary.published_at is not None
    later = cochairs.save_version(
        actor=editor, summary=summary, content=_edited(draft.content, "Draft words."), based_on=1
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "Put partnerships with local governments" in page.content.decode()
    assert "Draft words." not in page.content.decode()
    cochairs.publish(actor=editor, summary=summary, version=later)
    assert "Draft words." in client.get(url).content.decode()
    assert list(
        AuditEntry.objects.filter(action="cochairs_summary.published")
        .order_by("pk")
        .values_list("data", flat=True)
    ) == [{"version": 1, "replaces": None}, {"version": 2, "replaces": 1}]
    with pytest.raises(ValidationError):
        cochairs.publish(actor=editor, summary=summary, version=later)


def test_unpublish_takes_the_page_down(editor, summary, draft, client):
    cochairs.publish(actor=editor, summary=summary, version=draft)
    cochairs.unpublish(actor=editor, summary=summary)
    summary.refresh_from_db()
    assert (summary.status, summary.published_version, summary.published_at) == (
        "draft",
        None,
        None,
    )
    url = reverse(
        "public:cochairs_summary",
        kwargs={"programme": summary.event.programme.slug, "event": summary.event.slug},
    )
    assert client.get(url).status_code == 404
    with pytest.raises(ValidationError):
        cochairs.unpublish(actor=editor, summary=summary)


def test_a_version_of_another_summary_is_refused(editor, summary, draft):
    other = factories.SummaryVersionFactory()
    before = _snapshot(summary)
    with pytest.raises(ValidationError):
        cochairs.publish(actor=editor, summary=summary, version=other)
    with pytest.raises(ValidationError):
        cochairs.restore_version(actor=editor, summary=summary, version=other, based_on=1)
    assert _snapshot(summary) == before


# Permissions: every action allowed above, refused here with nothing changed --------------------


ACTIONS = {
    "save_version": lambda s, v, who: cochairs.save_version(
        actor=who, summary=s, content=_edited(v.content, "Other words."), based_on=v
    ),
    "split_point": lambda s, v, who: cochairs.split_point(
        actor=who, summary=s, point_id="m1", based_on=v
    ),
    "restore_version": lambda s, v, who: cochairs.restore_version(
        actor=who, summary=s, version=s.versions.get(number=1), based_on=v
    ),
    "publish": lambda s, v, who: cochairs.publish(actor=who, summary=s, version=v),
    "unpublish": lambda s, v, who: cochairs.unpublish(actor=who, summary=s),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_allowed_to_the_secretariat_refused_to_others(
    action, event, editor, summary, merged_draft
):
    version, _ = merged_draft
    # Two versions (restore needs an older one) and, for unpublish, a published summary.
    latest = cochairs.save_version(
        actor=editor,
        summary=summary,
        content=_edited(version.content, "Second version."),
        based_on=version,
    )
    if action == "unpublish":
        cochairs.publish(actor=editor, summary=summary, version=latest)
    before = _snapshot(summary)
    for outsider in _outsiders(event):
        with pytest.raises(PermissionDenied):
            ACTIONS[action](summary, latest, outsider)
        assert _snapshot(summary) == before
    ACTIONS[action](summary, latest, editor)
    assert _snapshot(summary) != before
    assert SummaryVersion.objects.filter(summary=summary, number=1).get().content == (
        version.content
    )


# Console pages --------------------------------------------------------------------------------


def _console(name, summary, **kwargs):
    return reverse(
        f"console:{name}",
        kwargs={"programme": summary.event.programme.slug, "event": summary.event.slug, **kwargs},
    )


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def test_summary_page_shows_editors_where_each_point_came_from(
    signed_in, summary, merged_draft, event
):
    _version, (first, second) = merged_draft
    page = signed_in.get(_console("forum_cochairs", summary))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Merged from 2 recommendations." in html
    assert "Water action segment" in html  # the session the merged point came from
    assert first.text in html and second.text in html
    assert 'name="point" value="m1"' in html
    # The session's time as the venue reads it (New York), not the server's.
    session = first.summary.session
    assert f"{local(event, session.starts_at)} venue time" in html
    assert local(event, session.starts_at) != formats.date_format(
        session.starts_at.astimezone(dt.UTC), "DATETIME_FORMAT"
    )
    assert "Not published: only editors see it." in html


def test_console_pages_refused_to_others_and_scoped_to_the_programme(client, summary, draft, event):
    names = [("forum_cochairs", {}), ("forum_cochairs_edit", {}), ("forum_cochairs_versions", {})]
    names.append(("forum_cochairs_version", {"number": 1}))
    for name, kwargs in names:
        url = _console(name, summary, **kwargs)
        client.logout()
        assert client.get(url).status_code == 302  # anonymous: to the login page
        for outsider in _outsiders(event):
            client.force_login(outsider)
            assert client.get(url).status_code == 403, (name, outsider)
    # Another programme's secretariat, in its own console, asking for this event: 404.
    other = factories.ProgrammeFactory()
    client.force_login(factories.staff(other))
    url = reverse(
        "console:forum_cochairs", kwargs={"programme": other.slug, "event": summary.event.slug}
    )
    assert client.get(url).status_code == 404


def _edit_data(version, **changes):
    content = version.content
    data = {"based_on": version.number, "introduction": content["introduction"], "note": ""}
    for i, section in enumerate(content["sections"]):
        data[f"section-{i}-title"] = section["title"]
        data[f"section-{i}-new"] = ""
        for j, point in enumerate(section["points"]):
            data[f"point-{i}-{j}-text"] = point["text"]
    data.update(changes)
    return data


def test_edit_page_saves_a_new_version(signed_in, summary, draft):
    response = signed_in.post(
        _console("forum_cochairs_edit", summary),
        _edit_data(
            draft,
            **{
                "point-0-0-text": "Local governments first.",
                "point-0-1-delete": "on",
                "section-1-new": "Youth asked for a seat at the table.",
                "note": "Tightened the water section",
            },
        ),
    )
    assert response.status_code == 302
    saved = summary.versions.get(number=2)
    assert saved.note == "Tightened the water section"
    assert [p["text"] for p in saved.content["sections"][0]["points"]] == [
        "Local governments first."
    ]
    assert [p["text"] for p in saved.content["sections"][1]["points"]] == [
        "Respondents asked for simpler access to climate finance.",
        "Youth asked for a seat at the table.",
    ]
    assert (
        saved.content["sections"][0]["points"][0]["sources"]
        == (draft.content["sections"][0]["points"][0]["sources"])
    )


def test_edit_refused_when_changed_meanwhile_keeps_what_was_typed(
    signed_in, editor, summary, draft
):
    cochairs.save_version(
        actor=editor, summary=summary, content=_edited(draft.content, "Meanwhile."), based_on=1
    )
    before = _snapshot(summary)
    response = signed_in.post(
        _console("forum_cochairs_edit", summary),
        _edit_data(draft, **{"point-0-0-text": "My careful rewording.", "section-0-title": ""}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "My careful rewording." in html
    assert "Someone else saved version 2 of this summary" in html
    assert _snapshot(summary) == before


def test_edit_shows_a_section_without_title_at_its_field(signed_in, summary, draft):
    response = signed_in.post(
        _console("forum_cochairs_edit", summary), _edit_data(draft, **{"section-1-title": " "})
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"section-1-title": ["Give this section a title."]}
    assert summary.versions.count() == 1


def test_edit_post_refused_to_a_reviewer(client, summary, draft, event):
    client.force_login(factories.staff(event.programme, ProgrammeRole.Role.REVIEWER))
    before = _snapshot(summary)
    response = client.post(
        _console("forum_cochairs_edit", summary), _edit_data(draft, **{"point-0-0-text": "X."})
    )
    assert response.status_code == 403
    assert _snapshot(summary) == before


def test_versions_page_compares_any_two_versions(signed_in, editor, summary, draft):
    second = cochairs.save_version(
        actor=editor,
        summary=summary,
        content=_edited(draft.content, "Put partnerships with cities at the centre."),
        note="Cities",
        based_on=1,
    )
    cochairs.save_version(
        actor=editor,
        summary=summary,
        content=_edited(second.content, "Put partnerships with cities at the very centre."),
        based_on=2,
    )
    page = signed_in.get(_console("forum_cochairs_versions", summary), {"a": 3, "b": 1})
    assert page.status_code == 200
    html = page.content.decode()
    assert "From version 1 to version 3" in html
    assert "<del>local governments " in html
    assert (
        "<ins>cities </ins>at the <del>centre of SDG 6 delivery.</del><ins>very centre.</ins>"
        in html
    )
    assert "1 changed, 0 added, 0 removed." in html
    assert "Cities" in html  # the notes of the versions


def test_buttons_split_restore_publish_unpublish(signed_in, summary, merged_draft, client):
    response = signed_in.post(
        _console("forum_cochairs_split", summary), {"point": "m1", "based_on": 1}
    )
    assert response.status_code == 302
    assert summary.versions.count() == 2
    signed_in.post(_console("forum_cochairs_restore", summary, number=1), {"based_on": 2})
    assert summary.versions.get(number=3).content == summary.versions.get(number=1).content
    signed_in.post(_console("forum_cochairs_publish", summary, number=2))
    summary.refresh_from_db()
    assert summary.published_version.number == 2
    signed_in.post(_console("forum_cochairs_unpublish", summary))
    summary.refresh_from_db()
    assert summary.status == "draft"
    # A stale split is refused with the reason, nothing saved.
    response = signed_in.post(
        _console("forum_cochairs_split", summary), {"point": "m1", "based_on": 1}, follow=True
    )
    assert "Someone else saved version 3" in response.content.decode()
    assert summary.versions.count() == 3


@pytest.mark.parametrize(
    ("name", "kwargs", "data"),
    [
        ("forum_cochairs_split", {}, {"point": "m1", "based_on": 1}),
        ("forum_cochairs_restore", {"number": 1}, {"based_on": 1}),
        ("forum_cochairs_publish", {"number": 1}, {}),
        ("forum_cochairs_unpublish", {}, {}),
    ],
)
def test_buttons_refused_to_others(client, summary, merged_draft, event, name, kwargs, data):
    before = _snapshot(summary)
    for outsider in _outsiders(event):
        client.force_login(outsider)
        assert client.post(_console(name, summary, **kwargs), data).status_code == 403
    assert _snapshot(summary) == before


def test_summary_page_before_the_first_draft_and_an_old_version(signed_in, editor, event):
    url = reverse(
        "console:forum_cochairs", kwargs={"programme": event.programme.slug, "event": event.slug}
    )
    assert "The first draft has not been compiled yet." in signed_in.get(url).content.decode()
    summary = factories.CoChairsSummaryFactory(event=event)
    draft = factories.SummaryVersionFactory(summary=summary)
    cochairs.save_version(
        actor=editor, summary=summary, content=_edited(draft.content, "Newer."), based_on=1
    )
    old = signed_in.get(_console("forum_cochairs_version", summary, number=1)).content.decode()
    assert "Version 1 (the current version is 2)." in old
    assert draft.content["sections"][0]["points"][0]["text"] in old
    assert "Newer." not in old
    assert signed_in.get(_console("forum_cochairs_version", summary, number=9)).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_saving_at_once_one_is_refused():
    """Two editors save from version 1 at the same moment (two connections, PostgreSQL): the
    summary's row lock makes the second wait, read version 2, and be refused in words; there
    is one version 2."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    event = factories.EventFactory()
    editors = [factories.staff(event.programme), factories.staff(event.programme)]
    summary = factories.CoChairsSummaryFactory(event=event)
    draft = factories.SummaryVersionFactory(summary=summary)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(editor, text):
        try:
            barrier.wait()
            cochairs.save_version(
                actor=editor, summary=summary, content=_edited(draft.content, text), based_on=1
            )
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(editor, f"Edit by editor {n}."))
        for n, editor in enumerate(editors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [
        "Someone else saved version 2 of this summary after the version 1 you started from. "
        "Nothing was saved: open the current version and make your change again.",
        "saved",
    ]
    assert list(summary.versions.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_split_points_are_deattributed_as_the_draft_is(event):
    """The default of ``split_point``: the de-attribution of the compiled draft (organisers,
    organisations and speakers of the event's sessions, as whole words)."""
    ode = factories.OrganisationFactory(name="Ode")
    person = factories.UserFactory(first_name="Li", last_name="Wei")
    session = factories.SessionFactory(event=event)
    session.organisations.set([ode])
    session.organisers.set([person])
    session.speakers.create(name="Maria Santos")
    text = "ODE and Li Wei (Maria Santos) ask for a code of conduct for episodes of drought."
    assert cochairs.deattribute(text, event) == (
        "A participating organisation and a participant ask for a code of conduct for "
        "episodes of drought."
    )
    other_event = factories.EventFactory()
    assert cochairs.deattribute(text, other_event) == text
