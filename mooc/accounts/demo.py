"""Demo accounts and a ministry's unit tree. The demo passwords are public by
design: `load_demo` refuses to run with DEBUG off."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils import timezone

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.nip import parse_nip
from mooc.accounts.roles import roles_sync


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    full_name: str
    email: str
    is_superuser: bool = False
    is_staff: bool = False
    role_group: str = ""  # one of mooc.accounts.roles.ROLES
    unit_code: str = ""
    jabatan: str = ""
    # A TOTP key (hex) for a staff demo account: public like the password, so a
    # newcomer can add it to an authenticator app from `demo_logins`' otpauth:// URI.
    totp_key: str = ""


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        role="Admin BPSDM",
        username="admin",
        password="AdminDemo2026",  # noqa: S106 - public demo password
        full_name="Admin BPSDM",
        email="admin@bpsdm.example.go.id",
        is_superuser=True,
        totp_key=b"MOOC-ASN-demo-admin!".hex(),
    ),
    DemoLogin(
        role="Pelihat Laporan",
        username="pelihat.laporan",
        password="LaporanDemo2026",  # noqa: S106 - public demo password
        full_name="Pelihat Laporan Kanwil Jawa Barat",
        email="pelihat.laporan@bpsdm.example.go.id",
        is_staff=True,
        role_group="Pelihat Laporan",
        unit_code="KW-JABAR",
        totp_key=b"MOOC-ASN-demo-laporan".hex(),
    ),
    DemoLogin(
        role="Peserta (ASN)",
        username="198609262015051001",
        password="PesertaDemo2026",  # noqa: S106 - public demo password
        full_name="Budi Santoso, S.H.",
        email="budi.santoso@example.go.id",
        unit_code="KW-JABAR-LPS-BDG",
        jabatan="Analis Hukum Ahli Pertama",
    ),
)

# (code, name, parent code): Eselon I units, regional offices (Kanwil) and their UPT.
DEMO_UNITS: tuple[tuple[str, str, str], ...] = (
    ("KEM", "Kementerian Demo", ""),
    ("SETJEN", "Sekretariat Jenderal", "KEM"),
    ("ITJEN", "Inspektorat Jenderal", "KEM"),
    ("BPSDM", "Badan Pengembangan Sumber Daya Manusia", "KEM"),
    ("DITJENPAS", "Direktorat Jenderal Pemasyarakatan", "KEM"),
    ("DITJENIM", "Direktorat Jenderal Imigrasi", "KEM"),
    ("SETJEN-BIRO-SDM", "Biro Sumber Daya Manusia", "SETJEN"),
    ("SETJEN-BIRO-KEU", "Biro Keuangan", "SETJEN"),
    ("BPSDM-PUSBANG", "Pusat Pengembangan Diklat Teknis", "BPSDM"),
    ("KW-DKI", "Kantor Wilayah DKI Jakarta", "KEM"),
    ("KW-JABAR", "Kantor Wilayah Jawa Barat", "KEM"),
    ("KW-JATIM", "Kantor Wilayah Jawa Timur", "KEM"),
    ("KW-SULSEL", "Kantor Wilayah Sulawesi Selatan", "KEM"),
    ("KW-PAPUA", "Kantor Wilayah Papua", "KEM"),
    ("KW-DKI-LPS-CPN", "Lapas Kelas I Cipinang", "KW-DKI"),
    ("KW-DKI-RTN-SLB", "Rutan Kelas I Jakarta Pusat (Salemba)", "KW-DKI"),
    ("KW-DKI-KIM-JKS", "Kantor Imigrasi Kelas I Jakarta Selatan", "KW-DKI"),
    ("KW-JABAR-LPS-BDG", "Lapas Kelas IIA Bandung", "KW-JABAR"),
    ("KW-JABAR-KIM-BDG", "Kantor Imigrasi Kelas I TPI Bandung", "KW-JABAR"),
    ("KW-JABAR-BPS-BGR", "Balai Pemasyarakatan Kelas I Bogor", "KW-JABAR"),
    ("KW-JATIM-LPS-PRB", "Lapas Kelas I Surabaya (Porong)", "KW-JATIM"),
    ("KW-JATIM-KIM-SBY", "Kantor Imigrasi Kelas I Khusus TPI Surabaya", "KW-JATIM"),
    ("KW-SULSEL-LPS-MKS", "Lapas Kelas I Makassar", "KW-SULSEL"),
    ("KW-SULSEL-KIM-MKS", "Kantor Imigrasi Kelas I TPI Makassar", "KW-SULSEL"),
    ("KW-PAPUA-LPS-JPR", "Lapas Kelas IIA Abepura", "KW-PAPUA"),
    ("KW-PAPUA-KIM-JPR", "Kantor Imigrasi Kelas I TPI Jayapura", "KW-PAPUA"),
)


def _load_units() -> None:
    for code, name, parent_code in DEMO_UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is not None:
            if unit.name != name:
                unit.name = name
                unit.save(update_fields=["name"])
            continue
        if parent_code:
            Unit.objects.add_child(Unit.objects.get(code=parent_code), {"code": code, "name": name})
        else:
            Unit.objects.add_root({"code": code, "name": name})


def load() -> None:
    _load_units()
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        user.full_name = login.full_name
        user.email = login.email
        user.jabatan = login.jabatan
        user.is_active = True
        user.is_staff = login.is_superuser or login.is_staff
        user.is_superuser = login.is_superuser
        if login.unit_code:
            user.unit = Unit.objects.get(code=login.unit_code)
            user.phone = "081234567890"
        if login.unit_code and login.username.isdigit():
            user.employee_type = EmployeeType.INTERNAL
            user.nip_kind = parse_nip(login.username).kind
        user.activated_at = user.activated_at or timezone.now()
        user.locked_at = None
        if not user.check_password(login.password):
            user.set_password(login.password)
        user.save()
        if login.role_group:
            roles_sync()
            user.groups.add(Group.objects.get(name=login.role_group))
        if login.totp_key:
            _load_totp_device(user, login.totp_key)


def _load_totp_device(user: User, key: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(user=user, confirmed=True, key=key).exists():
        return
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="Demo", key=key, confirmed=True)


def totp_uri(login: DemoLogin) -> str:
    """The demo account's otpauth:// URI, as its QR code would carry it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice(user=User(username=login.username), key=login.totp_key)
    return str(device.config_url)
