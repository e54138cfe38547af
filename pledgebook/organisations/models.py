"""Organisations (stakeholders) and the people who act for them."""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Stakeholder categories, after Generation Equality FAQ (seed 001) section 17."""

    MEMBER_STATE = "member_state", _("Member state")
    GOVERNMENT = "government", _("Government department, local authority or parliament")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    PHILANTHROPY = "philanthropy", _("Philanthropy")
    INTERNATIONAL = (
        "international",
        _("UN agency, international or regional organisation, IFI"),
    )
    CIVIL_SOCIETY = (
        "civil_society",
        _("Women's and feminist organisation, civil society"),
    )
    YOUTH_LED = "youth_led", _("Youth-led organisation")
    OTHER = "other", _("Academia, research, media, faith-based, other")


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
