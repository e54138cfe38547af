"""Read-only representations of the public API (v1).

Nothing here reaches a person: organisations are shown by name, slug, category and country,
never by the people who act for them.  Every ``url`` is the absolute address of the public
page, on the host the request came to (``core.site``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pledgebook.coalitions.models import Coalition, Membership, Milestone
from pledgebook.commitments import initiatives
from pledgebook.commitments.assessment import assess
from pledgebook.commitments.models import Application, Commitment
from pledgebook.core.related import listed
from pledgebook.core.site import absolute_url
from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Action, Programme, Theme
from pledgebook.reference.models import Goal
from pledgebook.registry import records
from pledgebook.reporting.figures import LIGHTS, status_lights
from pledgebook.reporting.models import ImplementationStatus, ProgressReport, ReportingCycle


class PublicURLField(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return absolute_url(value.get_absolute_url())


extend_schema_field(OpenApiTypes.URI)(PublicURLField)


def _slugs(slug_field: str, **kwargs: Any) -> serializers.Field:
    """Related objects by one of their fields (a slug, a code)."""
    kwargs.setdefault("read_only", True)
    return serializers.SlugRelatedField(slug_field=slug_field, **kwargs)


def _keys(**kwargs: Any) -> serializers.Field:
    """Related objects by primary key (an SDG number, a country code...)."""
    kwargs.setdefault("read_only", True)
    return serializers.PrimaryKeyRelatedField(**kwargs)


# Every field read-only, so the schema marks each as always present.  (A comment, not a
# docstring: drf-spectacular would inherit a docstring as every object's description.)
class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


# Programmes and themes -------------------------------------------------------------------


class ThemeBriefSerializer(ReadOnlyModelSerializer):
    url = PublicURLField(help_text="Public page of the theme.")

    class Meta:
        model = Theme
        fields = ["id", "slug", "name", "url"]


class ProgrammeSerializer(ReadOnlyModelSerializer):
    url = PublicURLField(help_text="Public page of the programme.")
    commitment_types = _slugs(
        many=True,
        slug_field="code",
        help_text="Codes of the commitment types this programme accepts.",
    )
    registration_is_open = serializers.SerializerMethodField()
    themes = ThemeBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "slug",
            "name",
            "url",
            "kind",
            "summary",
            "starts_on",
            "ends_on",
            "registration_opens_at",
            "registration_closes_at",
            "registration_is_open",
            "commitment_types",
            "application_review_days",
            "leader_min_years",
            "leader_max_years",
            "maker_min_years",
            "maker_max_years",
            "reporting_cycle",
            "themes",
        ]

    def get_registration_is_open(self, obj: Programme) -> bool:
        return obj.registration_is_open()


class ActionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "code", "title", "description"]


class GoalSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Goal
        fields = ["number", "title"]


class ThemeSerializer(ReadOnlyModelSerializer):
    url = PublicURLField(help_text="Public page of the theme.")
    programme = _slugs(slug_field="slug")
    goals = _keys(many=True, help_text="Numbers of the SDGs the theme serves.")

    class Meta:
        model = Theme
        fields = ["id", "slug", "name", "url", "programme", "description", "goals"]


class ThemeDetailSerializer(ThemeSerializer):
    actions = ActionSerializer(many=True, read_only=True, help_text="The theme's blueprint.")
    goals = GoalSerializer(many=True, read_only=True)  # type: ignore[assignment]

    class Meta(ThemeSerializer.Meta):
        fields = [*ThemeSerializer.Meta.fields, "actions"]


# Organisations ----------------------------------------------------------------------------


class OrganisationBriefSerializer(ReadOnlyModelSerializer):
    country = serializers.CharField(source="country_id", help_text="ISO 3166-1 alpha-2 code.")

    class Meta:
        model = Organisation
        fields = ["name", "slug", "category", "country"]


def _organisation_brief(organisation: Organisation) -> dict[str, Any]:
    """:class:`OrganisationBriefSerializer`'s representation, built directly (a commitment's
    lead and co-makers, 50 commitments a page)."""
    country = organisation.country_id
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "category": organisation.category,
        "country": None if country is None else str(country),
    }


class OrganisationSerializer(ReadOnlyModelSerializer):
    url = PublicURLField(help_text="Public page of the organisation.")
    country = serializers.CharField(source="country_id", help_text="ISO 3166-1 alpha-2 code.")
    region = serializers.CharField(
        source="country.region_id", help_text="UN M49 code of the country's region."
    )
    sub_region = serializers.CharField(
        source="country.sub_region_id", help_text="UN M49 code of the country's sub-region."
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "slug",
            "url",
            "category",
            "country",
            "region",
            "sub_region",
            "website",
            "description",
            "is_grassroots",
        ]


class MembershipSerializer(ReadOnlyModelSerializer):
    """An approved application: the organisation takes part in a theme."""

    programme = _slugs(slug_field="slug")
    theme = ThemeBriefSerializer(read_only=True)
    since = serializers.DateTimeField(source="decided_at", allow_null=True)

    class Meta:
        model = Application
        fields = ["programme", "theme", "role", "since"]


class OrganisationDetailSerializer(OrganisationSerializer):
    memberships = MembershipSerializer(many=True, read_only=True, source="public_memberships")

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "memberships"]


# Commitments ------------------------------------------------------------------------------


class CriterionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="impact, funding, endorsement, collective or smart.")
    label = serializers.CharField()  # type: ignore[assignment]
    met = serializers.BooleanField()


class AssessmentSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="Number of criteria met, 0 to 5.")
    label = serializers.CharField()  # type: ignore[assignment]
    criteria = CriterionSerializer(many=True)


class ThemeRefSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "slug", "name"]


class ActionRefSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "code", "title"]


class CommitmentSerializer(ReadOnlyModelSerializer):
    url = PublicURLField(help_text="Public page of the commitment.")
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in Commitment.PUBLIC_STATUSES]
    )
    programme = _slugs(slug_field="slug")
    lead_organisation = OrganisationBriefSerializer(source="organisation", read_only=True)
    co_makers = serializers.SerializerMethodField(help_text="Co-makers that confirmed their part.")
    types = _slugs(many=True, slug_field="code")
    themes = ThemeRefSerializer(many=True, read_only=True)
    actions = ActionRefSerializer(many=True, read_only=True)
    goals = _keys(many=True, help_text="SDG numbers.")
    targets = _keys(many=True, help_text="SDG target codes, e.g. 5.a.")
    countries = _keys(many=True, help_text="ISO 3166-1 alpha-2 codes.")
    regions = _keys(many=True, help_text="UN M49 codes.")
    currency = serializers.CharField(
        source="currency_id", allow_null=True, help_text="ISO 4217 code."
    )
    initiative = serializers.SerializerMethodField(
        help_text=(
            "One initiative registered several times (by several organisations, or in two "
            "registries), linked by the secretariat: its registrations share this number. "
            "Null for a commitment registered once."
        )
    )
    assessment = serializers.SerializerMethodField()
    status_light = serializers.SerializerMethodField(
        help_text=(
            "Progress reporting, counting only the cycles the commitment is expected to "
            "report in: reported (a report in the latest of them), due (no report yet, not "
            "due yet), late (its report is due and missing), inactive (no report in the two "
            "latest cycles whose report was due) or none (no cycle expects it yet)."
        )
    )

    class Meta:
        model = Commitment
        fields = [
            "id",
            "url",
            "title",
            "description",
            "status",
            "programme",
            "lead_organisation",
            "co_makers",
            "types",
            "themes",
            "actions",
            "goals",
            "targets",
            "scope",
            "countries",
            "regions",
            "starts_on",
            "ends_on",
            "amount",
            "currency",
            "funds_are_new",
            "endorsement_level",
            "is_conditional",
            "submitted_at",
            "decided_at",
            "initiative",
            "assessment",
            "status_light",
        ]

    def to_representation(self, instance: Commitment) -> dict[str, Any]:
        """The fields above, with the relations read from the prefetch by hand
        (:func:`core.related.listed`): through the nested serializers and related fields, a
        page of 50 commitments spent ~110 ms making related managers, cloning querysets and
        copying serializers.  The scalar fields go through their declared fields, so formats
        (dates, amounts) stay DRF's; a test holds the result equal to DRF's own."""
        relations = {
            "programme": instance.programme.slug,
            "lead_organisation": _organisation_brief(instance.organisation),
            "co_makers": self.get_co_makers(instance),
            "types": [t.code for t in listed(instance, "types")],
            "themes": [
                {"id": t.pk, "slug": t.slug, "name": t.name} for t in listed(instance, "themes")
            ],
            "actions": [
                {"id": a.pk, "code": a.code, "title": a.title} for a in listed(instance, "actions")
            ],
            **{
                name: [o.pk for o in listed(instance, name)]
                for name in ("goals", "targets", "countries", "regions")
            },
        }
        representation: dict[str, Any] = {}
        for field in self._readable_fields:
            name = str(field.field_name)
            if name in relations:
                representation[name] = relations[name]
                continue
            value = field.get_attribute(instance)
            representation[name] = None if value is None else field.to_representation(value)
        return representation

    @extend_schema_field(OrganisationBriefSerializer(many=True))
    def get_co_makers(self, obj: Commitment) -> list[dict[str, Any]]:
        return [
            _organisation_brief(c.organisation) for c in listed(obj, "co_makers") if c.confirmed_at
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_initiative(self, obj: Commitment) -> int | None:
        return initiatives.initiative_id(obj)

    @extend_schema_field(AssessmentSerializer)
    def get_assessment(self, obj: Commitment) -> dict[str, Any]:
        result = assess(records.assessment_data(obj), listed(obj, "assessment_overrides"))
        return {
            "score": result.score,
            "label": result.label,
            "criteria": [{"key": c.key, "label": c.label, "met": c.met} for c in result.criteria],
        }

    @extend_schema_field(serializers.ChoiceField(choices=list(LIGHTS)))
    def get_status_light(self, obj: Commitment) -> str:
        # A list computes the lights of its page at once (``status_lights`` in the context).
        lights = self.context.get("status_lights")
        if not lights or obj.pk not in lights:
            lights = status_lights([obj])
        return lights[obj.pk]


# Progress reports -------------------------------------------------------------------------


class CycleBriefSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = ReportingCycle
        fields = ["id", "name", "kind", "status", "opens_at", "deadline", "closes_at"]


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    baseline = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    target = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)


class ProgressReportSerializer(ReadOnlyModelSerializer):
    """The latest submitted version of a commitment's report in one cycle."""

    cycle = CycleBriefSerializer(read_only=True)
    implementation_status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    disbursed_currency = serializers.CharField(
        source="disbursed_currency_id",
        allow_null=True,
        help_text="ISO 4217 code; null means the pledged currency.",
    )
    indicators = IndicatorValueSerializer(many=True, read_only=True, source="values")

    class Meta:
        model = ProgressReport
        fields = [
            "cycle",
            "version",
            "implementation_status",
            "submitted_at",
            "disbursed_amount",
            "disbursed_currency",
            "exchange_rate",
            "indicators",
        ]


