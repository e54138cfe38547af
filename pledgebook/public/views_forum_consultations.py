"""A consultation's public page: its questions as a form, while it is open, to its audience
(anyone, anyone signed in, or the commitment makers of a theme); and, once it has closed, its
results: the recurring themes of the answers with their counts and representative quotes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.accounts import throttle
from pledgebook.core.forms import attempt
from pledgebook.forum.domain import consultations as domain
from pledgebook.forum.models import Consultation
from pledgebook.forum.validation import ANSWER_MAX_CHARS, audience_refusal
from pledgebook.reference.models import Country


class ResponseForm(forms.Form):
    error_css_class = "field-error"

    name = forms.CharField(
        label=gettext_lazy("Your name (optional)"), max_length=200, required=False
    )
    organisation_name = forms.CharField(
        label=gettext_lazy("Organisation (optional)"), max_length=300, required=False
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Stakeholder category (optional)"), required=False
    )
    country = forms.ModelChoiceField(
        label=gettext_lazy("Country (optional)"), queryset=Country.objects.none(), required=False
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(consultation.questions.all())
        answer_fields = {
            f"q{q.pk}": forms.CharField(
                label=_("%(question)s (required)") % {"question": q.text} if q.required else q.text,
                help_text=q.help_text,
                required=False,  # the domain says which are required, at the field
                max_length=ANSWER_MAX_CHARS,
                widget=forms.Textarea(
                    attrs={"rows": 4, **({"required": ""} if q.required else {})}
                ),
            )
            for q in self.questions
        }
        self.fields = {**answer_fields, **self.fields}
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *consultation.programme.category_choices(),
        ]
        self.fields["country"].queryset = Country.objects.order_by("name")  # type: ignore[attr-defined]

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") or "" for q in self.questions}


def _consultation(programme: str, slug: str) -> Consultation:
    return get_object_or_404(
        Consultation.objects.select_related("programme", "theme", "event"),
        programme__slug=programme,
        programme__is_published=True,
        slug=slug,
        is_published=True,
    )


def consultation(request: HttpRequest, programme: str, slug: str) -> HttpResponse:
    found = _consultation(programme, slug)
    now = timezone.now()
    refusal = audience_refusal(request.user, found, now)
    form = ResponseForm(request.POST or None, consultation=found)
    throttled = (
        request.method == "POST"
        and not request.user.is_authenticated
        and throttle.limited(request, "consultation")
    )
    if throttled:
        form.is_valid()
        form.add_error(
            None,
            _(
                "Too many responses have come from your connection in the last hour: nothing "
                "was sent. Try again later, or sign in to respond."
            ),
        )
    elif request.method == "POST" and attempt(
        form,
        lambda data: domain.respond(
            actor=request.user,
            consultation=found,
            answers=form.answers(),
            name=data.get("name", ""),
            organisation_name=data.get("organisation_name", ""),
            category=data.get("category", ""),
            country=data.get("country"),
            now=now,
        ),
    ):
        messages.success(request, _("Thank you: your response was received."))
        return redirect(request.path + "?thanks=1")
    return render(
        request,
        "public/forum/consultation.html",
        {
            "consultation": found,
            "form": form,
            "refusal": refusal,
            "closed": now >= found.closes_at,
            "thanks": request.GET.get("thanks") == "1",
        },
        status=429 if throttled else 400 if form.errors else 200,
    )


def results(request: HttpRequest, programme: str, slug: str) -> HttpResponse:
    found = _consultation(programme, slug)
    if timezone.now() < found.closes_at:
        raise Http404("The results are published once the consultation has closed.")
    return render(
        request,
        "public/forum/consultation_results.html",
        {
            "consultation": found,
            "by_question": domain.themes_by_question(found),
            "responses": found.responses.count(),
        },
    )
