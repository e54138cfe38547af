"""The partner finder in the demo: the texts of the demo's coalitions and commitments in the
similarity engine (so that "similar work" shows at once, without waiting for the background
indexing), and contact requests through the platform: one answered, one waiting for leader@
(Amani Women's Rights Network) to answer, one declined."""

from __future__ import annotations

from typing import Any

from pledgebook.coalitions.indexing import COALITION_KIND
from pledgebook.coalitions.models import Coalition
from pledgebook.coalitions.similar import similarity_text
from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.portal.domain import finder as contact
from pledgebook.portal.finder import COMMITMENT_KIND, commitment_text
from pledgebook.portal.models import ContactRequest
from pledgebook.similarity import engine

#: (from, to, about the coalition whose name starts so (or ""), message, answer, declined)
REQUESTS = [
    (
        "amani",
        "baobab",
        "A Feminist Pact",
        "We lead the Feminist Pact coalition with women's rights organisations in Kenya, "
        "Argentina and Bangladesh. Your trust funds girls' programmes in West Africa: would you "
        "join the coalition and co-fund survivor-led shelters? We can share our progress "
        "reports and indicators.",
        "Thank you: this fits our 2026 call for girls' safety. Our programme team will invite "
        "you to a call next week to talk about the shelters' budget and reporting.",
        False,
    ),
    (
        "ocean-guardians",
        "amani",
        "",
        "Ocean Guardians of the Pacific works with women fishers in Samoa and Fiji. We would "
        "like to learn from your survivor-led approach and explore a South-South exchange of "
        "community facilitators.",
        "",
        False,
    ),
    (
        "kestrel",
        "codeher",
        "",
        "Kestrel Mobile Networks would like to offer data bundles and mentors to CodeHer "
        "Africa Youth's coding clubs in Ghana.",
        "Thank you, but we are fully partnered for this year; please write again in 2027.",
        True,
    ),
]


def index_texts() -> None:
    """The coalitions' and commitments' vectors now (skipped when unchanged)."""
    engine.index_many(
        COALITION_KIND,
        (
            (c.pk, similarity_text(c))
            for c in Coalition.objects.live().prefetch_related("principles", "asks")
        ),
    )
    engine.index_many(
        COMMITMENT_KIND,
        ((c.pk, commitment_text(c)) for c in Commitment.objects.public()),
    )


def load(loader: Any) -> None:
    """Called by ``load_demo`` after the coalitions and the forum."""
    index_texts()
    for sender, recipient, about, message, answer, declined in REQUESTS:
        coalition = Coalition.objects.filter(name__startswith=about).first() if about else None
        request = contact.send_contact_request(
            actor=loader.people[sender],
            sender=loader.orgs[sender],
            recipient=loader.orgs[recipient],
            message=message,
            coalition=coalition,
        )
        if declined:
            contact.decline_contact_request(
                actor=loader.people[recipient], request=request, reason=answer
            )
        elif answer:
            contact.reply_contact_request(
                actor=loader.people[recipient], request=request, reply=answer
            )


def forget(programmes: Any, organisations: Any) -> None:
    """Before the demo is deleted (``load_demo --reset``): the vectors of its commitments and
    the audit entries of its contact requests (kept by id, with no programme, so the deletion
    of the programmes and organisations leaves them)."""
    for pk in Commitment.objects.filter(programme__in=programmes).values_list("pk", flat=True):
        engine.remove(COMMITMENT_KIND, pk)
    requests = ContactRequest.objects.filter(sender__in=organisations).values_list("pk", flat=True)
    AuditEntry.objects.filter(
        object_type=ContactRequest._meta.label_lower, object_id__in=list(requests)
    ).delete()


def counts(programmes: list[Any]) -> dict[str, int]:
    rows = ContactRequest.objects.all()
    return {
        f"contact requests {status.value}": rows.filter(status=status).count()
        for status in ContactRequest.Status
    }
