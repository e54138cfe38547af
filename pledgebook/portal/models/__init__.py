"""The portal's models, one module per part (map facts, partner finder, pitch pipeline,
knowledge hub)."""

from pledgebook.portal.models.facts import (  # noqa: F401
    CommitmentFact,
    CountryFact,
    FactsVersion,
)
from pledgebook.portal.models.finder import ContactRequest  # noqa: F401
from pledgebook.portal.models.hub import CaseStudy, CaseStudyCategory  # noqa: F401
from pledgebook.portal.models.pitch import *  # noqa: F403
