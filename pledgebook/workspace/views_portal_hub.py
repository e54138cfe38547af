"""An organisation's case studies for the knowledge hub: write one (the sections of UN DESA's
SDG Good Practices template), save it as a draft, link its own commitments and the indicator
values reported for them, submit it to the programme's secretariat, revise it once returned
(``portal.hub.domain``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.commitments.models import Commitment
from pledgebook.core.forms import add_domain_errors, attempt
from pledgebook.organisations.models import Organisation, grouped_choices
from pledgebook.portal.hub import domain
from pledgebook.portal.hub.reads import value_label
from pledgebook.portal.hub.validation import own_commitments, reported_values
from pledgebook.portal.models import CaseStudy
from pledgebook.programmes.models import Programme
from pledgebook.reference.models import Country, Goal, Region, Target
from pledgebook.reporting.models import IndicatorValue
from pledgebook.workspace.forms import RegionsField

SEVERAL = gettext_lazy("Hold Ctrl (Cmd on a Mac) to select several.")


def _text(label: Any, help_text: Any = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CaseStudyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), queryset=Programme.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    summary = _text(
        gettext_lazy("Summary"), gettext_lazy("Two or three sentences for the list."), rows=3
    )
    problem = _text(
        gettext_lazy("Problem: context and objectives"),
        gettext_lazy("What situation did the practice address, and what did it set out to do?"),
    )
    approach = _text(
        gettext_lazy("Approach: methodology and key activities"),
        gettext_lazy("How it was implemented: the steps, the activities, who did what."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Partner organisations on the platform"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=SEVERAL,
    )
    other_partners = _text(
        gettext_lazy("Other partners"),
        gettext_lazy("Partners not on the platform, one a line."),
        rows=3,
    )
    results = _text(
        gettext_lazy("Results, outcomes and impact"),
        gettext_lazy("What changed; link below the commitments and reported figures that show it."),
    )
    commitments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Commitments whose results this shows"),
        queryset=Commitment.objects.public(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Public commitments your organisation leads or co-makes (confirmed), in the "
            "programme chosen above."
        ),
    )
    indicator_values = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Reported indicator values"),
        queryset=IndicatorValue.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Figures from the submitted progress reports of those commitments: they are shown "
            "with the case study, as reported."
        ),
    )
    enabling_factors = _text(gettext_lazy("Enabling factors"))
    constraints = _text(gettext_lazy("Constraints and challenges"))
    replicability = _text(
        gettext_lazy("Sustainability and replicability"),
        gettext_lazy("How can it be sustained, replicated elsewhere or scaled up?"),
    )
    lessons = _text(gettext_lazy("Lessons learned"))
    goals = forms.ModelMultipleChoiceField(
        label=gettext_lazy("SDGs"),
        queryset=Goal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    targets = forms.ModelMultipleChoiceField(
        label=gettext_lazy("SDG targets (optional)"),
        queryset=Target.objects.select_related("goal").order_by("goal_id", "position"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=SEVERAL,
    )
    countries = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Countries"),
        queryset=Country.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=SEVERAL,
    )
    regions = RegionsField(
        label=gettext_lazy("Regions"),
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=SEVERAL,
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Stakeholder categories involved"),
        choices=grouped_choices(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=SEVERAL,
    )

    def __init__(self, *args: Any, user: Any, case_study: CaseStudy | None = None, **kw: Any):
        super().__init__(*args, **kw)
        organisations = Organisation.objects.filter(representative__user=user).order_by("name")
        mine = own_commitments(organisations.values_list("pk", flat=True)).select_related(
            "programme", "organisation"
        )
        if case_study is not None:
            del self.fields["organisation"]
            mine = own_commitments([case_study.organisation_id]).select_related(
                "programme", "organisation"
            )
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        mine = mine.order_by("programme__name", "title", "pk")
        programmes = Programme.objects.filter(pk__in=mine.values("programme_id")).order_by("name")
        if case_study is not None:
            programmes = Programme.objects.filter(
                pk__in=[*programmes.values_list("pk", flat=True), case_study.programme_id]
            ).order_by("name")
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        # One organisation, one programme: chosen already.
        if case_study is None and len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]
        if case_study is None and len(programmes) == 1:
            self.fields["programme"].initial = programmes[0]
        several_orgs = case_study is None and organisations.count() > 1
        # The boxes list only one's own commitments and their reported values; the fields
        # accept any, so that another organisation's is refused by the content rule, at the
        # field, in words.
        self.fields["commitments"].widget.choices = [
            (
                c.pk,
                f"{c.organisation.name} · {c.programme.name}: {c.title}"
                if several_orgs
                else f"{c.programme.name}: {c.title}",
            )
            for c in mine
        ]
        values = (
            reported_values(list(mine.values_list("pk", flat=True)))
            .select_related("indicator", "report__cycle", "report__commitment")
            .order_by(
                "report__commitment__title", "-report__cycle__deadline", "indicator__position"
            )
        )
        self.fields["indicator_values"].widget.choices = [(v.pk, value_label(v)) for v in values]
        self.has_commitments = bool(self.fields["commitments"].widget.choices)
        self.fields["partners"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]


def _initial(case_study: CaseStudy) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(case_study, name) for name in domain.TEXT_FIELDS}
    for name in domain.LINK_FIELDS:
        data[name] = list(getattr(case_study, name).all())
    data["programme"] = case_study.programme
    data["categories"] = case_study.category_codes
    return data


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in (*domain.TEXT_FIELDS, *domain.LINK_FIELDS)}


def _mine(request: HttpRequest, pk: int) -> CaseStudy:
    """One of the person's organisations' case studies (another's: 404)."""
    user: Any = request.user
    return get_object_or_404(
        CaseStudy.objects.select_related("organisation", "programme"),
        pk=pk,
        organisation__representative__user=user,
    )


@login_required
def case_studies(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = (
        CaseStudy.objects.filter(organisation__representative__user=user)
        .select_related("organisation", "programme")
        .order_by("-updated_at", "-pk")
    )
    return render(request, "workspace/portal/case_studies.html", {"case_studies": rows})


def _save_and_maybe_submit(
    request: HttpRequest, form: CaseStudyForm, case_study: CaseStudy | None
) -> HttpResponse | None:
    """Save the draft first; then, for "Submit", submit it (a refusal shows at the fields and
    the saved draft stays)."""
    done = attempt(
        form,
        lambda data: domain.save_case_study(
            actor=request.user,
            organisation=data.get("organisation") or (case_study and case_study.organisation),
            programme=data["programme"],
            case_study=case_study,
            categories=data["categories"],
            **_fields(data),
        ),
    )
    if not done:
        return None
    saved = done.value
    if "submit" not in request.POST:
        messages.success(request, _("Draft saved."))
        return redirect("workspace:case_study_edit", pk=saved.pk)
    try:
        domain.submit_case_study(actor=request.user, case_study=saved)
    except ValidationError as exc:
        add_domain_errors(form, exc)
        form.saved = saved  # type: ignore[attr-defined]
        return None
    messages.success(
        request, _("Case study submitted: the secretariat will tell you when it is published.")
    )
    return redirect("workspace:case_studies")


@login_required
def case_study_create(request: HttpRequest) -> HttpResponse:
    form = CaseStudyForm(request.POST or None, user=request.user)
    if request.method == "POST":
        response = _save_and_maybe_submit(request, form, None)
        if response is not None:
            return response
        saved = getattr(form, "saved", None)
        if saved is not None:  # saved, not submitted: carry on editing the draft
            messages.info(request, _("Draft saved; it could not be submitted yet."))
            return _render(request, form, saved, status=400)
    return _render(request, form, None, status=400 if form.errors else 200)


@login_required
def case_study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case_study = _mine(request, pk)
    if not case_study.is_editable:
        if request.method == "POST":
            raise PermissionDenied
        return render(
            request,
            "workspace/portal/case_study_readonly.html",
            {"case_study": case_study},
        )
    form = CaseStudyForm(
        request.POST or None,
        user=request.user,
        case_study=case_study,
        initial=None if request.method == "POST" else _initial(case_study),
    )
    if request.method == "POST":
        response = _save_and_maybe_submit(request, form, case_study)
        if response is not None:
            return response
    return _render(request, form, case_study, status=400 if form.errors else 200)


def _render(
    request: HttpRequest, form: CaseStudyForm, case_study: CaseStudy | None, *, status: int
) -> HttpResponse:
    has_organisation = case_study is not None or form.fields["organisation"].queryset.exists()  # type: ignore[attr-defined]
    return render(
        request,
        "workspace/portal/case_study_form.html",
        {"form": form, "case_study": case_study, "has_organisation": has_organisation},
        status=status,
    )
