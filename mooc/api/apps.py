from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "mooc.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        # The answer save of the API rides the exams' save lane (mooc/exams/savelane.py).
        from mooc.api.exams import ANSWER_SAVE_URL_NAME, answer_save_fast
        from mooc.exams.lanes import lane_view_register

        lane_view_register(f"api-1:{ANSWER_SAVE_URL_NAME}", answer_save_fast)
