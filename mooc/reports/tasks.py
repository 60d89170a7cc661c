from __future__ import annotations

from celery import shared_task


@shared_task(name="mooc.reports.tasks.report_export_task")
def report_export_task(export_id: int) -> None:
    from mooc.reports.services.exports import export_build

    export_build(export_id)
