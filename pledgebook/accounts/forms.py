"""Sign-up, sign-in and verification forms.  The e-mail address is the username."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pledgebook.accounts import domain
from pledgebook.core.notify import notify

# The address is stored as the username, whose column holds 150 characters.
EMAIL_MAX_LENGTH = 150


class Throttled:
    """A form its view may mark ``throttled`` (``accounts.throttle.limited``): it is then
    invalid, with a message at the top, before it checks a password or sends anything."""

    throttled = False
    throttled_message = _(
        "Too many attempts from here in a short time. Wait a while (up to an hour) and try again."
    )

    def clean(self) -> dict[str, Any]:
        if self.throttled:
            raise ValidationError(self.throttled_message, code="throttled")
        return super().clean()  # type: ignore[misc]


class SignupForm(Throttled, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("You sign in with this address. We send a link to verify it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password, again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, to be sure of it."),
    )

    def clean_email(self) -> str:
        # Whether the address has an account is not checked here: the form answers the same
        # either way, and the owner is told by mail (``domain.register``).
        return domain.normalise_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                ValidationError(_("The two passwords are not the same."), code="password_mismatch"),
            )
        if password1:
            candidate = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("full_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(Throttled, AuthenticationForm):
    """Sign in with e-mail and password.  An unverified account is told so (only when the
    password is right, so that the form does not reveal which addresses have accounts)."""

    throttled_message = _(
        "Too many failed attempts to sign in to this address from here. Wait a while (up to "
        "an hour) and try again, or reset your password: the link we send you signs you in."
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match an account. Check both and try again."
        ),
        "unverified": _(
            "You have not verified your e-mail address yet. Follow the link in the mail we "
            "sent you, or ask for a new link below."
        ),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.unverified_email = ""
        username = self.fields["username"]
        username.label = _("E-mail address")
        username.widget.input_type = "email"
        username.widget.attrs["autocomplete"] = "email"

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        # Accounts created outside the sign-up form may hold capitals in the username.
        stored = (
            get_user_model()
            ._default_manager.filter(username__iexact=value)
            .values_list("username", flat=True)
            .first()
        )
        return stored or domain.normalise_email(value)

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as error:
            if error.code != "invalid_login":
                raise
            user = (
                get_user_model()
                ._default_manager.filter(username=self.cleaned_data.get("username"))
                .first()
            )
            password = self.cleaned_data.get("password")
            if (
                user is not None
                and password
                and domain.awaits_verification(user)
                and user.check_password(password)
            ):
                self.unverified_email = user.email
                raise ValidationError(
                    self.error_messages["unverified"], code="unverified"
                ) from error
            raise

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class ResendVerificationForm(Throttled, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class QueuedPasswordResetForm(Throttled, PasswordResetForm):
    """Django's password reset, with the mail queued like every other mail of the site."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        notify(to=[to_email], template="password_reset", context=context)


class DeleteAccountForm(forms.Form):
    """The password again, to delete one's own account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Type your password again to confirm."),
    )
