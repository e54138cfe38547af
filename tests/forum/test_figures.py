"""Participation figures (forum/figures.py): every breakdown adds up to the places held."""

import pytest

from pledgebook.forum.figures import participation
from pledgebook.forum.models import Registration
from pledgebook.organisations.models import Category
from pledgebook.reference.models import Country
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

Mode, Status, Gender = Registration.Mode, Registration.Status, Registration.Gender


def _register(event, mode, status=Status.REGISTERED, **given):
    return Registration.objects.create(
        event=event, user=UserFactory(), mode=mode, status=status, **given
    )


def test_breakdowns_by_category_region_and_gender_add_up_to_the_places_held():
    event = EventFactory()
    kenya, france = Country.objects.get(iso2="KE"), Country.objects.get(iso2="FR")
    _register(
        event, Mode.IN_PERSON, category=Category.CIVIL_SOCIETY, country=kenya, gender=Gender.WOMAN
    )
    _register(
        event, Mode.IN_PERSON, category=Category.CIVIL_SOCIETY, country=kenya, gender=Gender.MAN
    )
    _register(event, Mode.ONLINE, category=Category.PRIVATE_SECTOR, country=france)
    _register(event, Mode.ONLINE)  # nothing given
    _register(event, Mode.IN_PERSON, Status.WAITLISTED, country=kenya)
    _register(event, Mode.IN_PERSON, Status.CANCELLED, country=kenya)

    figures = participation(event)

    assert (figures.in_person, figures.online, figures.waitlisted) == (2, 2, 1)
    assert figures.total == 4
    for breakdown in (figures.by_category, figures.by_region, figures.by_gender):
        assert breakdown.total == 4
    assert [(key, in_person, online) for key, _, in_person, online in figures.by_region.rows] == [
        (kenya.region_id, 2, 0),
        (france.region_id, 0, 1),
        ("", 0, 1),
    ]
    assert figures.by_region.rows[0][1] == kenya.region.name
    assert figures.by_region.rows[-1][1] == "Not given"
    assert [(key, in_person, online) for key, _, in_person, online in figures.by_gender.rows] == [
        ("man", 1, 0),
        ("woman", 1, 0),
        ("", 0, 2),
    ]
    assert figures.by_category.rows[0][:3] == (
        Category.CIVIL_SOCIETY,
        str(Category.CIVIL_SOCIETY.label),
        2,
    )


def test_another_events_registrations_are_not_counted():
    event, other = EventFactory(), EventFactory()
    _register(other, Mode.IN_PERSON)
    assert participation(event).total == 0
    assert participation(event).by_category.rows == []
