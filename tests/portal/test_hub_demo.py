"""The demo's knowledge hub: case studies made through the domain, linked to the authors' own
demo commitments and their reported values, published and indexed; one awaiting review."""

from io import StringIO

import pytest
from django.core.management import call_command

from pledgebook.demo import portal_hub
from pledgebook.portal.hub.indexing import KIND
from pledgebook.portal.hub.validation import own_commitments, reported_values
from pledgebook.portal.models import CaseStudy
from pledgebook.programmes.models import Programme
from pledgebook.similarity.models import Vector

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_has_case_studies_with_reported_figures():
    call_command("load_demo", stdout=StringIO())
    published = CaseStudy.objects.published()
    assert published.count() == 5
    assert list(
        CaseStudy.objects.filter(status=CaseStudy.Status.SUBMITTED).values_list("title", flat=True)
    ) == ["Community childcare centres as the base of a national care economy"]
    for cs in CaseStudy.objects.all():
        own = own_commitments([cs.organisation_id])
        assert set(cs.commitments.all()) <= set(own), cs.title
        allowed = reported_values(cs.commitments.values_list("pk", flat=True))
        assert set(cs.indicator_values.all()) <= set(allowed), cs.title
    cited = {cs.organisation.slug: cs.indicator_values.count() for cs in CaseStudy.objects.all()}
    assert cited["amani-womens-rights-network"] == 3
    assert cited["kestrel-mobile-networks"] == 2
    assert set(Vector.objects.filter(kind=KIND).values_list("object_id", flat=True)) == set(
        published.values_list("pk", flat=True)
    )
    portal_hub.forget_vectors(Programme.objects.all())
    assert Vector.objects.filter(kind=KIND).count() == 0
