"""The portal's models, one module per part (map facts, partner finder, pitch pipeline,
knowledge hub)."""

from pledgebook.portal.models.facts import CommitmentFact, CountryFact  # noqa: F401
