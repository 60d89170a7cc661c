"""Demo branding: a neutral "MOOC BPSDM" look with the kemenkum vocabulary."""

from __future__ import annotations

from mooc.core.models import SiteSettings
from mooc.core.vocabulary import VocabularyProfile


def load() -> None:
    row, _ = SiteSettings.objects.get_or_create(id=SiteSettings.SINGLETON_ID)
    row.name = "MOOC BPSDM"
    row.short_name = "BPSDM"
    row.tagline = "Belajar kapan saja, di mana saja: pengembangan kompetensi ASN secara daring"
    row.primary_colour = "#0b3d91"
    row.vocabulary_profile = VocabularyProfile.KEMENKUM
    row.contact_email = "helpdesk.mooc@bpsdm.example.go.id"
    row.contact_phone = "(021) 555-0123"
    row.address = "Badan Pengembangan Sumber Daya Manusia\nJl. Raya Demo No. 1, Jakarta 12345"
    row.footer_text = "© BPSDM. Platform pembelajaran daring untuk Aparatur Sipil Negara."
    row.signatory_name = "Dr. Andi Prasetyo, S.H., M.H."
    row.signatory_title = "Kepala Badan Pengembangan Sumber Daya Manusia"
    row.signatory_nip = "197001011995031001"
    row.save()
