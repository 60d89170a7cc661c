from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "mooc.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from mooc.certificates import receivers
        from mooc.exams.signals import final_exam_pass_withdrawn, final_exam_passed

        # Passing the final exam issues the certificate in the grading transaction; a
        # reset may not take away a pass that a valid certificate rests on.
        final_exam_passed.connect(
            receivers.certificate_issue_on_pass, dispatch_uid="certificates-issue-on-pass"
        )
        final_exam_pass_withdrawn.connect(
            receivers.pass_withdrawal_refuse_if_certified,
            dispatch_uid="certificates-refuse-pass-withdrawal",
        )
