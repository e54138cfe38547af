"""The portal's models, one module per part (map facts, partner finder, pitch pipeline,
knowledge hub)."""

from pledgebook.portal.models.hub import CaseStudy, CaseStudyCategory  # noqa: F401
