"""Reference data installed with the product: UN M49 regions and countries, ISO 4217
currencies, and the SDG framework (17 goals, 169 targets).

Loaded by a data migration from the CSV files in ``reference/data/`` (sources named in
``reference/data/SOURCES.md``), so every database, including each test database, has them.
"""

from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A UN M49 geographic region or sub-region (e.g. 002 Africa, 015 Northern Africa)."""

    class Level(models.TextChoices):
        REGION = "region", _("Region")
        SUB_REGION = "sub_region", _("Sub-region")
        INTERMEDIATE = "intermediate", _("Intermediate region")

    m49 = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    """A country or area (ISO 3166-1) with its M49 placement and groupings."""

    iso2 = models.CharField(max_length=2, primary_key=True)
    iso3 = models.CharField(max_length=3, unique=True)
    m49 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    sub_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    intermediate_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    is_ldc = models.BooleanField(default=False)
    is_lldc = models.BooleanField(default=False)
    is_sids = models.BooleanField(default=False)
    is_developed = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Currency(models.Model):
    """An ISO 4217 currency in use by at least one country."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return f"{self.code} - {self.name}"


class Goal(models.Model):
    """One of the 17 Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"SDG {self.number}: {self.title}"


class Target(models.Model):
    """One of the 169 SDG targets, coded like ``14.1`` or ``5.a``."""

    code = models.CharField(max_length=6, primary_key=True)
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="targets")
    text = models.TextField()
    position = models.PositiveSmallIntegerField(help_text="Order within the goal")

    class Meta:
        ordering = ["goal", "position"]

    def __str__(self) -> str:
        return f"{self.code} {Truncator(self.text).words(14)}"
