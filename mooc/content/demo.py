"""Demo news, FAQ and video tutorials, written as a ministry training agency would.

Loading twice changes nothing: rows are found by their natural keys and saved
only when a value differs. Publication times are set when a row is first
created (a few days to weeks before that moment) and left alone afterwards, so
the news looks recent on a fresh install without being rewritten on every run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models, transaction

from mooc.content.models import FAQ, FAQCategory, News, VideoTutorial
from mooc.core.sanitize import sanitize_html
from mooc.core.timezones import institution_tz, local_now

M = TypeVar("M", bound=models.Model)

NEWS: list[dict[str, Any]] = [
    {
        "slug": "peluncuran-lima-kursus-daring-baru",
        "days_ago": 3,
        "title": "BPSDM Meluncurkan Lima Kursus Daring Baru untuk ASN",
        "summary": (
            "Lima kursus daring baru kini dapat diikuti seluruh ASN secara gratis melalui MOOC, "
            "mulai dari pelayanan publik berbasis digital hingga literasi data."
        ),
        "body": """
<p>Badan Pengembangan Sumber Daya Manusia (BPSDM) meluncurkan lima kursus daring baru yang
dapat diikuti oleh seluruh Aparatur Sipil Negara (ASN) melalui platform MOOC. Peluncuran ini
merupakan bagian dari upaya memperluas akses pengembangan kompetensi yang fleksibel, dapat
diikuti kapan saja dan dari mana saja, tanpa meninggalkan tugas kedinasan.</p>
<p>Kelima kursus tersebut adalah:</p>
<ol>
<li><strong>Pelayanan Publik Berbasis Digital</strong> (10 JP)</li>
<li><strong>Literasi Data untuk Pengambilan Keputusan</strong> (8 JP)</li>
<li><strong>Penulisan Naskah Dinas</strong> (6 JP)</li>
<li><strong>Manajemen Risiko di Sektor Publik</strong> (8 JP)</li>
<li><strong>Budaya Kerja BerAKHLAK</strong> (4 JP)</li>
</ol>
<p>Setiap kursus terdiri atas materi bacaan, video pembelajaran, kuis latihan, dan ujian akhir.
Peserta yang lulus ujian akhir akan memperoleh sertifikat elektronik yang mencantumkan jumlah
jam pelajaran (JP) dan dapat digunakan sebagai bukti pengembangan kompetensi.</p>
<p>"Kami ingin setiap pegawai, termasuk yang bertugas di daerah, memiliki kesempatan yang sama
untuk belajar. Cukup dengan ponsel dan koneksi internet, pegawai dapat menyelesaikan kursus
sesuai ritme masing-masing," ujar Kepala BPSDM dalam sambutannya.</p>
<p>Untuk mengikuti kursus, masuk ke akun MOOC Anda, pilih kursus pada halaman Daftar Kursus,
lalu klik tombol <strong>Ambil Kursus Ini</strong>.</p>
""",
    },
    {
        "slug": "pengingat-kewajiban-pengembangan-kompetensi-20-jp",
        "days_ago": 8,
        "title": "Pengingat: ASN Wajib Mengikuti Pengembangan Kompetensi Minimal 20 JP per Tahun",
        "summary": (
            "Sesuai PP Nomor 17 Tahun 2020, setiap ASN wajib mengikuti pengembangan kompetensi "
            "paling sedikit 20 jam pelajaran dalam satu tahun. Kursus di MOOC dapat membantu "
            "memenuhinya."
        ),
        "body": """
