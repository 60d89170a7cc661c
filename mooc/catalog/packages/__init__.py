"""Course packages: a course as a folder or zip with a `course.yaml` manifest.

The format is described in docs/course-packages.md; the schema is in
`mooc.catalog.package_schema`.
"""

from __future__ import annotations

from mooc.catalog.packages.exporter import course_package_export
from mooc.catalog.packages.importer import course_package_import
from mooc.catalog.packages.report import PackageError, PackageReport

__all__ = ["PackageError", "PackageReport", "course_package_export", "course_package_import"]
