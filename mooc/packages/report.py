"""What an import did, or why it did nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# The kinds of rows an import touches, in the order the report lists them.
KINDS = (
    "course",
    "category",
    "instructor",
    "section",
    "material",
    "attachment",
    "question",
    "exam",
    "pretest",
    "evaluation",
)


@dataclass(frozen=True)
class PackageError:
    """One problem: the file it is in, the field (a path such as
    `sections[2].materials[0].title`, empty for the whole file) and what is wrong."""

    file: str
    field: str
    message: str
    line: int | None = None

    @property
    def location(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} {self.field}" if self.field else where

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class PackageReport:
    source: str
    course_slug: str = ""
    course_id: int | None = None
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    retired: Counter[str] = field(default_factory=Counter)
    # Attachments have no ids: a changed list replaces them. Nothing points to them.
    deleted: Counter[str] = field(default_factory=Counter)
    errors: list[PackageError] = field(default_factory=list)
    # Things worth knowing that are not errors, e.g. reserved keys that were ignored
    # and questions of unsupported types that were skipped.
    notes: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(
            counter.total() for counter in (self.created, self.updated, self.retired, self.deleted)
        )

    def error(self, file: str, field: str, message: str, line: int | None = None) -> None:
        self.errors.append(PackageError(file=file, field=field, message=str(message), line=line))

    def rows(self) -> list[tuple[str, int, int, int, int, int]]:
        """(kind, created, updated, unchanged, retired, deleted) for each kind touched."""
        counters = (self.created, self.updated, self.unchanged, self.retired, self.deleted)
        return [
            (kind, *(counter[kind] for counter in counters))  # type: ignore[misc]
            for kind in KINDS
            if any(counter[kind] for counter in counters)
        ]
