"""An organisation's own work: its profile and people, applications, commitments.

Views only read, validate and call domain functions (``commitments.domain``,
``organisations.domain``); they never assign a status.  A refusal is a 403 or 404 and changes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pledgebook.accounts.landing import works_on_programmes
from pledgebook.commitments import domain as commitments_domain
from pledgebook.commitments.assessment import assess
from pledgebook.commitments.models import Application, CoMaker, Commitment
from pledgebook.commitments.suggest import NothingToSuggestFrom, commitment_text, suggest
from pledgebook.commitments.validation import CommitmentData
from pledgebook.core.forms import act, add_domain_errors, attempt
from pledgebook.core.models import AuditEntry
from pledgebook.forum.summary_status import tasks_of
from pledgebook.organisations import domain as organisations_domain
from pledgebook.organisations.models import Organisation, Representative
from pledgebook.programmes.models import Programme
from pledgebook.registry import records
from pledgebook.workspace.forms import (
    AddPersonForm,
    ApplyForm,
    CommitmentForm,
    DeclineForm,
    OrganisationForm,
)

PAGE_SIZE = 50


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "workspace/denied.html", {"message": message}, status=403)


def _represents(user: Any, organisation: Organisation) -> bool:
    return user.has_perm("organisations.act_for_organisation", organisation)


def commitments_of(user: Any) -> QuerySet[Commitment]:
    """Commitments led by the organisations ``user`` acts for, with everything the
    assessment reads, in a fixed number of queries."""
    return (
        Commitment.objects.filter(organisation__representative__user=user)
        .select_related("programme", "organisation", "currency")
        .prefetch_related(
            "types",
            "themes",
            "actions",
            "goals",
            "targets",
            "countries",
            "regions",
            "assessment_overrides",
            Prefetch("co_makers", queryset=CoMaker.objects.select_related("organisation")),
        )
        .order_by("-updated_at", "-id")
    )


def _with_assessment(commitments: list[Commitment]) -> list[Commitment]:
    for c in commitments:
        c.assessment = assess(  # type: ignore[attr-defined]
            CommitmentData.from_commitment(c), c.assessment_overrides.all()
        )
    return commitments


def _pending_invitations(user: Any) -> QuerySet[CoMaker]:
    return (
        CoMaker.objects.pending()
        .filter(organisation__representative__user=user)
        .exclude(commitment__status=Commitment.Status.DECLINED)
        .select_related("organisation", "commitment__organisation", "commitment__programme")
        .order_by("-commitment__updated_at", "pk")
    )


def _approved_pairs(user: Any) -> list[tuple[Organisation, Programme]]:
    """(organisation, programme) where ``user`` acts for an organisation approved in a theme."""
    seen: dict[tuple[int, int], tuple[Organisation, Programme]] = {}
    rows = (
        Application.objects.approved()
        .filter(organisation__representative__user=user)
        .select_related("organisation", "programme")
        .order_by("organisation__name", "programme__name")
    )
    for app in rows:
        seen.setdefault((app.organisation_id, app.programme_id), (app.organisation, app.programme))
    return list(seen.values())


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# Home ------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    seats = list(
        Representative.objects.filter(user=user)
        .select_related("organisation__country")
        .order_by("organisation__name")
    )
    applications = list(
        Application.objects.filter(organisation__representative__user=user)
        .select_related("programme", "theme", "organisation")
        .order_by("-submitted_at", "-id")
    )
    commitments = _with_assessment(list(commitments_of(user)))
    return render(
        request,
        "workspace/home.html",
        {
            "seats": seats,
            "applications": applications,
            "commitments": commitments,
            "invitations": list(_pending_invitations(user)),
            "can_create_commitment": bool(_approved_pairs(user)) if seats else False,
            "works_on_programmes": works_on_programmes(user),
            "summary_tasks": [r for r in tasks_of(user, timezone.now()) if r.is_open],
        },
    )


# Organisations ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = organisations_domain.create_organisation(
            actor=request.user, organisation=form.save(commit=False)
        )
        messages.success(
            request,
            _("%(org)s is registered. You are its admin.") % {"org": organisation},
        )
        return redirect("workspace:organisation", slug=organisation.slug)
    return render(request, "workspace/organisation_form.html", {"form": form})


def _organisation_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    person_form: AddPersonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    people = (
        Representative.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_admin", "user__first_name", "user__email")
    )
    can_manage = request.user.has_perm("organisations.change_organisation", organisation)
    return render(
        request,
        "workspace/organisation_detail.html",
        {
            "organisation": organisation,
            "people": people,
            "can_manage": can_manage,
            "person_form": person_form or (AddPersonForm() if can_manage else None),
        },
        status=status,
    )


@login_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("country__region", "country__sub_region"), slug=slug
    )
    if not _represents(request.user, organisation):
        raise Http404
    return _organisation_page(request, organisation)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("country__region"), slug=slug
    )
    if not request.user.has_perm("organisations.change_organisation", organisation):
        return _denied(
            request, _("Only the admins of %(org)s can edit it.") % {"org": organisation}
        )
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        changed = [name for name in form.changed_data if name in form.Meta.fields]
        if changed:
            organisations_domain.update_organisation(
                actor=request.user, organisation=form.instance, fields=changed
            )
            messages.success(request, _("The profile is saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("workspace:organisation", slug=organisation.slug)
    return render(
        request,
        "workspace/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@login_required
@require_POST
def organisation_add_person(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("country__region", "country__sub_region"), slug=slug
    )
    if not request.user.has_perm("organisations.change_organisation", organisation):
        return _denied(
            request,
            _("Only the admins of %(org)s can add people to it.") % {"org": organisation},
        )
    form = AddPersonForm(request.POST)
    if attempt(
        form,
        lambda data: organisations_domain.add_representative(
            actor=request.user, organisation=organisation, user=form.user, is_admin=data["is_admin"]
        ),
    ):
        messages.success(
            request,
            _("%(email)s can now act for %(org)s.")
            % {"email": form.user.email, "org": organisation},
        )
        return redirect("workspace:organisation", slug=organisation.slug)
    return _organisation_page(request, organisation, person_form=form)


# Applications ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    programme = None
    if wanted := request.GET.get("programme"):
        # A slug in links from the public pages; the select's own value (a pk) from HTMX.
        published = Programme.objects.filter(is_published=True)
        programme = published.filter(slug=wanted).first()
        if programme is None and wanted.isdigit():
            programme = published.filter(pk=int(wanted)).first()
    form = ApplyForm(request.POST or None, user=request.user, programme=programme)
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: commitments_domain.apply_to_join(
                actor=request.user,
                organisation=data["organisation"],
                themes=data["themes"],
                role=data["role"],
                motivation=data["motivation"],
            ),
        )
    ):
        messages.success(
            request,
            _(
                "Your application is received. The secretariat decides by %(date)s; "
                "you will get a mail."
            )
            % {"date": date_format(timezone.localtime(done.value[0].due_at), "j F Y")},
        )
        return redirect("workspace:applications")
    user: Any = request.user
    has_organisation = Representative.objects.filter(user=user).exists()
    if request.headers.get("HX-Request") == "true" and request.method == "GET":
        # The programme select asks for the themes of the chosen programme.
        return render(request, "workspace/_apply_themes.html", {"form": form})
    return render(
        request, "workspace/apply.html", {"form": form, "has_organisation": has_organisation}
    )


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = (
        Application.objects.filter(organisation__representative__user=user)
        .select_related("programme", "theme", "organisation")
        .order_by("-submitted_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/applications.html", {"page": page})


# Commitments -----------------------------------------------------------------------------


@login_required
def commitments(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = Paginator(commitments_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_assessment(list(page.object_list))
    co_made = (
        CoMaker.objects.filter(organisation__representative__user=user)
        .select_related("organisation", "commitment__organisation", "commitment__programme")
        .order_by("-commitment__updated_at", "pk")
    )
    return render(
        request,
        "workspace/commitment_list.html",
        {"page": page, "co_made": co_made, "can_create": bool(_approved_pairs(request.user))},
    )


def _context_from_query(
    request: HttpRequest,
) -> tuple[Organisation, Programme] | HttpResponse | None:
    """The lead organisation and programme named by ``?organisation=&programme=``."""
    org_slug = request.GET.get("organisation")
    programme_slug = request.GET.get("programme")
    if not (org_slug and programme_slug):
        return None
    organisation = get_object_or_404(Organisation, slug=org_slug)
    if not _represents(request.user, organisation):
        return _denied(
            request,
            _("You do not act for %(org)s.") % {"org": organisation},
        )
    programme = get_object_or_404(Programme, slug=programme_slug)
    if (
        not Application.objects.approved()
        .filter(organisation=organisation, programme=programme)
        .exists()
    ):
        return _denied(
            request,
            _(
                "%(org)s is not a confirmed member of any theme of %(programme)s yet: apply "
                "to join first."
            )
            % {"org": organisation, "programme": programme},
        )
    return organisation, programme


def _latest_reason(commitment: Commitment | None) -> str:
    """The reviewers' reason for the current status, when it is returned or declined."""
    if commitment is None or commitment.status not in (
        Commitment.Status.RETURNED,
        Commitment.Status.DECLINED,
    ):
        return ""
    entry = (
        AuditEntry.objects.filter(
            object_type=commitment._meta.label_lower,
            object_id=commitment.pk,
            action=f"commitment.{commitment.status}",
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return entry.reason if entry else ""


def _overrides(commitment: Commitment | None) -> list[Any]:
    if commitment is None or commitment.pk is None:
        return []
    return list(commitment.assessment_overrides.all())


def _render_commitment_form(
    request: HttpRequest,
    form: CommitmentForm,
    *,
    commitment: Commitment | None,
    data: CommitmentData | None = None,
    status: int = 200,
    sdg: dict[str, Any] | None = None,
) -> HttpResponse:
    if data is None:
        data = form.to_data() if form.is_bound else None
    if data is None:
        data = (
            CommitmentData.from_commitment(commitment)
            if commitment is not None
            else CommitmentData(programme=form.programme, organisation=form.organisation)
        )
    if commitment is not None:
        action = reverse("workspace:commitment_edit", kwargs={"pk": commitment.pk})
        assessment_query = urlencode({"commitment": commitment.pk})
    else:
        query = {"organisation": form.organisation.slug, "programme": form.programme.slug}
        action = reverse("workspace:commitment_create") + "?" + urlencode(query)
        assessment_query = urlencode(query)
    programme = form.programme
    return render(
        request,
        "workspace/commitment_form.html",
        {
            "form": form,
            "commitment": commitment,
            "programme": programme,
            "organisation": form.organisation,
            "action": action,
            "assessment_url": reverse("workspace:commitment_assessment") + "?" + assessment_query,
            "sdg_suggest_url": reverse("workspace:commitment_sdg_suggest") + "?" + assessment_query,
            "sdg_suggestions": None,
            **(sdg or {}),
            "assessment": assess(data, _overrides(commitment)),
            "registration_open": programme.registration_is_open(),
            "reason": _latest_reason(commitment),
        },
        status=status,
    )


def _save_commitment(
    request: HttpRequest,
    *,
    organisation: Organisation,
    programme: Programme,
    commitment: Commitment | None,
) -> HttpResponse:
    """POST of the commitment form: save the draft, then (if asked) submit it."""
    form = CommitmentForm(
        request.POST, programme=programme, organisation=organisation, instance=commitment
    )
    if not form.is_valid():
        return _render_commitment_form(request, form, commitment=commitment)
    # save_draft locks the row and checks the permission on it: a colleague's submission in
    # another tab cannot be undone by this save; ``target`` comes back with the current status.
    target = commitment or Commitment(programme=programme, organisation=organisation)
    form.apply_to(target)
    commitments_domain.save_draft(
        actor=request.user,
        commitment=target,
        co_makers=form.cleaned_data["co_makers"],
        **form.m2m(),
    )
    if "submit" not in request.POST:
        messages.success(request, _("Your draft is saved."))
        return redirect("workspace:commitment_edit", pk=target.pk)
    try:
        commitments_domain.submit_commitment(actor=request.user, commitment=target)
    except ValidationError as error:
        # The draft is saved (above); show why it could not be submitted, on its own form.
        form = CommitmentForm(
            request.POST, programme=programme, organisation=organisation, instance=target
        )
        form.is_valid()
        add_domain_errors(form, error)
        messages.warning(request, _("Your draft is saved, but it was not submitted."))
        return _render_commitment_form(request, form, commitment=target)
    messages.success(
        request,
        _(
            "Your commitment is submitted. The programme's reviewers will read it; "
            "you will get a mail."
        ),
    )
    return redirect("workspace:commitment_detail", pk=target.pk)


@login_required
@require_http_methods(["GET", "POST"])
def commitment_create(request: HttpRequest) -> HttpResponse:
    resolved = _context_from_query(request)
    if isinstance(resolved, HttpResponse):
        return resolved
    if resolved is None:
        pairs = _approved_pairs(request.user)
        if len(pairs) == 1:
            organisation, programme = pairs[0]
            query = urlencode({"organisation": organisation.slug, "programme": programme.slug})
            return redirect(reverse("workspace:commitment_create") + "?" + query)
        return render(request, "workspace/commitment_choose.html", {"pairs": pairs})
    organisation, programme = resolved
    if request.method == "POST":
        return _save_commitment(
            request, organisation=organisation, programme=programme, commitment=None
        )
    form = CommitmentForm(programme=programme, organisation=organisation)
    return _render_commitment_form(request, form, commitment=None)


def _lead_commitment(request: HttpRequest, pk: int) -> Commitment:
    """A commitment of an organisation the user acts for (404 otherwise)."""
    commitment = get_object_or_404(
        Commitment.objects.select_related("programme", "organisation", "currency"), pk=pk
    )
    if not _represents(request.user, commitment.organisation):
        raise Http404
    return commitment


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _lead_commitment(request, pk)
    if not request.user.has_perm("commitments.change_commitment", commitment):
        return _denied(
            request,
            _(
                "This commitment is %(status)s and can no longer be edited. It comes back to "
                "you if the reviewers return it for revision."
            )
            % {"status": commitment.get_status_display().lower()},
        )
    if request.method == "POST":
        return _save_commitment(
            request,
            organisation=commitment.organisation,
            programme=commitment.programme,
            commitment=commitment,
        )
    form = CommitmentForm(
        programme=commitment.programme, organisation=commitment.organisation, instance=commitment
    )
    return _render_commitment_form(
        request, form, commitment=commitment, data=CommitmentData.from_commitment(commitment)
    )


def commitment_form_context(
    request: HttpRequest, *, to_change: bool = False
) -> tuple[Organisation, Programme, Commitment | None] | HttpResponse:
    """The lead organisation, programme and commitment of the commitment form, for the requests
    it makes while the maker writes (the live assessment, the SDG suggestions, the similar
    commitments): ``?commitment=`` when editing (404 unless the user acts for its organisation;
    with ``to_change``, 403 once it can no longer be edited), else ``?organisation=&programme=``
    (404 without them, 403 unless the user acts for an organisation approved in the programme)."""
    if pk := request.GET.get("commitment"):
        if not pk.isdigit():
            raise Http404
        commitment = _lead_commitment(request, int(pk))
        if to_change and not request.user.has_perm("commitments.change_commitment", commitment):
            return _denied(request, _("This commitment can no longer be edited."))
        return commitment.organisation, commitment.programme, commitment
    resolved = _context_from_query(request)
    if resolved is None:
        raise Http404
    if isinstance(resolved, HttpResponse):
        return resolved
    organisation, programme = resolved
    return organisation, programme, None


@login_required
@require_POST
def commitment_assessment(request: HttpRequest) -> HttpResponse:
    """The assessment of what is in the form now (HTMX partial, while drafting)."""
    resolved = commitment_form_context(request)
    if isinstance(resolved, HttpResponse):
        return resolved
    organisation, programme, commitment = resolved
    form = CommitmentForm(
        request.POST,
        programme=programme,
        organisation=organisation,
        instance=commitment,
        check_rules=False,
    )
    form.is_valid()
    return render(
        request,
        "workspace/_assessment.html",
        {"assessment": assess(form.to_data(), _overrides(commitment))},
    )


SDG_SUGGESTIONS = 3


@login_required
@require_POST
def commitment_sdg_suggest(request: HttpRequest) -> HttpResponse:
    """The commitment form again, with the goals and targets suggested from its text
    (``commitments.suggest``): asked for, accepted (ticks the goal and target in the form) or
    dismissed.  Nothing is saved: the maker saves the form.  HTMX swaps the SDG part of the page
    (hx-select); without scripts the whole form comes back with everything typed kept."""
    resolved = commitment_form_context(request, to_change=True)
    if isinstance(resolved, HttpResponse):
        return resolved
    organisation, programme, commitment = resolved
    data = request.POST.copy()
    dismissed = [k for k in dict.fromkeys(data.getlist("sdg_dismissed")) if k.isdigit()]
    if (dismiss := data.get("sdg_dismiss", "")).isdigit() and dismiss not in dismissed:
        dismissed.append(dismiss)
    goal, _sep, target = data.get("sdg_accept", "").partition(":")
    if goal.isdigit() and 1 <= int(goal) <= 17:
        if goal not in data.getlist("goals"):
            data.appendlist("goals", goal)
        if target.startswith(f"{goal}.") and target not in data.getlist("targets"):
            data.appendlist("targets", target)
    form = CommitmentForm(
        data, programme=programme, organisation=organisation, instance=commitment, check_rules=False
    )
    form.is_valid()
    typed = form.to_data()
    form.errors.clear()  # asking for suggestions is not saving: no "required" errors yet
    chosen = {str(g.pk) for g in typed.goals}
    context: dict[str, Any] = {"sdg_dismissed": dismissed, "sdg_message": ""}
    try:
        found = suggest(
            commitment_text(typed.title, typed.description),
            k=SDG_SUGGESTIONS + len(dismissed),
        )
    except NothingToSuggestFrom as error:
        context["sdg_message"] = error.args[0]
    else:
        shown = [s for s in found if str(s.goal) not in dismissed][:SDG_SUGGESTIONS]
        context["sdg_suggestions"] = [
            {**vars(s), "key": s.key, "accepted": str(s.goal) in chosen} for s in shown
        ]
    return _render_commitment_form(request, form, commitment=commitment, data=typed, sdg=context)


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_page(request, pk)


def _commitment_page(
    request: HttpRequest, pk: int, *, bound: DeclineForm | None = None, status: int = 200
) -> HttpResponse:
    """The workspace page of a commitment, for its lead and its co-makers (404 to anyone
    else); ``bound`` re-shows a refused decline form with what was typed."""
    commitment = get_object_or_404(
        Commitment.objects.select_related("programme", "organisation", "currency")
        .prefetch_related(
            "types", "themes", "actions__theme", "goals", "targets", "countries", "regions"
        )
        .prefetch_related(
            Prefetch("co_makers", queryset=CoMaker.objects.select_related("organisation")),
            Prefetch("assessment_overrides"),
        ),
        pk=pk,
    )
    user: Any = request.user
    is_lead = _represents(user, commitment.organisation)
    my_org_ids = set(
        Representative.objects.filter(user=user).values_list("organisation_id", flat=True)
    )
    co_rows = list(commitment.co_makers.all())
    if not is_lead and not any(row.organisation_id in my_org_ids for row in co_rows):
        raise Http404
    overrides = list(commitment.assessment_overrides.all())
    for row in co_rows:
        row.commitment = commitment  # one object: its status decides what may be answered
    mine = [row for row in co_rows if row.organisation_id in my_org_ids]
    return render(
        request,
        "workspace/commitment_detail.html",
        {
            "commitment": commitment,
            "co_rows": co_rows,
            "my_rows": [
                (
                    row,
                    row.may_answer(CoMaker.State.CONFIRMED),
                    row.may_answer(CoMaker.State.DECLINED),
                    bound
                    if bound is not None and bound.prefix == f"decline-{row.pk}"
                    else DeclineForm(prefix=f"decline-{row.pk}"),
                )
                for row in mine
            ],
            "my_pending": [row for row in mine if row.state == CoMaker.State.PENDING],
            "is_lead": is_lead,
            "can_edit": user.has_perm("commitments.change_commitment", commitment),
            "assessment": assess(
                records.with_record(
                    CommitmentData.from_commitment(commitment), records.record_of(commitment)
                ),
                overrides,
            ),
            "reason": _latest_reason(commitment),
        },
        status=status,
    )


def _my_co_maker_row(request: HttpRequest, pk: int) -> CoMaker:
    co_maker = get_object_or_404(
        CoMaker.objects.select_related(
            "organisation", "commitment__organisation", "commitment__programme"
        ),
        pk=pk,
    )
    if not _represents(request.user, co_maker.organisation):
        raise PermissionDenied
    return co_maker


@login_required
@require_POST
def co_maker_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    co_maker = _my_co_maker_row(request, pk)
    if co_maker.state == CoMaker.State.CONFIRMED:
        messages.info(request, _("This part was already confirmed."))
        return redirect(_safe_next(request, reverse("workspace:home")))
    return act(
        request,
        lambda: commitments_domain.confirm_co_maker(actor=request.user, co_maker=co_maker),
        success=_("%(org)s is confirmed as co-maker of “%(title)s”.")
        % {"org": co_maker.organisation, "title": co_maker.commitment.title},
        to=_safe_next(request, reverse("workspace:home")),
    )


@login_required
@require_POST
def co_maker_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline a co-maker part, with an optional reason for the lead organisation."""
    co_maker = _my_co_maker_row(request, pk)
    detail = reverse("workspace:commitment_detail", kwargs={"pk": co_maker.commitment_id})
    form = DeclineForm(request.POST, prefix=f"decline-{co_maker.pk}")
    if not form.is_valid():
        # Too long a reason: said at the field, with what was typed.
        return _commitment_page(request, co_maker.commitment_id, bound=form)
    if co_maker.state == CoMaker.State.DECLINED:
        messages.info(request, _("This part was already declined."))
        return redirect(_safe_next(request, detail))
    return act(
        request,
        lambda: commitments_domain.decline_co_maker(
            actor=request.user, co_maker=co_maker, reason=form.cleaned_data["reason"]
        ),
        success=_("%(org)s declined to co-make “%(title)s”; %(lead)s is told.")
        % {
            "org": co_maker.organisation,
            "title": co_maker.commitment.title,
            "lead": co_maker.commitment.organisation,
        },
        to=_safe_next(request, detail),
    )