class CommitmentProgressSerializer(serializers.Serializer):
    commitment = serializers.IntegerField(help_text="Id of the commitment.")
    status_light = serializers.ChoiceField(choices=list(LIGHTS))
    reports = ProgressReportSerializer(
        many=True, help_text="The latest submitted report of each cycle, newest cycle first."
    )


# Exports ----------------------------------------------------------------------------------


class ExporterSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    verbose_name = serializers.CharField()
    subject = serializers.CharField(help_text="What it lists, e.g. commitments.")
    content_type = serializers.CharField()
    url = serializers.URLField(help_text="Download address; add the subject's filters.")


# Coalitions -------------------------------------------------------------------------------


class CoalitionMemberSerializer(serializers.Serializer):
    # An active member, by organisation name, category and country; never an e-mail address.
    name = serializers.CharField()
    category = serializers.CharField(help_text="Stakeholder category code.")
    country = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-2 code.")
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class CoalitionMilestoneSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "status"]


class CoalitionSerializer(ReadOnlyModelSerializer):
    url = serializers.SerializerMethodField(help_text="Public page of the coalition.")
    programme = _slugs(slug_field="slug")
    state = serializers.ChoiceField(choices=[(s.value, s.label) for s in Coalition.PUBLIC_STATES])
    themes = ThemeRefSerializer(many=True, read_only=True)
    goals = _keys(many=True, help_text="SDG numbers.")

    class Meta:
        model = Coalition
        fields = [
            "slug",
            "name",
            "url",
            "programme",
            "state",
            "summary",
            "website",
            "is_pre_existing",
            "themes",
            "goals",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: Coalition) -> str:
        return absolute_url(obj.get_absolute_url())


