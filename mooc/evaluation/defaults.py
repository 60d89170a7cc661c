"""The evaluation template shipped with the platform (Indonesian, as agencies use it).

Written once here and read by the data migration that installs it, so the text lives
in one place; its key lets courses and course packages refer to it.
"""

from __future__ import annotations

DEFAULT_TEMPLATE_KEY = "evaluasi-penyelenggaraan"
DEFAULT_TEMPLATE_NAME = "Evaluasi Penyelenggaraan Pelatihan"
DEFAULT_TEMPLATE_DESCRIPTION = (
    "Bantu kami meningkatkan mutu pelatihan. Beri nilai 1 (sangat kurang) sampai "
    "5 (sangat baik) untuk setiap pernyataan."
)

LOW, HIGH = "Sangat kurang", "Sangat baik"
ORG = "Penyelenggaraan dan Platform"

# (group, text, kind, required, per_instructor)
DEFAULT_ITEMS: list[tuple[str, str, str, bool, bool]] = [
    ("Materi", "Materi sesuai dengan tujuan pelatihan", "scale", True, False),
    ("Materi", "Materi mudah dipahami", "scale", True, False),
    ("Materi", "Materi bermanfaat bagi pekerjaan saya", "scale", True, False),
    ("Instruktur", "Penguasaan materi", "scale", True, True),
    ("Instruktur", "Cara menyampaikan materi", "scale", True, True),
    ("Instruktur", "Tanggapan atas pertanyaan peserta", "scale", True, True),
    (ORG, "Kemudahan menggunakan platform", "scale", True, False),
    (ORG, "Kecukupan waktu pelatihan", "scale", True, False),
    (
        "Penyelenggaraan dan Platform",
        "Kejelasan informasi dan layanan bantuan",
        "scale",
        True,
        False,
    ),
    ("Saran", "Saran untuk perbaikan pelatihan ini", "text", False, False),
]
