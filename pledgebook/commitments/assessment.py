"""The five criteria of a strong commitment (seed 001, section 7), computed from a
commitment's fields and text, with concrete advice per criterion.

Reviewers can override any criterion with a note (:class:`AssessmentOverride`); the computed
value stays visible beside the override.  The public page ``/how-commitments-are-assessed/``
renders :data:`CRITERIA` and the thresholds below, so the rules are documented where they live.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.commitments.models import HIGH_ENDORSEMENT, AssessmentOverride
from pledgebook.commitments.validation import CommitmentData

IMPACT_MIN_WORDS = 60
SPECIFIC_MIN_TITLE_WORDS = 4

CRITERIA = {
    "impact": gettext_lazy("Potential for impact"),
    "funding": gettext_lazy("Funding"),
    "endorsement": gettext_lazy("Level of endorsement"),
    "collective": gettext_lazy("Collective nature"),
    "smart": gettext_lazy("SMART"),
}

_NUMBER = re.compile(r"\d")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    computed: bool
    met: bool
    advice: tuple[str, ...]
    override_note: str = ""

    @property
    def overridden(self) -> bool:
        return bool(self.override_note)


@dataclass(frozen=True)
class Assessment:
    criteria: tuple[CriterionResult, ...]

    @property
    def score(self) -> int:
        return sum(1 for c in self.criteria if c.met)

    @property
    def label(self) -> str:
        if self.score == len(self.criteria):
            return _("Strong commitment")
        if self.score >= 3:
            return _("Good, can be strengthened")
        return _("Needs work")


def _impact(d: CommitmentData) -> list[str]:
    advice = []
    if len(d.description.split()) < IMPACT_MIN_WORDS:
        advice.append(
            _("Describe the change you aim for and who benefits, in at least %(n)s words.")
            % {"n": IMPACT_MIN_WORDS}
        )
    if not d.actions:
        advice.append(_("Link the blueprint actions this commitment advances."))
    if not _NUMBER.search(d.description):
        advice.append(_("Say how many people, places or institutions the change will reach."))
    if not (d.countries or d.regions or d.scope == "global"):
        advice.append(_("Say where the commitment applies: countries, regions or global."))
    return advice


def _funding(d: CommitmentData) -> list[str]:
    advice = []
    if d.amount is None or d.currency is None:
        advice.append(_("State the resources behind the commitment: an amount and its currency."))
    if d.funds_are_new is not True:
        advice.append(_("Strong commitments bring new or scaled-up funds: say if yours are new."))
    return advice


def _endorsement(d: CommitmentData) -> list[str]:
    if d.endorsement_level in HIGH_ENDORSEMENT:
        return []
    return [
        _(
            "Seek endorsement at the highest level: Head of State or Government, a minister, "
            "or the head of your organisation."
        )
    ]


def _collective(d: CommitmentData) -> list[str]:
    if d.confirmed_co_makers:
        return []
    if len(d.co_makers) > d.declined_co_makers:
        return [_("Waiting for your co-makers to confirm their part.")]
    return [_("Design it with other stakeholders: invite co-makers from your coalition.")]


def _smart(d: CommitmentData) -> list[str]:
    advice = []
    text = f"{d.title} {d.description}"
    if len(d.title.split()) < SPECIFIC_MIN_TITLE_WORDS or not (d.actions or d.targets):
        advice.append(
            _("Be specific: a title that says what will be done, linked to actions or targets.")
        )
    if not _NUMBER.search(d.description):
        advice.append(
            _("Name a measurable target and a date (for example “train 500 teachers by 2027”).")
        )
    if d.ends_on is None or not _YEAR.search(text):
        advice.append(_("Make it time-bound: give an end date and say by when each result comes."))
    if not (d.targets or d.goals):
        advice.append(_("Show its relevance: link the SDG targets it contributes to."))
    return advice


_RULES = {
    "impact": _impact,
    "funding": _funding,
    "endorsement": _endorsement,
    "collective": _collective,
    "smart": _smart,
}


def assess(data: CommitmentData, overrides: Iterable[AssessmentOverride] = ()) -> Assessment:
    by_key = {o.criterion: o for o in overrides}
    results = []
    for key, rule in _RULES.items():
        advice = tuple(rule(data))
        computed = not advice
        override = by_key.get(key)
        results.append(
            CriterionResult(
                key=key,
                label=str(CRITERIA[key]),
                computed=computed,
                met=override.met if override else computed,
                advice=advice,
                override_note=override.note if override else "",
            )
        )
    return Assessment(criteria=tuple(results))
