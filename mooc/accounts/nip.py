"""NIP (Nomor Induk Pegawai): the 18-digit number an internal employee logs in with.

Two formats share the 18 digits; digit 13 tells them apart:

PNS (civil servant)::

    YYYYMMDD  YYYYMM  G  NNN
    birth     CPNS    |  serial 001-999
    date      start   gender 1 (male) / 2 (female)
              (TMT CPNS; digit 13 is the first digit of a month: 0 or 1)

PPPK (government contract employee, since 2019)::

    YYYYMMDD  YYYY  2  C  G  NNN
    birth     year  |  |  gender, serial as above
    date            |  contract count 1-9
                    always 2

Pasted input is forgiving: surrounding whitespace is stripped and spaces, dots and
hyphens between the digits are dropped (``19860926 201505 1 001``). Every error
names the part of the NIP that is wrong, in words a user can act on.

Pure Python: no models, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from mooc.core.timezones import local_now

NIP_LENGTH = 18
PPPK_FIRST_YEAR = 2019  # PPPK appointments began in 2019
MINIMUM_AGE = 18
EARLIEST_BIRTH_YEAR = 1900  # anything earlier is a typo, not an employee

# What people put between the digits when they copy a NIP: whitespace (any kind,
# including the non-breaking space of PDFs), dots and hyphens (ASCII and Unicode).
_SEPARATORS = re.compile(r"[\s.\-\u2010\u2011]+")
_ASCII_DIGITS = re.compile(r"[0-9]*", re.ASCII)
_EXTERNAL_USERNAME = re.compile(r"[A-Za-z0-9._-]{3,64}", re.ASCII)

NipPart = Literal[
    "length",  # not 18 digits
    "digits",  # something other than digits (and separators)
    "birth_date",  # digits 1-8
    "start",  # PNS: digits 9-14 (TMT CPNS); PPPK: digits 9-12 (appointment year)
    "pppk_contract",  # PPPK: digit 14
    "gender",  # digit 15
    "serial",  # digits 16-18
]


class EmployeeKind(models.TextChoices):
    PNS = "PNS", _("Civil servant (PNS)")
    PPPK = "PPPK", _("Government contract employee (PPPK)")


class Gender(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


_GENDER_DIGITS = {"1": Gender.MALE, "2": Gender.FEMALE}


@dataclass(frozen=True)
class NipInfo:
    nip: str  # normalized: exactly 18 ASCII digits
    kind: EmployeeKind
    birth_date: dt.date
    start_year: int  # PNS: year of TMT CPNS; PPPK: appointment year
    start_month: int | None  # PNS: month of TMT CPNS; PPPK: None
    gender: Gender
    serial: int  # 1-999
    contract_count: int | None  # PPPK: 1-9; PNS: None


class NipError(ValueError):
    """The NIP is wrong; `part` names which part, `message` says so to the user.

    `message` stays lazy: it is translated into the language active when it is
    shown, not the one active when the error was raised.
    """

    def __init__(self, part: NipPart, message: StrOrPromise) -> None:
        super().__init__(part, message)
        self.part: NipPart = part
        self.message: StrOrPromise = message

    def __str__(self) -> str:
        return str(self.message)


# Every message names the wrong part of the NIP and where it sits. English source
# strings; the Indonesian is in the catalogue.
_MSG_DIGITS = _("The NIP may contain only digits, with spaces, dots or hyphens between them.")
_MSG_LENGTH = _("The NIP must be 18 digits; you entered %(count)s digits.")
_MSG_BIRTH_INVALID = _("The birth date in the NIP (digits 1–8) is not a valid date.")
_MSG_BIRTH_FUTURE = _("The birth date in the NIP (digits 1–8) is in the future.")
_MSG_PNS_MONTH = _("The CPNS start month in the NIP (digits 13–14) must be 01 to 12.")
_MSG_PNS_FUTURE = _("The CPNS start date in the NIP (digits 9–14) is in the future.")
_MSG_PNS_UNDER_18 = _(
    "The CPNS start date in the NIP (digits 9–14) is less than 18 years after the birth date."
)
_MSG_PPPK_BEFORE_2019 = _(
    "The PPPK appointment year in the NIP (digits 9–12) is before 2019, when PPPK began."
)
_MSG_PPPK_FUTURE = _("The PPPK appointment year in the NIP (digits 9–12) is in the future.")
_MSG_PPPK_UNDER_18 = _(
    "The PPPK appointment year in the NIP (digits 9–12) is less than 18 years after birth."
)
_MSG_PPPK_CONTRACT = _("Digit 14 of the NIP (PPPK contract count) must be from 1 to 9.")
_MSG_GENDER = _("Digit 15 of the NIP (gender) must be 1 or 2.")
_MSG_SERIAL = _("The serial number in the NIP (digits 16–18) cannot be 000.")
_MSG_USERNAME_NIP_LIKE = _(
    "This username looks like a NIP; NIPs are reserved for employees. Choose another."
)
_MSG_USERNAME_INVALID = _(
    "The username must be 3 to 64 letters, digits, dots (.), hyphens (-) or underscores (_)."
)


def _interpolate_now(template: StrOrPromise, params: Mapping[str, object]) -> str:
    return str(template) % params


# `gettext_lazy(...) % params` would translate at once, in whatever language is
# active when the error is raised; this keeps both the lookup and the `%` lazy.
_interpolate = lazy(_interpolate_now, str)


def normalize_nip(raw: str) -> str:
    """Drop surrounding whitespace and the spaces, dots and hyphens between digits.

    Anything else is kept, so that `parse_nip` can refuse it. Idempotent.
    """
    return _SEPARATORS.sub("", raw.strip())


def _is_digits(text: str) -> bool:
    return _ASCII_DIGITS.fullmatch(text) is not None


def looks_like_nip(username: str) -> bool:
    """True when `username`, once normalized, is exactly 18 digits: a NIP or could be one."""
    nip = normalize_nip(username)
    return len(nip) == NIP_LENGTH and _is_digits(nip)


def _today() -> dt.date:
    return local_now().date()


def _months(year: int, month: int) -> int:
    return year * 12 + month


def _parse_birth_date(nip: str, today: dt.date) -> dt.date:
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError("birth_date", _MSG_BIRTH_INVALID) from None
    if birth.year < EARLIEST_BIRTH_YEAR:
        raise NipError("birth_date", _MSG_BIRTH_INVALID)
    if birth > today:
        raise NipError("birth_date", _MSG_BIRTH_FUTURE)
    return birth


def _check_pns_start(year: int, month: int, birth: dt.date, today: dt.date) -> None:
    if not 1 <= month <= 12:
        raise NipError("start", _MSG_PNS_MONTH)
    if _months(year, month) > _months(today.year, today.month):
        raise NipError("start", _MSG_PNS_FUTURE)
    if _months(year, month) < _months(birth.year + MINIMUM_AGE, birth.month):
        raise NipError("start", _MSG_PNS_UNDER_18)


def _check_pppk_start(year: int, birth: dt.date, today: dt.date) -> None:
    if year < PPPK_FIRST_YEAR:
        raise NipError("start", _MSG_PPPK_BEFORE_2019)
    if year > today.year:
        raise NipError("start", _MSG_PPPK_FUTURE)
    if year < birth.year + MINIMUM_AGE:
        raise NipError("start", _MSG_PPPK_UNDER_18)


def parse_nip(raw: str, *, today: dt.date | None = None) -> NipInfo:
    """Read a NIP as typed or pasted; raise NipError naming the first wrong part.

    Parts are checked left to right. `today` (for "not in the future" and "at
    least 18") defaults to the current date in the institution's time zone.
    """
    today = today or _today()
    nip = normalize_nip(raw)
    if not _is_digits(nip):
        raise NipError("digits", _MSG_DIGITS)
    if len(nip) != NIP_LENGTH:
        raise NipError("length", _interpolate(_MSG_LENGTH, {"count": len(nip)}))

    birth = _parse_birth_date(nip, today)
    start_year = int(nip[8:12])
    start_month: int | None
    contract_count: int | None
    if nip[12] == "2":
        kind = EmployeeKind.PPPK
        _check_pppk_start(start_year, birth, today)
        start_month = None
        contract_count = int(nip[13])
        if contract_count == 0:
            raise NipError("pppk_contract", _MSG_PPPK_CONTRACT)
    else:
        # Digit 13 opens the CPNS month, so it is 0 or 1; anything else is a wrong month.
        kind = EmployeeKind.PNS
        start_month = int(nip[12:14])
        _check_pns_start(start_year, start_month, birth, today)
        contract_count = None

    gender = _GENDER_DIGITS.get(nip[14])
    if gender is None:
        raise NipError("gender", _MSG_GENDER)
    serial = int(nip[15:18])
    if serial == 0:
        raise NipError("serial", _MSG_SERIAL)

    return NipInfo(
        nip=nip,
        kind=kind,
        birth_date=birth,
        start_year=start_year,
        start_month=start_month,
        gender=gender,
        serial=serial,
        contract_count=contract_count,
    )


def validate_nip(value: str) -> None:
    """Django validator: ValidationError whose code is the wrong part of the NIP."""
    try:
        parse_nip(value)
    except NipError as error:
        raise ValidationError(error.message, code=error.part) from error


def validate_external_username(value: str) -> None:
    """Django validator for the usernames of external (non-employee) users.

    A username that is, or could be, a NIP is refused (code "nip_like") so that an
    external user cannot take an employee's login; otherwise 3-64 characters of
    letters, digits, dots, hyphens and underscores (code "invalid_username").
    """
    if looks_like_nip(value):
        raise ValidationError(_MSG_USERNAME_NIP_LIKE, code="nip_like")
    if _EXTERNAL_USERNAME.fullmatch(value) is None:
        raise ValidationError(_MSG_USERNAME_INVALID, code="invalid_username")
