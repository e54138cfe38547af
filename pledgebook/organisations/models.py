"""Organisations (stakeholders) and the people who act for them."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The stakeholder taxonomy: one category per organisation, shared by every programme
    (each shows the subset it chooses, ``Programme.stakeholder_categories``).

    Built from the Major Groups and other Stakeholders of the UN (Agenda 21, section III;
    A/RES/66/288 para. 43; A/RES/67/290 para. 15), the categories of seed 001 section 17
    (Generation Equality) and the entity types of the UN registries (the #OceanAction
    registry, the UN Climate Initiatives Platform); how each of those maps onto it is the one
    mapping table ``organisations/data/entity_types.csv`` (see ``data/SOURCES.md``).  The eight
    codes of the first version (``member_state`` … ``other``) are kept, with narrower labels
    where a category was split.  Order: :data:`GROUPS`."""

    # Governments and public authorities
    MEMBER_STATE = "member_state", _("Member State (national government)")
    GOVERNMENT = "government", _("Government department, agency or other public institution")
    PARLIAMENT = "parliament", _("Parliament or parliamentarians")
    LOCAL_AUTHORITY = "local_authority", _("Local or regional authority")
    # The United Nations and international organisations
    UN_SYSTEM = "un_system", _("United Nations entity (agency, fund, programme, office)")
    INTERNATIONAL = "international", _("Intergovernmental or regional organisation")
    IFI = "ifi", _("International financial institution or development bank")
    # Civil society: the Major Groups of the UN that are not listed elsewhere
    WOMEN = "women", _("Women's and feminist organisation or movement")
    YOUTH_LED = "youth_led", _("Youth-led organisation (children and youth)")
    INDIGENOUS_PEOPLES = "indigenous_peoples", _("Indigenous Peoples' organisation")
    CIVIL_SOCIETY = "civil_society", _("Non-governmental or civil society organisation")
    WORKERS = "workers", _("Workers and trade unions")
    FARMERS = "farmers", _("Farmers' organisation")
    PERSONS_WITH_DISABILITIES = (
        "persons_with_disabilities",
        _("Organisation of persons with disabilities"),
    )
    AGEING = "ageing", _("Organisation of older persons")
    VOLUNTEERS = "volunteers", _("Volunteer group")
    FAITH_BASED = "faith_based", _("Faith-based organisation")
    # Business and finance
    PRIVATE_SECTOR = "private_sector", _("Business and industry (private sector)")
    FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution (bank, investor)")
    PHILANTHROPY = "philanthropy", _("Philanthropy and foundations")
    # Knowledge and media
    ACADEMIA = "academia", _("University or other education and academic institution")
    SCIENCE = "science", _("Scientific and technological community, research institute")
    MEDIA = "media", _("Media")
    # Others
    PARTNERSHIP = "partnership", _("Network, alliance or multi-stakeholder partnership")
    OTHER = "other", _("Other")


class CategoryGroup(models.TextChoices):
    """Headings under which forms list the categories (``<optgroup>``)."""

    PUBLIC = "public", _("Governments and public authorities")
    INTERNATIONAL = "international", _("The United Nations and international organisations")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ECONOMY = "economy", _("Business and finance")
    KNOWLEDGE = "knowledge", _("Knowledge and media")
    OTHER = "other", _("Other")


#: Every category under its heading, in the order forms, filters and reports list them.
GROUPS: dict[str, tuple[str, ...]] = {
    CategoryGroup.PUBLIC: (
        Category.MEMBER_STATE,
        Category.GOVERNMENT,
        Category.PARLIAMENT,
        Category.LOCAL_AUTHORITY,
    ),
    CategoryGroup.INTERNATIONAL: (Category.UN_SYSTEM, Category.INTERNATIONAL, Category.IFI),
    CategoryGroup.CIVIL_SOCIETY: (
        Category.WOMEN,
        Category.YOUTH_LED,
        Category.INDIGENOUS_PEOPLES,
        Category.CIVIL_SOCIETY,
        Category.WORKERS,
        Category.FARMERS,
        Category.PERSONS_WITH_DISABILITIES,
        Category.AGEING,
        Category.VOLUNTEERS,
        Category.FAITH_BASED,
    ),
    CategoryGroup.ECONOMY: (
        Category.PRIVATE_SECTOR,
        Category.FINANCIAL_INSTITUTION,
        Category.PHILANTHROPY,
    ),
    CategoryGroup.KNOWLEDGE: (Category.ACADEMIA, Category.SCIENCE, Category.MEDIA),
    CategoryGroup.OTHER: (Category.PARTNERSHIP, Category.OTHER),
}


def all_categories() -> list[str]:
    """Every category code, in taxonomy order (the default of a new programme)."""
    return [str(code) for codes in GROUPS.values() for code in codes]


def category_label(code: str) -> str:
    """The label of a category code; an unknown code is shown as it is."""
    try:
        return str(Category(code).label)
    except ValueError:
        return code


def grouped_choices(codes: Iterable[str] | None = None) -> list[tuple[Any, list[tuple[str, Any]]]]:
    """Choices for a form field, under their headings: every category, or those of ``codes``
    (a programme's), in taxonomy order; empty headings left out."""
    wanted = None if codes is None else set(codes)
    grouped = []
    for group, members in GROUPS.items():
        choices = [
            (str(code), Category(code).label)
            for code in members
            if wanted is None or code in wanted
        ]
        if choices:
            grouped.append((CategoryGroup(group).label, choices))
    return grouped


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    category = models.CharField(_("stakeholder category"), max_length=32, choices=Category.choices)
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        verbose_name=_("country of headquarters"),
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_grassroots = models.BooleanField(_("grassroots organisation"), default=False)
    people: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Representative", related_name="organisations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # indexed: the last change of any organisation (reporting.figures.fingerprint)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:organisation", kwargs={"slug": self.slug})

    @property
    def region(self):
        return self.country.region


class Representative(models.Model):
    """A person who acts for an organisation.  Admins manage its people."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    is_admin = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_seat_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.organisation}"
