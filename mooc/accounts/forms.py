from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from mooc.accounts.backends import normalize_username
from mooc.accounts.captcha import captcha_field
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.nip import normalize_nip, validate_external_username, validate_nip
from mooc.accounts.services.registration import Registration

PHONE_DIGITS = re.compile(r"^\+?[0-9]{8,15}$")


def clean_phone(value: str) -> str:
    phone = re.sub(r"[\s().-]", "", value or "")
    if phone and not PHONE_DIGITS.match(phone):
        raise ValidationError(
            _("Enter a phone number of 8 to 15 digits, e.g. 081234567890."), code="phone"
        )
    return phone


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Units as an indented list, so the tree shows in a plain <select>."""

    def label_from_instance(self, obj: Any) -> str:
        indent: str = "\u2003" * (int(obj.depth) - 1)
        return indent + str(obj.name)


def unit_queryset() -> Any:
    return Unit.objects.filter(is_active=True).order_by("path")


class CaptchaFirstForm(forms.Form):
    """The captcha is checked before anything else, and when it fails nothing else is:
    no other field is cleaned and no account is looked up, so without a solved captcha
    a form tells nobody anything (what was typed is kept for the next try)."""

    def full_clean(self) -> None:
        captcha = self.fields.get("captcha")
        if not self.is_bound or captcha is None:
            super().full_clean()
            return
        try:
            # Cleaned once only: a solved image captcha is used up by its check.
            answer = captcha.clean(self["captcha"].data)
        except ValidationError as error:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            self._errors["captcha"] = self.error_class(error.messages, renderer=self.renderer)
            return
        del self.fields["captcha"]
        try:
            super().full_clean()
        finally:
            self.fields["captcha"] = captcha
        if hasattr(self, "cleaned_data"):
            self.cleaned_data["captcha"] = answer


class RegistrationForm(CaptchaFirstForm):
    employee_type = forms.ChoiceField(
        label=_("Employee type"),
        choices=EmployeeType.choices,
        widget=forms.RadioSelect,
        initial=EmployeeType.INTERNAL,
    )
    unit = UnitChoiceField(
        label=_("Central unit / work unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Choose your unit"),
    )
    instansi = forms.CharField(
        label=_("Institution"),
        max_length=255,
        required=False,
        help_text=_("For external participants: the name of your institution or organisation."),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As on your official identity; it is printed on your certificates."),
    )
    username = forms.CharField(
        label=_("NIP/Username"),
        max_length=64,
        help_text=_("Internal: your 18-digit NIP. External: a username of your choice."),
    )
    email = forms.EmailField(label=_("E-mail address (for activation)"), max_length=254)
    phone = forms.CharField(label=_("Phone number"), max_length=20)
    jabatan = forms.CharField(label=_("Position"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirm password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is processed for "
            "this training platform."
        ),
        error_messages={"required": _("You must agree to the privacy notice to register.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.queryset = unit_queryset()
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()
        self.fields["captcha"] = captcha_field()
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        # Whether the address (or the NIP) already has an account is never said here:
        # the service mails that account's owner instead (see `registration_submit`).
        return str(self.cleaned_data["email"]).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        internal = data.get("employee_type") == EmployeeType.INTERNAL
        raw_username = data.get("username", "")
        if raw_username:
            try:
                if internal:
                    validate_nip(raw_username)
                    data["username"] = normalize_nip(raw_username)
                else:
                    data["username"] = raw_username.strip()
                    validate_external_username(data["username"])
            except ValidationError as error:
                self.add_error("username", error)
        if internal and not data.get("unit"):
            self.add_error("unit", _("Choose your central unit or work unit."))
        if not internal and not (data.get("instansi") or "").strip():
            self.add_error("instansi", _("Enter the name of your institution."))
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            candidate = User(
                username=data.get("username", ""),
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data

    def registration(self) -> Registration:
        data = self.cleaned_data
        return Registration(
            employee_type=EmployeeType(data["employee_type"]),
            username=data["username"],
            full_name=data["full_name"].strip(),
            email=data["email"],
            phone=data["phone"],
            jabatan=data["jabatan"].strip(),
            password=data["password1"],
            unit=data.get("unit"),
            instansi=(data.get("instansi") or "").strip(),
        )


class LoginForm(CaptchaFirstForm):
    username = forms.CharField(label=_("NIP/Username"), max_length=64)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["captcha"] = captcha_field()
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        )


class AccountMatchForm(CaptchaFirstForm):
    """NIP/Username + the registered e-mail: "Kirim Ulang Verifikasi" and "Lupa Password"."""

    username = forms.CharField(label=_("NIP/Username"), max_length=64)
    email = forms.EmailField(label=_("Registered e-mail address"), max_length=254)

    def __init__(self, *args: Any, with_captcha: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_captcha:
            self.fields["captcha"] = captcha_field()
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_username(self) -> str:
        return normalize_username(str(self.cleaned_data["username"]))


class NewPasswordForm(forms.Form):
    """ "Password Baru" and its confirmation, checked against the password rule."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirm new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            try:
                password_validation.validate_password(password1, self.user)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class ChangePasswordForm(NewPasswordForm):
    """ "Pengaturan": the old password, then the new one twice."""

    old_password = forms.CharField(
        label=_("Old password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "password1", "password2"]

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise ValidationError(_("Your old password is not correct."), code="password_incorrect")
        return str(old)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("old_password") and data.get("password1") == data.get("old_password"):
            self.add_error("password1", _("The new password must differ from the old one."))
        return data


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone number"), max_length=20)
    jabatan = forms.CharField(label=_("Position"), max_length=150)
    unit = UnitChoiceField(
        label=_("Central unit / work unit"), queryset=Unit.objects.none(), required=False
    )
    instansi = forms.CharField(label=_("Institution"), max_length=255, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, at most 2 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "phone": user.phone,
                "jabatan": user.jabatan,
                "unit": user.unit_id,
                "instansi": user.instansi,
            },
        )
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.queryset = unit_queryset()
        if user.is_internal:
            unit_field.required = True
            del self.fields["instansi"]
        else:
            del self.fields["unit"]
            self.fields["instansi"].required = True
        self.fields["photo"].widget = forms.FileInput(attrs=self.fields["photo"].widget.attrs)
        if not user.photo:
            del self.fields["remove_photo"]

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(label=_("New e-mail address"), max_length=254)


class ResetByEmailForm(CaptchaFirstForm, PasswordResetForm):
    """PASSWORD_RESET_FLOW=email_link: a reset link is mailed when NIP/Username
    and e-mail match an active account; the page says the same either way."""

    username = forms.CharField(label=_("NIP/Username"), max_length=64)
    field_order = ["username", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Registered e-mail address")
        self.fields["captcha"] = captcha_field()

    def get_users(self, email: str) -> Any:
        username = normalize_username(self.cleaned_data.get("username", ""))
        return User.objects.filter(
            username__iexact=username, email__iexact=email, is_active=True, locked_at__isnull=True
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
        from django.template import loader

        from mooc.core.selectors import site_settings_get
        from mooc.core.tasks import send_email_message

        context = {**context, "site": site_settings_get()}
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        text = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name or email_template_name, context)
        # As every mail (mooc.core.emails): queued after the commit, and a broker failure
        # is logged, not shown — a 500 for a match and a redirect for a mismatch would
        # tell a visitor which NIP and address belong together.
        transaction.on_commit(
            lambda: send_email_message.delay(subject=subject, text=text, html=html, to=[to_email]),
            robust=True,
        )
