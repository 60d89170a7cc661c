"""The exams app in the admin: question banks (`banks`) and exams and attempts (`exams`).

Importing both registers their ModelAdmins when Django's admin autodiscovers this package.
"""

from mooc.exams.admin import banks, exams  # noqa: F401
