"""Public pages of the forum's follow-up digest and impact report: subscribe to a programme's
digests, confirm, unsubscribe, read a digest sent, read an event's impact report.

Unsubscribing is one click two ways (both with the subscriber's secret token in the link):

- mail clients that offer "unsubscribe" POST to the link of the digest's ``List-Unsubscribe``
  header, with ``List-Unsubscribe=One-Click`` (RFC 8058): the POST unsubscribes at once.  It
  carries no CSRF token (the client has none), hence ``csrf_exempt``; the secret token in the
  address is what authorises it, and all it can do is stop mail to that address;
- the link in the body opens a page with ONE button: a GET never unsubscribes, since link
  scanners of mail systems open every link of a mail.

The confirmation link works the same way (a page with one button) for the same reason.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from pledgebook.accounts import throttle
from pledgebook.accounts.forms import Throttled
from pledgebook.core.forms import attempt
from pledgebook.forum import impact
from pledgebook.forum.domain import digest as domain
from pledgebook.forum.models import Digest, Event, Subscriber
from pledgebook.programmes.models import Programme


class SubscribeForm(Throttled, forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy("We send a link to this address to confirm the subscription."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


SENT_SHOWN = 10


def _sent(programme: Programme) -> Any:
    """The digests sent of the programme's published events, newest first."""
    return Digest.objects.filter(
        summary__event__programme=programme,
        summary__event__is_published=True,
        sent_at__isnull=False,
    ).order_by("-sent_at", "-pk")


def _programme(slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug, is_published=True)


def _own_subscription(request: HttpRequest, programme: Programme) -> Subscriber | None:
    user: Any = request.user
    if not user.is_authenticated or not user.email:
        return None
    found = Subscriber.objects.filter(
        programme=programme, email=domain.normalised(user.email)
    ).first()
    return found if found is not None and found.is_active else None


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, programme: str) -> HttpResponse:
    """The subscription page: one button for a signed-in person's own address, a form for
    any address (a confirmation link is sent to it)."""
    found = _programme(programme)
    own = request.method == "POST" and "own" in request.POST
    if own and request.user.is_authenticated:
        try:
            domain.subscribe(programme=found, email=None, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("You are subscribed: the digests of %(programme)s will come to %(email)s.")
                % {"programme": found.name, "email": request.user.email},  # type: ignore[union-attr]
            )
        return redirect("public:forum_subscribe", programme=found.slug)
    form = SubscribeForm(None if own else (request.POST or None))
    if request.method == "POST" and not own:
        form.throttled = throttle.limited(request, "mail")
    if request.method == "POST" and (
        done := attempt(form, lambda data: _subscribe(request, found, data["email"]))
    ):
        if done.value is not None:  # a signed-in person's own address: subscribed at once
            messages.success(
                request,
                _("You are subscribed: the digests of %(programme)s will come to %(email)s.")
                % {"programme": found.name, "email": done.value.email},
            )
            return redirect("public:forum_subscribe", programme=found.slug)
        # The same answer whatever the state of the address: no enumeration.
        return render(
            request,
            "public/forum/subscribe_sent.html",
            {"programme": found, "email": domain.normalised(form.cleaned_data["email"])},
        )
    return render(
        request,
        "public/forum/subscribe.html",
        {
            "programme": found,
            "form": form,
            "subscription": _own_subscription(request, found),
            "digests": _sent(found)[:SENT_SHOWN],
        },
        status=429 if form.throttled else 200,
    )


def _subscribe(request: HttpRequest, programme: Programme, email: str) -> Subscriber | None:
    """Subscribe ``email``; an address that has had its share of confirmation links this
    hour gets none (the person sees the usual answer: nothing tells them so)."""
    user: Any = request.user
    own = user.is_authenticated and domain.normalised(user.email) == domain.normalised(email)
    if not own and not throttle.subscription_link_allowed(request, email):
        return None
    return domain.subscribe(programme=programme, email=email, actor=user)


def _subscriber(token: str) -> Subscriber:
    return get_object_or_404(Subscriber.objects.select_related("programme"), token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token)
    if request.method == "POST":
        domain.confirm_subscription(token=token)
        return render(
            request,
            "public/forum/subscription_done.html",
            {"subscriber": subscriber, "confirmed": True},
        )
    return render(request, "public/forum/subscription_confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058 one-click POST from mail clients: the token authorises (see above)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token)
    if request.method == "POST":
        domain.unsubscribe(token=token)
        return render(
            request,
            "public/forum/subscription_done.html",
            {"subscriber": subscriber, "confirmed": False},
        )
    return render(
        request,
        "public/forum/unsubscribe.html",
        {"subscriber": subscriber, "active": subscriber.is_active},
    )


@require_GET
def digest(request: HttpRequest, programme: str, pk: int) -> HttpResponse:
    """A digest as it was sent (without anyone's unsubscribe link)."""
    found = _programme(programme)
    sent = get_object_or_404(_sent(found), pk=pk)
    return render(request, "public/forum/digest.html", {"programme": found, "digest": sent})


def _ended_event(programme: str, event: str) -> Event:
    found = get_object_or_404(
        Event.objects.public().select_related("programme"), programme__slug=programme, slug=event
    )
    if not impact.has_ended(found):
        raise Http404("The impact report is published once the event has ended.")
    return found


@require_GET
def impact_report(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    found = _ended_event(programme, event)
    return render(
        request,
        "public/forum/impact.html",
        {"report": impact.build(found), "programme": found.programme, "event": found},
    )


@require_GET
def impact_pdf(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    report = impact.build(_ended_event(programme, event))
    response = HttpResponse(impact.render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{impact.pdf_filename(report)}"'
    return response
