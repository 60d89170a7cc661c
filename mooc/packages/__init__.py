"""Course packages: a course as a folder or zip with a `course.yaml` manifest.

This app sits above catalog, learning and exams: a package carries a course, its
sections and materials, its question bank and its exams, so importing and exporting
one drives all three; none of them imports this app.

- `importer.course_package_import`, `exporter.course_package_export`: the services.
- `manifest` (reading and checking `course.yaml`), `schema` (its JSON schema),
  `source` (a folder or a zip, with limits), `report` (what an import did).
- `admin`: the upload and download pages inside the course admin.
- `management/commands`: `import_course`, `export_course`.
- `demo`: the demo courses (`demo_courses/`), imported by `load_demo`.

The format is described in docs/course-packages.md.
"""
