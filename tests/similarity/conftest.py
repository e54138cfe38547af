"""The model loads once per test session (about 0.2 s) and the labelled set is embedded once."""

import numpy as np
import pytest

from pledgebook.similarity import embedding
from tests.similarity.labelled_pairs import MATCHING, NOT_MATCHING


@pytest.fixture(scope="session")
def model():
    embedding.embed(["warm up"])
    return embedding


@pytest.fixture(scope="session")
def labelled(model):
    """(texts, vectors): texts[2i] and texts[2i+1] are pair i, MATCHING pairs first."""
    texts = [text for pair in MATCHING + NOT_MATCHING for text in pair]
    vectors = model.embed(texts)
    assert vectors.shape == (len(texts), embedding.DIM)
    return texts, vectors


def unit(*weights: float, dim: int = embedding.DIM) -> np.ndarray:
    """A hand-made unit vector whose first coordinates are ``weights``."""
    vector = np.zeros(dim, dtype=np.float32)
    vector[: len(weights)] = weights
    return vector / np.linalg.norm(vector)


@pytest.fixture(autouse=True)
def _no_shared_index(settings, tmp_path_factory):
    """Every similarity test starts without a shared base index (a developer's var/ may hold
    one): the index directory is an empty one of the test's own."""
    settings.SIMILARITY_INDEX_DIR = str(tmp_path_factory.mktemp("similarity-index"))
