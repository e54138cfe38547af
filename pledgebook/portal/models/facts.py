"""The map's and the SDG dashboard's facts: narrow rows derived from the commitments, their
reports and the exchange rates, so that the aggregates of a million commitments are one scan of
a covering index (a live GROUP BY over commitments ⋈ countries ⋈ goals is too slow there).

Written only by :func:`pledgebook.portal.facts.refresh` (from the source tables, never by
hand); read by :mod:`pledgebook.portal.aggregates`.  One :class:`CommitmentFact` per public
commitment (confirmed or featured; the programme's publication is checked when reading), one
:class:`CountryFact` per (public commitment, country it names)."""

from django.db import models

#: Every column a filter or a sum of the map and the dashboard reads (the covering indexes).
COVERED = (
    "programme_id",
    "goals",
    "light",
    "category",
    "types",
    "themes",
    "pledged",
    "disbursed",
    "unconverted",
)
COVER_BY_GOAL = ("goals", "light", *(c for c in COVERED if c not in ("goals", "light")))


class FactColumns(models.Model):
    """What both tables know of a commitment, in a form a scan can filter on."""

    programme_id = models.IntegerField()
    #: Bit g set for each SDG g (1-17) the commitment names.
    goals = models.IntegerField(default=0)
    #: The codes of its types, each between commas (",financial,policy,"): few types, so a
    #: LIKE in the same scan beats a join.
    types = models.CharField(max_length=200, default="")
    #: The ids of its themes, the same way (",12,40,"): a theme filter reads the facts and
    #: their covering index alone (with the programme the theme implies), no join.
    themes = models.CharField(max_length=200, default="")
    #: The stakeholder category of its lead organisation.
    category = models.CharField(max_length=32)
    #: Its status light (``reporting.figures.LIGHTS``) when it was refreshed.
    light = models.CharField(max_length=16)
    #: Money pledged and disbursed so far in US dollars (shared equally between its countries
    #: in :class:`CountryFact`); 0 when it gives none or when it cannot be converted.
    pledged = models.FloatField(default=0)
    disbursed = models.FloatField(default=0)
    #: Its money could not be converted to US dollars (no rate for its currency): counted
    #: separately, never at 1.
    unconverted = models.BooleanField(default=False)

    class Meta:
        abstract = True


class CommitmentFact(FactColumns):
    commitment_id = models.IntegerField(primary_key=True)
    #: When the row was written: a deadline passed since then may have changed its light
    #: (:func:`pledgebook.portal.facts.refresh_overdue`).
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Covering: the dashboard's GROUP BY goals, light reads the index alone, in order.
            models.Index(
                fields=[*COVER_BY_GOAL],
                name="portal_fact_cover",
            ),
            models.Index(fields=["programme_id", "refreshed_at"], name="portal_fact_refreshed"),
        ]

    def __str__(self) -> str:
        return f"commitment {self.commitment_id}"


class CountryFact(FactColumns):
    id = models.BigAutoField(primary_key=True)
    commitment_id = models.IntegerField(db_index=True)
    country_id = models.CharField(max_length=2)

    class Meta:
        indexes = [
            # Covering: the map's GROUP BY country reads the index alone, in order.
            models.Index(fields=["country_id", *COVERED], name="portal_cfact_cover"),
        ]

    def __str__(self) -> str:
        return f"commitment {self.commitment_id} in {self.country_id}"


class FactsVersion(models.Model):
    """One row: a counter every writer of the facts bumps in its own transaction
    (:func:`pledgebook.portal.facts.bump`), so the figures cached under it
    (:mod:`pledgebook.portal.aggregates`) are never served after a change."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    counter = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"facts version {self.counter}"
