from __future__ import annotations

from django.urls import path

from mooc.reports.views import evaluation, exports, external, learner, pages, siasn

app_name = "reports"

urlpatterns = [
    path("laporan/", pages.summary, name="summary"),
    path("laporan/kursus/", pages.courses, name="courses"),
    path("laporan/kursus/<int:course_id>/", pages.course, name="course"),
    path(
        "laporan/kursus/<int:course_id>/evaluasi/",
        evaluation.course_evaluation,
        name="course_evaluation",
    ),
    path("laporan/kursus/<int:course_id>/pre-post/", evaluation.course_gain, name="course_gain"),
    path("laporan/unit/", pages.units, name="units"),
    path("laporan/peserta/", pages.learners, name="learners"),
    path("laporan/peserta/<int:user_id>/", pages.learner, name="learner"),
    path(
        "laporan/peserta/<int:user_id>/pelatihan-lain/",
        external.external_training_new,
        name="external_training_new",
    ),
    path(
        "laporan/pelatihan-lain/<int:training_id>/bukti/",
        external.external_training_evidence,
        name="external_training_evidence",
    ),
    path("laporan/di-bawah-target/", pages.below_target, name="below_target"),
    path("laporan/ekspor/<str:report>.<str:fmt>", exports.export, name="export"),
    path("laporan/ekspor/<int:export_id>/", exports.export_status, name="export_status"),
    path("laporan/ekspor/<int:export_id>/unduh/", exports.export_download, name="export_download"),
    path("laporan/siasn/", siasn.siasn, name="siasn"),
    path(
        "laporan/siasn/<int:batch_id>/unduh.<str:fmt>", siasn.siasn_download, name="siasn_download"
    ),
    path("laporan/siasn/<int:batch_id>/kirim/", siasn.siasn_push, name="siasn_push"),
    path("riwayat-jp/", learner.my_jp, name="my_jp"),
    path("riwayat-jp/siasn.<str:fmt>", learner.my_siasn, name="my_siasn"),
]
