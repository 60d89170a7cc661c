from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from mooc.accounts.nip import EmployeeKind
from mooc.core.files import private_storage


class Unit(MP_Node):
    """A work unit: Eselon I, Kanwil, UPT, … A tree of any depth (materialised path),
    so "this unit and everything under it" is one indexed prefix query."""

    name: models.CharField[str, str] = models.CharField(_("name"), max_length=255)
    code: models.CharField[str, str] = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("A stable identifier, used by imports (e.g. the organisation code)."),
    )
    is_active: models.BooleanField[bool, bool] = models.BooleanField(_("active"), default=True)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return str(self.name)


# An anonymised account's username: "dihapus:<id>". The colon is refused in every
# username a person can register or an admin can create, so it never collides.
ANONYMISED_USERNAME_PREFIX = "dihapus:"


class EmployeeType(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, username: str, password: str | None, **fields: Any) -> User:
        if not username:
            raise ValueError("The NIP/username must be set")
        fields["email"] = self.normalize_email(fields.get("email", ""))
        user = self.model(username=username.strip(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, username: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(username, password, **fields)

    def create_superuser(self, username: str, password: str | None = None, **fields: Any) -> User:
        fields["is_staff"] = True
        fields["is_superuser"] = True
        fields.setdefault("activated_at", timezone.now())
        return self._create(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an 18-digit NIP (internal) or a username (external).

    Three separate states keep a person out: not yet activated (`activated_at`
    empty), deactivated by an admin (`is_active` off) and locked (`locked_at`
    set, e.g. after "Bukan saya"); each has its own message at login.
    """

    username = models.CharField(
        _("NIP/Username"),
        max_length=64,
        unique=True,
        error_messages={"unique": _("This NIP/Username is already registered.")},
    )
    employee_type = models.CharField(
        _("employee type"),
        max_length=10,
        choices=EmployeeType.choices,
        default=EmployeeType.EXTERNAL,
    )
    nip_kind = models.CharField(
        _("NIP kind"), max_length=4, choices=EmployeeKind.choices, blank=True
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    instansi = models.CharField(_("institution"), max_length=255, blank=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    jabatan = models.CharField(_("position"), max_length=150, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True, storage=private_storage)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can log into the administration site."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Turn off to deactivate the account instead of deleting it."),
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    lock_reason = models.CharField(_("lock reason"), max_length=255, blank=True)
    privacy_consent_at = models.DateTimeField(_("privacy consent at"), null=True, blank=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name", "email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # "Rina" and "rina" are one person: usernames are matched case-insensitively.
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("This NIP/Username is already registered."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("This e-mail address is already registered."),
            ),
        ]
        indexes = [
            models.Index(fields=["activated_at", "date_joined"], name="accounts_user_activation"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return (self.full_name or self.username).split(" ")[0]

    @property
    def is_internal(self) -> bool:
        return self.employee_type == EmployeeType.INTERNAL

    @property
    def is_anonymised(self) -> bool:
        """Deleted at the owner's request (mooc.privacy): the row stays for statistics."""
        return self.username.startswith(ANONYMISED_USERNAME_PREFIX)

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def can_log_in(self) -> bool:
        return self.is_active and self.is_activated and not self.is_locked


class TokenPurpose(models.TextChoices):
    ACTIVATION = "activation", _("account activation")
    PASSWORD_STEP = "password_step", _("password change after verification")
    EMAIL_CHANGE = "email_change", _("e-mail change")
    NOT_ME = "not_me", _("report a password change that was not me")
    ACCOUNT_SETUP = "account_setup", _("first password of an imported account")


class AccountToken(models.Model):
    """A single-use link or step token. Only a hash of the token is stored, so a
    leaked database gives nobody a working link; issuing a new token of the
    same purpose retires the older ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=20, choices=TokenPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account token")
        verbose_name_plural = _("account tokens")
        indexes = [models.Index(fields=["user", "purpose", "used_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} for {self.user_id}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class DeviceToken(models.Model):
    """A signed-in device of the mobile app (the REST API, mooc/api): a short-lived
    access token and a rotating refresh token, both stored as SHA-256 hashes only.
    The tag ties the row to the password hash it was issued under, so any password
    change ends it even where no code deleted it (mooc/accounts/services/devices.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_tokens")
    label = models.CharField(_("device"), max_length=100)
    access_hash = models.CharField(max_length=64, unique=True)
    access_expires_at = models.DateTimeField()
    refresh_hash = models.CharField(max_length=64, unique=True)
    # The refresh token this one replaced: presented again, it was stolen (or copied),
    # and the device is signed out.
    previous_refresh_hash = models.CharField(max_length=64, blank=True, db_index=True)
    refresh_expires_at = models.DateTimeField()
    password_tag = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        indexes = [models.Index(fields=["user", "created_at"], name="accounts_device_user")]

    def __str__(self) -> str:
        return f"{self.label} ({self.user_id})"