<p>BPSDM mengingatkan seluruh pegawai bahwa pengembangan kompetensi merupakan hak sekaligus
kewajiban setiap ASN. Peraturan Pemerintah Nomor 17 Tahun 2020 tentang Perubahan atas Peraturan
Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil menegaskan bahwa setiap
ASN wajib mengikuti pengembangan kompetensi paling sedikit <strong>20 jam pelajaran (JP)</strong>
dalam satu tahun. Satu JP setara dengan 45 menit.</p>
<h2>Bagaimana MOOC membantu?</h2>
<p>Setiap kursus di MOOC memiliki bobot JP yang tercantum pada halaman kursus dan pada
sertifikat. JP dari kursus yang telah Anda selesaikan dengan status <strong>Lulus</strong>
tercatat otomatis dan dapat dipantau di halaman Beranda setelah Anda masuk.</p>
<ul>
<li>Pilih kursus yang sesuai dengan jabatan dan kebutuhan kompetensi Anda.</li>
<li>Selesaikan seluruh materi, lalu ikuti ujian akhir.</li>
<li>Unduh sertifikat dan simpan sebagai bukti untuk pengisian riwayat pengembangan kompetensi.</li>
</ul>
<p>Pegawai yang jumlah JP-nya belum mencapai 20 JP disarankan untuk segera mengikuti kursus
yang tersedia agar target tahun berjalan dapat terpenuhi sebelum akhir tahun.</p>
""",
    },
    {
        "slug": "ketentuan-ujian-akhir-kursus-gelombang-ii",
        "days_ago": 12,
        "title": "Ketentuan dan Jadwal Ujian Akhir Kursus Gelombang II",
        "summary": (
            "Ujian akhir kursus gelombang II dibuka setiap hari pukul 08.00–20.00 WIB. Simak "
            "durasi, jumlah soal, dan nilai kelulusan setiap kursus."
        ),
        "body": """
<p>Ujian akhir untuk kursus gelombang II dapat diikuti setiap hari pukul
<strong>08.00–20.00 WIB</strong> setelah peserta menyelesaikan seluruh materi kursus.
Ketentuan ujian untuk setiap kursus adalah sebagai berikut:</p>
<table>
<thead>
<tr><th scope="col">Kursus</th><th scope="col">Jumlah Soal</th><th scope="col">Durasi</th>
<th scope="col">Nilai Kelulusan</th><th scope="col">Kesempatan</th></tr>
</thead>
<tbody>
<tr><td>Pelayanan Publik Berbasis Digital</td>
<td>25</td><td>45 menit</td><td>70</td><td>3 kali</td></tr>
<tr><td>Literasi Data untuk Pengambilan Keputusan</td>
<td>20</td><td>40 menit</td><td>70</td><td>3 kali</td></tr>
<tr><td>Penulisan Naskah Dinas</td>
<td>20</td><td>30 menit</td><td>75</td><td>2 kali</td></tr>
</tbody>
</table>
<h2>Hal yang perlu diperhatikan</h2>
<ul>
<li>Waktu ujian dihitung oleh server. Jawaban tersimpan setiap kali Anda memilih opsi, sehingga
tidak hilang apabila koneksi terputus.</li>
<li>Apabila waktu habis, jawaban yang sudah tersimpan akan dikirim secara otomatis.</li>
<li>Nilai terbaik dari seluruh kesempatan yang digunakan menjadi nilai akhir kursus.</li>
</ul>
<p>Pastikan perangkat Anda terisi daya dan koneksi internet stabil sebelum menekan tombol
<strong>Mulai Quiz</strong>.</p>
""",
    },
    {
        "slug": "pemberitahuan-pemeliharaan-server-mooc",
        "days_ago": 17,
        "title": "Pemberitahuan Pemeliharaan Server MOOC",
        "summary": (
            "Layanan MOOC tidak dapat diakses sementara pada Sabtu malam pukul 22.00 WIB hingga "
            "Minggu pukul 04.00 WIB karena pemeliharaan server."
        ),
        "body": """
