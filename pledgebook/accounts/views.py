"""Sign-up with e-mail verification, sign-in (landing: ``accounts.landing``), sign-out, password
reset, and one's own account (download one's data, delete the account)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from pledgebook.accounts import domain, throttle
from pledgebook.accounts.forms import (
    DeleteAccountForm,
    EmailAuthenticationForm,
    QueuedPasswordResetForm,
    ResendVerificationForm,
    SignupForm,
)
from pledgebook.accounts.landing import landing_url
from pledgebook.core.forms import attempt
from pledgebook.organisations.models import Representative

SESSION_SIGNUP_EMAIL = "accounts.signup_email"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class ThrottledFormMixin:
    """A form view whose POSTs count against ``throttle_group`` (``accounts.throttle``); over
    the limit the form is refused with 429."""

    throttle_group = ""

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        form.throttled = throttle.limited(self.request, self.throttle_group)  # type: ignore[attr-defined]
        return form

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)  # type: ignore[misc]
        if form.throttled:
            response.status_code = 429
        return response


def _render_form(request: HttpRequest, template: str, form: Any) -> HttpResponse:
    return render(request, template, {"form": form}, status=429 if form.throttled else 200)


class LoginView(auth_views.LoginView):
    """Sign-in.  Only failures are counted (:mod:`pledgebook.accounts.throttle`): a client
    refused for an address gets 429 before its password is checked."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_form(self, form_class: Any = None) -> Any:
        form: Any = super().get_form(form_class)
        form.throttled = throttle.login_refused(self.request)
        return form

    def form_invalid(self, form: Any) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            throttle.login_failed(self.request)
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["resend_form"] = (
            ResendVerificationForm(initial={"email": form.unverified_email})
            if getattr(form, "unverified_email", "")
            else None
        )
        return context


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    form = SignupForm(request.POST or None)
    form.throttled = throttle.limited(request, "signup")
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # The same answer whether or not the address has an account (its owner is told by
        # mail instead): sign-up does not reveal who has an account.
        domain.register(
            email=email,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            tell_owner=throttle.signup_notice_allowed(request, email),
        )
        request.session[SESSION_SIGNUP_EMAIL] = email
        return redirect("accounts:verification_sent")
    return _render_form(request, "accounts/signup.html", form)


@never_cache
def verification_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/verification_sent.html",
        {"email": request.session.get(SESSION_SIGNUP_EMAIL, "")},
    )


@never_cache
@require_http_methods(["GET"])
def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = domain.user_from_uidb64(uidb64)
    if user is not None and user.is_active:
        messages.info(request, _("Your e-mail address is already verified. Please sign in."))
        return redirect("accounts:login")
    if not domain.verify(user=user, token=token):
        return render(
            request,
            "accounts/verify_invalid.html",
            {"form": ResendVerificationForm()},
            status=400,
        )
    login(request, user, backend=MODEL_BACKEND)
    request.session.pop(SESSION_SIGNUP_EMAIL, None)
    messages.success(request, _("Your e-mail address is verified. Welcome to Pledgebook!"))
    return redirect(landing_url(user))


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST or None)
    form.throttled = throttle.limited(request, "mail")
    if request.method == "POST" and form.is_valid():
        domain.resend_verification(email=form.cleaned_data["email"])
        # The same answer whether or not an account is waiting: no address enumeration.
        return render(
            request,
            "accounts/verification_sent.html",
            {"email": form.cleaned_data["email"], "resent": True},
        )
    return _render_form(request, "accounts/resend_verification.html", form)


class PasswordResetView(ThrottledFormMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    throttle_group = "mail"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password from the link in the mail, which signs the person in: the way back in
    for an owner whose client was refused by the sign-in limits."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["landing_url"] = landing_url(user) if user.is_authenticated else ""
        return context


# One's own account -------------------------------------------------------------------------


def _account_page(
    request: HttpRequest, delete_form: DeleteAccountForm, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "seats": Representative.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name"),
            "consequences": domain.deletion_consequences(user),
            "delete_form": delete_form,
        },
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request, DeleteAccountForm())


@login_required
@never_cache
@require_http_methods(["POST"])
def account_export(request: HttpRequest) -> HttpResponse:
    """One's own data as a JSON download."""
    data = domain.personal_data(actor=request.user, user=request.user)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="pledgebook-my-data-{stamp}.json"'
    return response


@sensitive_post_parameters("password")
@login_required
@never_cache
@require_http_methods(["POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST)
    if attempt(
        form,
        lambda data: domain.delete_account(
            actor=request.user, user=request.user, password=data["password"]
        ),
    ):
        logout(request)
        messages.success(
            request, _("Your account is deleted. We have sent a confirmation to your address.")
        )
        return redirect("public:home")
    return _account_page(request, form, status=400)
