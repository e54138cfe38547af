"""Case studies in the similarity engine (kind ``case_study``), for the hub's search by
meaning.  A case study is put in the engine's backlog when it is published (its text cannot
change while published: only a draft or a returned one is edited); the low-priority task reads
the current text from :func:`text_of` when it runs."""

from __future__ import annotations

from pledgebook.similarity import engine
from pledgebook.similarity.tasks import queue_index

KIND = "case_study"


def similarity_text(case_study: object) -> str:
    """What describes the model: title, summary, problem and approach (the model reads about
    350 words: the rest of the template would be cut anyway)."""
    parts = [
        getattr(case_study, name, "")
        for name in ("title", "summary", "problem", "approach", "results")
    ]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def text_of(pk: int) -> str | None:
    from pledgebook.portal.models import CaseStudy

    row = CaseStudy.objects.filter(pk=pk).first()
    return None if row is None else similarity_text(row)


def register_text_sources() -> None:
    """Called once from ``PortalConfig.ready``."""
    engine.register_text_source(KIND, text_of)


def reindex(case_study: object) -> None:
    """Queue the (re)indexing of a case study's text (inside the publishing transaction)."""
    queue_index(KIND, [case_study.pk], scope=case_study.programme_id)  # type: ignore[attr-defined]