<p>Dalam rangka peningkatan kapasitas dan keamanan layanan, tim pengelola MOOC akan melakukan
pemeliharaan server pada <strong>Sabtu pukul 22.00 WIB sampai dengan Minggu pukul 04.00
WIB</strong>. Selama periode tersebut, seluruh layanan MOOC, termasuk materi, ujian, dan unduhan
sertifikat, tidak dapat diakses.</p>
<p>Progres belajar, jawaban ujian yang telah dikirim, dan sertifikat Anda tetap aman dan tidak
terpengaruh oleh kegiatan ini. Kami menyarankan agar peserta tidak memulai ujian menjelang pukul
22.00 WIB pada hari tersebut.</p>
<p>Mohon maaf atas ketidaknyamanan ini. Apabila setelah pukul 04.00 WIB Anda masih mengalami
kendala, silakan hubungi layanan bantuan melalui alamat email yang tercantum di bagian bawah
halaman.</p>
""",
    },
    {
        "slug": "verifikasi-sertifikat-elektronik-kini-tersedia",
        "days_ago": 24,
        "title": "Verifikasi Sertifikat Elektronik Kini Dapat Dilakukan Secara Daring",
        "summary": (
            "Keaslian sertifikat kursus MOOC kini dapat diperiksa siapa saja dengan memindai "
            "kode QR pada sertifikat atau memasukkan nomor sertifikat di halaman verifikasi."
        ),
        "body": """
<p>Mulai bulan ini, setiap sertifikat elektronik yang diterbitkan melalui MOOC dilengkapi
dengan <strong>kode QR</strong> yang mengarah ke halaman verifikasi resmi. Dengan fitur ini,
atasan, pengelola kepegawaian, maupun panitia seleksi dapat memastikan keaslian sertifikat
tanpa harus menghubungi BPSDM.</p>
<h2>Cara melakukan verifikasi</h2>
<ol>
<li>Pindai kode QR pada sertifikat menggunakan kamera ponsel, atau</li>
<li>Buka halaman verifikasi sertifikat, lalu masukkan nomor sertifikat dan nama pemegangnya.</li>
</ol>
<p>Halaman verifikasi menampilkan status sertifikat (sah atau dicabut), nama peserta, judul
kursus, jumlah JP, dan tanggal kelulusan. Untuk melindungi data pribadi, NIP hanya ditampilkan
empat digit terakhir.</p>
<p>Sertifikat yang diterbitkan sebelum fitur ini tersedia juga dapat diverifikasi menggunakan
nomor sertifikat.</p>
""",
    },
    {
        "slug": "pendaftaran-kursus-pelayanan-publik-angkatan-iii",
        "days_ago": 33,
        "title": "Pendaftaran Kursus Pelayanan Publik Berbasis Digital Angkatan III Dibuka",
        "summary": (
            "BPSDM membuka pendaftaran Angkatan III kursus Pelayanan Publik Berbasis Digital untuk "
            "500 peserta. Pendaftaran dilakukan langsung melalui MOOC."
        ),
        "body": """
