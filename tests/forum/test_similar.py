"""Forum texts in the similarity engine: stored vectors are read back, missing or changed
ones are embedded (once) and stored."""

import numpy as np
import pytest

from pledgebook.forum.similar import RECOMMENDATION_KIND, vectors
from pledgebook.similarity import engine
from pledgebook.similarity.embedding import stats
from pledgebook.similarity.models import Vector
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def test_vectors_are_embedded_once_and_read_back_while_the_text_is_the_same():
    a = RecommendationFactory(text="Scale up blended finance for ocean conservation.")
    b = RecommendationFactory(text="Put women at the centre of climate adaptation plans.")
    items = [(a.pk, a.text), (b.pk, b.text)]

    first = vectors(RECOMMENDATION_KIND, items)
    assert Vector.objects.filter(kind=RECOMMENDATION_KIND).count() == 2
    embedded = stats.texts_embedded
    again = vectors(RECOMMENDATION_KIND, items)

    assert stats.texts_embedded == embedded  # nothing computed the second time
    assert np.allclose(first, again, atol=1e-3)
    assert np.allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-3)
    assert np.allclose(first[0], engine.embed([a.text])[0], atol=1e-3)


def test_a_changed_text_is_embedded_again():
    a = RecommendationFactory(text="Scale up blended finance for ocean conservation.")
    before = vectors(RECOMMENDATION_KIND, [(a.pk, a.text)])[0]
    after = vectors(RECOMMENDATION_KIND, [(a.pk, "Ban bottom trawling in marine parks.")])[0]

    assert not np.allclose(before, after, atol=1e-2)
    stored = Vector.objects.get(kind=RECOMMENDATION_KIND, object_id=a.pk)
    assert stored.text_digest == engine.digest("Ban bottom trawling in marine parks.")


def test_the_task_reads_the_current_text_of_a_recommendation():
    a = RecommendationFactory(text="Fund community health workers.")
    assert engine.current_text(RECOMMENDATION_KIND, a.pk) == "Fund community health workers."
    assert engine.index_object(RECOMMENDATION_KIND, a.pk) is True
    a.delete()
    assert engine.current_text(RECOMMENDATION_KIND, a.pk) is None
