"""NIP validation: what an employee may type as their login, and what each mistake is called."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from hypothesis import given, settings
from hypothesis import strategies as st

from mooc.accounts import nip as nip_module
from mooc.accounts.nip import (
    EmployeeKind,
    Gender,
    NipError,
    NipInfo,
    looks_like_nip,
    normalize_nip,
    parse_nip,
    validate_external_username,
    validate_nip,
)

pytestmark = pytest.mark.usefixtures("english")

TODAY = dt.date(2026, 11, 22)
PNS_NIP = "198609262015051001"  # born 26 Sep 1986, CPNS May 2015, male, serial 1
PPPK_NIP = "199001012022211001"  # born 1 Jan 1990, PPPK 2022, 1st contract, male, serial 1


def parse(raw: str) -> NipInfo:
    return parse_nip(raw, today=TODAY)


def error_of(raw: str) -> NipError:
    with pytest.raises(NipError) as caught:
        parse(raw)
    return caught.value


# --- Valid NIPs ---------------------------------------------------------------------------


def test_a_valid_pns_nip_parses_into_its_parts() -> None:
    assert parse(PNS_NIP) == NipInfo(
        nip=PNS_NIP,
        kind=EmployeeKind.PNS,
        birth_date=dt.date(1986, 9, 26),
        start_year=2015,
        start_month=5,
        gender=Gender.MALE,
        serial=1,
        contract_count=None,
    )


@pytest.mark.parametrize(
    "typed",
    [
        "19860926 201505 1 001",
        "19860926.201505.1.001",
        "19860926-201505-1-001",
        "  198609262015051001\n",
        "\t19860926 . 201505 - 1 001 ",
        "19860926\u00a0201505\u00a01\u00a0001",  # non-breaking spaces, as pasted from a PDF
    ],
)
def test_a_pasted_pns_nip_with_spaces_dots_or_hyphens_is_read_as_the_same_nip(
    typed: str,
) -> None:
    assert parse(typed) == parse(PNS_NIP)


def test_a_valid_pppk_nip_parses_into_its_parts() -> None:
    assert parse(PPPK_NIP) == NipInfo(
        nip=PPPK_NIP,
        kind=EmployeeKind.PPPK,
        birth_date=dt.date(1990, 1, 1),
        start_year=2022,
        start_month=None,
        gender=Gender.MALE,
        serial=1,
        contract_count=1,
    )


def test_a_female_pppk_employee_on_her_third_contract_is_read_as_such() -> None:
    info = parse("199505172024232017")
    assert (info.kind, info.start_year, info.contract_count, info.gender, info.serial) == (
        EmployeeKind.PPPK,
        2024,
        3,
        Gender.FEMALE,
        17,
    )


def test_a_cpns_start_in_the_current_month_is_accepted() -> None:
    assert parse("198609262026111001").start_month == 11


def test_a_cpns_start_in_the_month_of_the_18th_birthday_is_accepted() -> None:
    assert parse("198609262004091001").start_year == 2004


def test_a_pppk_appointment_in_the_current_year_is_accepted() -> None:
    assert parse("199001012026211001").start_year == 2026


def test_the_date_defaults_to_today_in_the_institutions_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    monkeypatch.setattr(
        nip_module, "local_now", lambda: dt.datetime(2026, 1, 1, 0, 30, tzinfo=jakarta)
    )
    assert parse_nip("198609262026011001").start_month == 1
    with pytest.raises(NipError) as caught:
        parse_nip("198609262026021001")
    assert caught.value.part == "start"


# --- Length and characters ----------------------------------------------------------------


@pytest.mark.parametrize(("typed", "count"), [(PNS_NIP[:-1], 17), (PNS_NIP + "1", 19), ("", 0)])
def test_a_nip_of_the_wrong_length_says_how_many_digits_were_given(typed: str, count: int) -> None:
    error = error_of(typed)
    assert error.part == "length"
    assert str(error.message) == f"The NIP must be 18 digits; you entered {count} digits."


def test_the_length_message_counts_digits_not_separators() -> None:
    error = error_of("19860926 201505 1 01")
    assert str(error.message) == "The NIP must be 18 digits; you entered 17 digits."


def test_the_length_message_stays_lazy_until_it_is_shown() -> None:
    message = error_of(PNS_NIP[:-1]).message
    assert isinstance(message, Promise)


@pytest.mark.parametrize(
    "typed",
    [
        "19860926201505100A",
        "NIP198609262015051001",
        "19860926/201505/1/001",
        "19860926_201505_1_001",
        "١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١",  # Arabic-Indic digits are not NIP digits
    ],
)
def test_a_nip_with_letters_or_other_symbols_is_refused_as_non_digits(typed: str) -> None:
    error = error_of(typed)
    assert error.part == "digits"
    assert str(error.message) == (
        "The NIP may contain only digits, with spaces, dots or hyphens between them."
    )


# --- Birth date (digits 1-8) --------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "199913402015051001",  # month 13
        "199902302015051001",  # 30 February
        "199900102015051001",  # month 00
        "199901002015051001",  # day 00
        "000001012015051001",  # year 0000
        "185001012015051001",  # year 1850
    ],
)
def test_a_birth_date_that_is_not_a_real_date_is_refused(typed: str) -> None:
    error = error_of(typed)
    assert error.part == "birth_date"
    assert str(error.message) == "The birth date in the NIP (digits 1–8) is not a valid date."


def test_a_birth_date_of_29_february_in_a_leap_year_is_accepted() -> None:
    assert parse("198802292010011001").birth_date == dt.date(1988, 2, 29)


def test_a_birth_date_in_the_future_is_refused() -> None:
    error = error_of("202701012015051001")
    assert error.part == "birth_date"
    assert str(error.message) == "The birth date in the NIP (digits 1–8) is in the future."


# --- PNS: CPNS start (digits 9-14) --------------------------------------------------------


@pytest.mark.parametrize("month", ["00", "13", "19"])
def test_a_cpns_start_month_outside_01_to_12_is_refused(month: str) -> None:
    error = error_of(f"19860926 2015{month} 1 001")
    assert error.part == "start"
    assert str(error.message) == (
        "The CPNS start month in the NIP (digits 13–14) must be 01 to 12."
    )


@pytest.mark.parametrize("digit", "3456789")
def test_digit_13_other_than_0_1_or_2_is_a_wrong_cpns_month(digit: str) -> None:
    error = error_of(f"19860926 2015{digit}1 1 001")
    assert error.part == "start"
    assert "CPNS start month" in str(error.message)


@pytest.mark.parametrize("start", ["202712", "202612", "203001"])
def test_a_cpns_start_in_the_future_is_refused(start: str) -> None:
    error = error_of(f"19860926 {start} 1 001")
    assert error.part == "start"
    assert str(error.message) == "The CPNS start date in the NIP (digits 9–14) is in the future."


@pytest.mark.parametrize("start", ["200308", "200408", "199001"])
def test_a_cpns_start_before_the_18th_birthday_month_is_refused(start: str) -> None:
    error = error_of(f"19860926 {start} 1 001")
    assert error.part == "start"
    assert str(error.message) == (
        "The CPNS start date in the NIP (digits 9–14) is less than 18 years after the birth date."
    )


# --- PPPK: appointment year (digits 9-12) and contract count (digit 14) -----------------


def test_a_pppk_appointment_before_2019_is_refused() -> None:
    error = error_of("199001012018211001")
    assert error.part == "start"
    assert str(error.message) == (
        "The PPPK appointment year in the NIP (digits 9–12) is before 2019, when PPPK began."
    )


def test_a_pppk_appointment_year_in_the_future_is_refused() -> None:
    error = error_of("199001012027211001")
    assert error.part == "start"
    assert str(error.message) == (
        "The PPPK appointment year in the NIP (digits 9–12) is in the future."
    )


def test_a_pppk_appointment_before_the_year_of_the_18th_birthday_is_refused() -> None:
    error = error_of("200501012022211001")
    assert error.part == "start"
    assert str(error.message) == (
        "The PPPK appointment year in the NIP (digits 9–12) is less than 18 years after birth."
    )
    assert parse("200501012023211001").start_year == 2023


def test_a_pppk_contract_count_of_0_is_refused() -> None:
    error = error_of("199001012022201001")
    assert error.part == "pppk_contract"
    assert str(error.message) == "Digit 14 of the NIP (PPPK contract count) must be from 1 to 9."


# --- Gender (digit 15) and serial (digits 16-18) ------------------------------------------


@pytest.mark.parametrize("nip", ["198609262015053001", "199001012022213001"])
def test_a_gender_digit_of_3_is_refused(nip: str) -> None:
    error = error_of(nip)
    assert error.part == "gender"
    assert str(error.message) == "Digit 15 of the NIP (gender) must be 1 or 2."


@pytest.mark.parametrize("nip", ["198609262015051000", "199001012022211000"])
def test_a_serial_number_of_000_is_refused(nip: str) -> None:
    error = error_of(nip)
    assert error.part == "serial"
    assert str(error.message) == "The serial number in the NIP (digits 16–18) cannot be 000."


def test_a_serial_number_of_999_is_accepted() -> None:
    assert parse("198609262015052999").serial == 999


def test_the_first_wrong_part_from_the_left_is_the_one_named() -> None:
    assert error_of("199902302015053000").part == "birth_date"
    assert error_of("198609262015133000").part == "start"
    assert error_of("198609262015053000").part == "gender"


def test_a_nip_error_is_a_value_error_that_reads_as_its_message() -> None:
    error = error_of("198609262015053001")
    assert isinstance(error, ValueError)
    assert str(error) == "Digit 15 of the NIP (gender) must be 1 or 2."


# --- Django validators --------------------------------------------------------------------


def test_the_nip_validator_accepts_a_valid_nip() -> None:
    validate_nip(PNS_NIP)
    validate_nip("19860926 201505 1 001")


@pytest.mark.parametrize(
    "typed",
    [
        PNS_NIP[:-1],
        "19860926201505100A",
        "199913402015051001",
        "198609262015131001",
        "198609262015053001",
        "198609262015051000",
        "199001012018211001",
        "199001012022201001",
    ],
)
def test_the_nip_validators_error_code_is_the_wrong_part(typed: str) -> None:
    with pytest.raises(NipError) as parsed:
        parse_nip(typed)
    with pytest.raises(ValidationError) as validated:
        validate_nip(typed)
    assert validated.value.code == parsed.value.part
    assert validated.value.messages == [str(parsed.value.message)]


@pytest.mark.parametrize(
    "username",
    [PNS_NIP, PPPK_NIP, "19860926 201505 1 001", "1986.0926.2015.0510.01", "000000000000000000"],
)
def test_a_username_that_is_or_could_be_a_nip_looks_like_a_nip(username: str) -> None:
    assert looks_like_nip(username)


@pytest.mark.parametrize(
    "username", ["budi.santoso", PNS_NIP[:-1], PNS_NIP + "1", "19860926201505100A", ""]
)
def test_a_username_that_is_not_18_digits_does_not_look_like_a_nip(username: str) -> None:
    assert not looks_like_nip(username)


@pytest.mark.parametrize("username", [PNS_NIP, "000000000000000000", "1986.0926-2015.0510.01"])
def test_an_external_user_cannot_take_a_username_that_looks_like_a_nip(username: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_external_username(username)
    assert caught.value.code == "nip_like"
    assert caught.value.messages == [
        "This username looks like a NIP; NIPs are reserved for employees. Choose another."
    ]


@pytest.mark.parametrize("username", ["budi.santoso", "siti_aminah-88", "abc", "x" * 64])
def test_an_external_user_may_take_an_ordinary_username(username: str) -> None:
    validate_external_username(username)


@pytest.mark.parametrize(
    "username",
    ["budi santoso", "budi@example.com", "budi!", "ab", "x" * 65, "budi.santoso\n", "bùdi", ""],
)
def test_an_external_username_with_spaces_symbols_or_the_wrong_length_is_refused(
    username: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_external_username(username)
    assert caught.value.code == "invalid_username"
    assert caught.value.messages == [
        "The username must be 3 to 64 letters, digits, dots (.), hyphens (-) or underscores (_)."
    ]


# --- Properties ---------------------------------------------------------------------------

EARLIEST_BIRTH = dt.date(1940, 1, 1)


def months(year: int, month: int) -> int:
    return year * 12 + month - 1


@st.composite
def pns_nips(draw: st.DrawFn) -> tuple[str, NipInfo]:
    latest_birth = dt.date(TODAY.year - 18, TODAY.month, 1)
    birth = draw(st.dates(min_value=EARLIEST_BIRTH, max_value=latest_birth))
    start = draw(st.integers(months(birth.year + 18, birth.month), months(TODAY.year, TODAY.month)))
    start_year, start_month = divmod(start, 12)
    start_month += 1
    gender = draw(st.sampled_from(Gender))
    serial = draw(st.integers(1, 999))
    gender_digit = "1" if gender is Gender.MALE else "2"
    nip = f"{birth:%Y%m%d}{start_year:04d}{start_month:02d}{gender_digit}{serial:03d}"
    expected = NipInfo(nip, EmployeeKind.PNS, birth, start_year, start_month, gender, serial, None)
    return nip, expected


@st.composite
def pppk_nips(draw: st.DrawFn) -> tuple[str, NipInfo]:
    birth = draw(st.dates(min_value=EARLIEST_BIRTH, max_value=dt.date(TODAY.year - 18, 12, 31)))
    year = draw(st.integers(max(2019, birth.year + 18), TODAY.year))
    contracts = draw(st.integers(1, 9))
    gender = draw(st.sampled_from(Gender))
    serial = draw(st.integers(1, 999))
    gender_digit = "1" if gender is Gender.MALE else "2"
    nip = f"{birth:%Y%m%d}{year:04d}2{contracts}{gender_digit}{serial:03d}"
    expected = NipInfo(nip, EmployeeKind.PPPK, birth, year, None, gender, serial, contracts)
    return nip, expected


valid_nips = st.one_of(pns_nips(), pppk_nips())


@settings(deadline=None)
@given(pns_nips())
def test_every_valid_pns_nip_parses_back_to_the_fields_it_was_built_from(
    case: tuple[str, NipInfo],
) -> None:
    nip, expected = case
    assert parse(nip) == expected
    assert looks_like_nip(nip)
    validate_nip(nip)


@settings(deadline=None)
@given(pppk_nips())
def test_every_valid_pppk_nip_parses_back_to_the_fields_it_was_built_from(
    case: tuple[str, NipInfo],
) -> None:
    nip, expected = case
    assert parse(nip) == expected
    assert looks_like_nip(nip)


@settings(deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789 .-\t\u00a0"),
        st.from_regex(r"[0-9]{18}", fullmatch=True),
        st.from_regex(r"(19|20)[0-9]{6}[0-9]{4}[0-2][0-9][0-9]{4}", fullmatch=True),
    )
)
def test_any_text_is_either_a_nip_or_a_nip_error_and_never_a_crash(text: str) -> None:
    try:
        info = parse(text)
    except NipError as error:
        assert error.part in {
            "length",
            "digits",
            "birth_date",
            "start",
            "pppk_contract",
            "gender",
            "serial",
        }
        assert str(error.message)
    else:
        assert len(info.nip) == 18
        assert info.nip.isascii()
        assert info.nip.isdigit()


@settings(deadline=None)
@given(valid_nips, st.sampled_from("0345678"))
def test_a_valid_nip_with_its_gender_digit_changed_to_anything_but_1_or_2_is_refused(
    case: tuple[str, NipInfo], digit: str
) -> None:
    nip, _ = case
    error = error_of(nip[:14] + digit + nip[15:])
    assert error.part == "gender"


@settings(deadline=None)
@given(st.text())
def test_normalizing_twice_is_the_same_as_normalizing_once(text: str) -> None:
    assert normalize_nip(normalize_nip(text)) == normalize_nip(text)


@settings(deadline=None)
@given(
    valid_nips,
    st.lists(
        st.sampled_from(["", "", " ", ".", "-", "  ", " . ", "\u00a0"]), min_size=17, max_size=17
    ),
    st.sampled_from(["", " ", "\t", "\n "]),
)
def test_spaces_and_dots_between_the_digits_of_a_valid_nip_change_nothing(
    case: tuple[str, NipInfo], separators: list[str], padding: str
) -> None:
    nip, expected = case
    pasted = padding + "".join(d + s for d, s in zip(nip, [*separators, ""], strict=True)) + padding
    assert normalize_nip(pasted) == nip
    assert parse(pasted) == expected
    assert looks_like_nip(pasted)