<p>Menindaklanjuti tingginya minat pada dua angkatan sebelumnya, BPSDM membuka pendaftaran
<strong>Angkatan III</strong> kursus Pelayanan Publik Berbasis Digital dengan kuota
<strong>500 peserta</strong>.</p>
<p>Kursus ini membahas prinsip pelayanan prima, standar pelayanan, pemanfaatan kanal digital,
serta pengelolaan pengaduan masyarakat. Bobot kursus adalah 10 JP dan dapat diselesaikan dalam
waktu dua minggu.</p>
<h2>Persyaratan</h2>
<ul>
<li>ASN di lingkungan kementerian yang memiliki akun MOOC aktif.</li>
<li>Diutamakan pegawai yang bertugas pada unit pelayanan publik.</li>
</ul>
<p>Pendaftaran dilakukan dengan masuk ke MOOC, membuka halaman kursus, lalu menekan tombol
<strong>Ambil Kursus Ini</strong>. Pendaftaran ditutup apabila kuota telah terpenuhi.</p>
""",
    },
]

FAQ_CATEGORIES: list[dict[str, Any]] = [
    {
        "name": "Akun & Login",
        "faqs": [
            (
                "Bagaimana cara mendaftar akun MOOC?",
                "<p>Klik tombol <strong>Daftar</strong> di pojok kanan atas halaman. Pegawai "
                "internal mendaftar menggunakan <strong>NIP</strong> (18 digit), sedangkan peserta "
                "eksternal menggunakan nama pengguna. Lengkapi data diri, lalu buka email aktivasi "
                "yang kami kirimkan untuk mengaktifkan akun.</p>",
            ),
            (
                "Saya belum menerima email aktivasi. Apa yang harus saya lakukan?",
                "<p>Periksa folder <em>Spam</em> atau <em>Promosi</em> pada kotak surat Anda. "
                "Tautan aktivasi berlaku selama <strong>1×24 jam</strong>. Jika tautan sudah "
                "kedaluwarsa atau email tidak ditemukan, buka halaman Login lalu klik "
                "<strong>Kirim Ulang Verifikasi</strong> untuk mendapatkan email baru.</p>",
            ),
            (
                "Saya lupa password. Bagaimana cara mengatur ulang?",
                "<p>Pada halaman Login, klik <strong>Lupa Password</strong>, lalu masukkan NIP "
                "atau nama pengguna dan email yang terdaftar. Ikuti petunjuk yang dikirimkan untuk "
                "membuat password baru.</p>",
            ),
            (
                "Apakah NIP dapat diubah setelah pendaftaran?",
                "<p>Tidak. NIP menjadi identitas akun dan tidak dapat diubah melalui halaman "
                "Profil. Jika terdapat kesalahan NIP, hubungi admin BPSDM melalui layanan "
                "bantuan.</p>",
            ),
        ],
    },
    {
        "name": "Pelatihan",
        "faqs": [
            (
                "Bagaimana cara mengikuti kursus?",
                "<p>Masuk ke akun Anda, pilih kursus pada halaman Daftar Kursus, lalu klik "
                "<strong>Ambil Kursus Ini</strong>. Kursus yang Anda ikuti tampil di menu "
                "Kursus yang Diikuti.</p>",
            ),
            (
                "Berapa JP yang wajib dipenuhi ASN setiap tahun?",
                "<p>Sesuai PP Nomor 17 Tahun 2020, setiap ASN wajib mengikuti pengembangan "
                "kompetensi paling sedikit <strong>20 JP per tahun</strong> (1 JP = 45 menit). "
                "Jumlah JP yang telah Anda kumpulkan tahun ini tampil di halaman Beranda.</p>",
            ),
            (
                "Apakah progres belajar saya tersimpan jika saya berhenti di tengah kursus?",
                "<p>Ya. Setiap materi yang selesai tercatat otomatis. Saat Anda kembali, lanjutkan "
                "dari menu Kursus yang Diikuti pada materi terakhir yang Anda buka.</p>",
            ),
        ],
    },
    {
        "name": "Ujian & Sertifikat",
        "faqs": [
            (
                "Berapa kali saya dapat mengikuti ujian akhir?",
                "<p>Jumlah kesempatan, durasi, dan nilai kelulusan ditampilkan di halaman ujian "
                "sebelum Anda menekan tombol <strong>Mulai Quiz</strong>. Nilai terbaik dari "
                "seluruh percobaan menjadi nilai akhir kursus.</p>",
            ),
            (
                "Kapan saya dapat mengunduh sertifikat?",
                "<p>Sertifikat dapat diunduh setelah status kursus Anda <strong>Lulus</strong>. "
                "Buka menu Kursus yang Diikuti, pilih tab Selesai, lalu klik "
                "<strong>Download Sertifikat</strong>.</p>",
            ),
            (
                "Bagaimana cara memeriksa keaslian sertifikat?",
                "<p>Pindai <strong>kode QR</strong> pada sertifikat menggunakan kamera ponsel. "
                "Halaman verifikasi akan menampilkan status sertifikat, nama peserta, judul "
                "kursus, jumlah JP, dan tanggal kelulusan.</p>",
            ),
        ],
    },
    {
        "name": "Teknis",
        "faqs": [
            (
                "Perangkat dan browser apa yang dapat digunakan?",
                "<p>MOOC dapat dibuka melalui komputer maupun ponsel dengan browser Google Chrome, "
                "Mozilla Firefox, atau Microsoft Edge versi terbaru. Tidak perlu memasang "
                "aplikasi tambahan.</p>",
            ),
            (
                "Koneksi internet saya terputus saat ujian. Apakah jawaban saya hilang?",
                "<p>Tidak. Setiap jawaban langsung tersimpan di server saat Anda memilihnya. Buka "
                "kembali halaman ujian untuk melanjutkan dengan sisa waktu yang sama. Perlu "
                "diingat, waktu ujian tetap berjalan selama koneksi terputus.</p>",
            ),
        ],
    },
]

VIDEO_TUTORIALS: list[dict[str, Any]] = [
    {
        "title": "Cara Mendaftar dan Mengaktifkan Akun MOOC",
        "description": (
            "Langkah-langkah membuat akun dengan NIP, membuka email aktivasi, dan masuk pertama "
            "kali ke MOOC."
        ),
        "video_url": "https://www.youtube.com/watch?v=Xq3vB8kT2mA",
    },
    {
        "title": "Cara Mengikuti Kursus dan Ujian Akhir",
        "description": (
            "Memilih kursus, menyelesaikan materi bacaan dan video, lalu mengerjakan ujian akhir "
            "hingga mendapatkan nilai."
        ),
        "video_url": "https://www.youtube.com/watch?v=p7LdR4nW9sE",
    },
    {
        "title": "Cara Mengunduh dan Memverifikasi Sertifikat",
        "description": (
            "Mengunduh sertifikat elektronik setelah dinyatakan Lulus dan memeriksa keasliannya "
            "melalui kode QR."
        ),
        "video_url": "https://www.youtube.com/watch?v=Hk2tZ6yQ1cU",
    },
]


def _upsert(
    model: type[M], *, lookup: dict[str, Any], values: dict[str, Any], on_create: dict[str, Any]
) -> M:
    """Create the row, or bring it to `values`, saving only the fields that differ."""
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        return model._default_manager.create(**lookup, **values, **on_create)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        if hasattr(row, "updated_at"):
            changed.append("updated_at")
        row.save(update_fields=changed)
    return row


def _days_ago_at_nine(days: int) -> dt.datetime:
    day = local_now().date() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=institution_tz())


@transaction.atomic
def load() -> None:
    for item in NEWS:
        _upsert(
            News,
            lookup={"slug": item["slug"]},
            values={
                "title": item["title"],
                "summary": item["summary"],
                # Compared with the stored (sanitized) text, so it must be sanitized too.
                "body": sanitize_html(item["body"].strip()),
                "is_published": True,
            },
            on_create={"published_at": _days_ago_at_nine(item["days_ago"])},
        )
    for category_order, category_item in enumerate(FAQ_CATEGORIES, start=1):
        category = _upsert(
            FAQCategory,
            lookup={"name": category_item["name"]},
            values={"order": category_order},
            on_create={},
        )
        for order, (question, answer) in enumerate(category_item["faqs"], start=1):
            _upsert(
                FAQ,
                lookup={"category": category, "question": question},
                values={"answer": sanitize_html(answer), "order": order, "is_published": True},
                on_create={},
            )
    for order, video in enumerate(VIDEO_TUTORIALS, start=1):
        _upsert(
            VideoTutorial,
            lookup={"title": video["title"]},
            values={
                "description": video["description"],
                "video_url": video["video_url"],
                "order": order,
                "is_published": True,
            },
            on_create={},
        )