class CoalitionDetailSerializer(CoalitionSerializer):
    principles = serializers.SerializerMethodField()
    asks = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField(help_text="Active members, leads first.")
    milestones = CoalitionMilestoneSerializer(many=True, read_only=True)

    class Meta(CoalitionSerializer.Meta):
        fields = [
            *CoalitionSerializer.Meta.fields,
            "reported_members",
            "principles",
            "asks",
            "members",
            "milestones",
        ]

    def get_principles(self, obj: Coalition) -> list[str]:
        return [p.text for p in obj.principles.all()]  # type: ignore[attr-defined]

    def get_asks(self, obj: Coalition) -> list[str]:
        return [a.text for a in obj.asks.all()]  # type: ignore[attr-defined]

    @extend_schema_field(CoalitionMemberSerializer(many=True))
    def get_members(self, obj: Coalition) -> list[dict[str, Any]]:
        rows = []
        for m in obj.active_members:  # type: ignore[attr-defined]
            org = m.organisation
            rows.append(
                {
                    "name": org.name if org else m.invited_name,
                    "category": org.category if org else m.invited_category,
                    "country": org.country_id if org else m.invited_country_id,
                    "role": m.role,
                }
            )
        rows.sort(key=lambda r: (r["role"] != Membership.Role.LEAD, r["name"].casefold()))
        return rows
