"""Sign-up with e-mail verification, sign-in, sign-out and password reset."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from pledgebook.accounts import domain, throttle
from pledgebook.accounts.forms import (
    EmailAuthenticationForm,
    QueuedPasswordResetForm,
    ResendVerificationForm,
    SignupForm,
)

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


class LoginView(ThrottledFormMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    throttle_group = "login"

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
        return redirect("workspace:home")
    form = SignupForm(request.POST or None)
    form.throttled = throttle.limited(request, "signup")
    if request.method == "POST" and form.is_valid():
        try:
            domain.register(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except domain.DuplicateEmail:
            # Lost a race with another sign-up for the same address.
            form.add_error("email", _("An account with this e-mail address already exists."))
        else:
            request.session[SESSION_SIGNUP_EMAIL] = form.cleaned_data["email"]
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
    return redirect("workspace:home")


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
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
