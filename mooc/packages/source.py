"""Reading a package safely, whether a folder or a zip.

A package is untrusted input: the zip may carry `../` names, symbolic links or
a few kilobytes that unpack to gigabytes, and the manifest may point anywhere.
Nothing here extracts a zip to disk; files are read from it on demand, and
every path the manifest names is resolved against the package root first.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from types import TracebackType

    from mooc.packages.report import PackageReport

MANIFEST_NAME = "course.yaml"
_DRIVE = re.compile(r"^[A-Za-z]:")
# Files that zip tools add and nobody means to ship.
_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db")
MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Set by COURSE_PACKAGE_MAX_BYTES, _MAX_FILES, _MAX_RATIO and _MAX_TEXT_BYTES.

    Videos, attachments and images have the limits of admin uploads
    (`mooc.catalog.uploads`)."""

    max_total_bytes: int
    max_files: int
    max_ratio: int
    max_text_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_total_bytes=getattr(settings, "COURSE_PACKAGE_MAX_BYTES", 1024 * MiB),
            max_files=getattr(settings, "COURSE_PACKAGE_MAX_FILES", 2000),
            max_ratio=getattr(settings, "COURSE_PACKAGE_MAX_RATIO", 100),
            max_text_bytes=getattr(settings, "COURSE_PACKAGE_MAX_TEXT_BYTES", 2 * MiB),
        )


class SizedFile(File):  # type: ignore[type-arg]
    """A file whose size is known up front: a zip member cannot tell it cheaply."""

    def __init__(self, handle: IO[bytes], name: str, size: int) -> None:
        super().__init__(handle, name=name)
        self.__dict__["size"] = size


class RefError(Exception):
    """A path in the manifest that cannot be used; the message says why."""


class MissingFile(RefError):
    """The path is fine, but nothing is there."""


# What reading a damaged zip raises, depending on where the damage is: a bad CRC or
# header magic (BadZipFile), a broken deflate stream (zlib.error), a truncated member
# (EOFError), a bad offset (OSError; ValueError "negative seek value" for an upload in
# memory), an unknown compression method (NotImplementedError).
ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


class DamagedZip(Exception):
    """A zip member could not be read. Never caught on the way: the import reports it."""

    def __init__(self, name: str, problem: BaseException) -> None:
        self.name = name
        super().__init__(
            _("The zip is damaged: “%(name)s” cannot be read (%(problem)s). Make the zip again.")
            % {"name": name, "problem": problem or type(problem).__name__}
        )


class _Member(io.RawIOBase):
    """A zip member whose read errors become DamagedZip, wherever it is read from
    (validators, Pillow, the storage copying it)."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
        super().__init__()
        self.name = name
        self.inner = self._guard(archive.open, info)

    def _guard(self, call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except ZIP_DAMAGE as error:
            raise DamagedZip(self.name, error) from error

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return bool(self._guard(self.inner.seekable))

    def read(self, size: int | None = -1) -> bytes:
        return bytes(self._guard(self.inner.read, -1 if size is None else size))

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return int(self._guard(self.inner.seek, offset, whence))

    def tell(self) -> int:
        return int(self._guard(self.inner.tell))

    def close(self) -> None:
        if not self.closed:
            self.inner.close()
        super().close()


@dataclass(frozen=True)
class Entry:
    """A regular file inside the package: its clean relative path and size."""

    path: str
    size: int

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.path).suffix.lower().lstrip(".")


def clean_path(raw: str) -> str:
    """A relative POSIX path without `.` or `..`, or RefError.

    Backslashes count as separators: packages are often written on Windows.
    """
    if "\x00" in raw:
        raise RefError(_("The path contains a NUL character."))
    path = raw.strip().replace("\\", "/")
    if path.startswith("/") or _DRIVE.match(path):
        raise RefError(_("Absolute paths are not allowed; give a path inside the package."))
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise RefError(_("The path leaves the package folder (“..”)."))
    if not parts:
        raise RefError(_("The path is empty."))
    return "/".join(parts)


def _missing(path: str, near: list[str]) -> MissingFile:
    wanted = path.lower()
    for candidate in near:
        if candidate.lower() == wanted:
            return MissingFile(
                _("No such file in the package. Did you mean %(name)s? Names are case-sensitive.")
                % {"name": candidate}
            )
    return MissingFile(_("No such file in the package."))


class PackageSource:
    """The files of one package. `locate` resolves a manifest path to an Entry."""

    label: str

    def locate(self, raw: str) -> Entry:
        raise NotImplementedError

    def open(self, entry: Entry) -> IO[bytes]:
        raise NotImplementedError

    def open_file(self, entry: Entry) -> SizedFile:
        return SizedFile(self.open(entry), entry.name, entry.size)

    def read(self, entry: Entry) -> bytes:
        with self.open(entry) as handle:
            return handle.read(entry.size + 1)

    def close(self) -> None:
        return None

    def __enter__(self) -> PackageSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class FolderSource(PackageSource):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.label = root.name or str(root)

    def locate(self, raw: str) -> Entry:
        path = clean_path(raw)
        target = self.root / path
        # resolve() follows symbolic links: one that points out of the folder is refused.
        resolved = target.resolve()
        if not resolved.is_relative_to(self.root):
            raise RefError(_("The path points outside the package folder (symbolic link)."))
        if resolved.is_dir():
            raise RefError(_("This is a folder, not a file."))
        if not resolved.is_file():
            parent, folder = target.parent, PurePosixPath(path).parent
            near = (
                [str(folder / child.name) for child in parent.iterdir()]
                if parent.is_dir() and parent.resolve().is_relative_to(self.root)
                else []
            )
            raise _missing(path, [name.removeprefix("./") for name in near])
        return Entry(path=path, size=resolved.stat().st_size)

    def open(self, entry: Entry) -> IO[bytes]:
        return (self.root / entry.path).resolve().open("rb")


class ZipSource(PackageSource):
    def __init__(
        self, archive: zipfile.ZipFile, label: str, members: dict[str, zipfile.ZipInfo]
    ) -> None:
        self.archive = archive
        self.label = label
        self.members = members  # clean path below the package root → its entry

    def locate(self, raw: str) -> Entry:
        path = clean_path(raw)
        if path in self.members:
            return Entry(path=path, size=self.members[path].file_size)
        if any(name.startswith(path + "/") for name in self.members):
            raise RefError(_("This is a folder, not a file."))
        raise _missing(path, list(self.members))

    def open(self, entry: Entry) -> IO[bytes]:
        return cast(IO[bytes], _Member(self.archive, self.members[entry.path], entry.path))

    def close(self) -> None:
        self.archive.close()


def open_source(
    source: Path | UploadedFile, limits: Limits, report: PackageReport
) -> PackageSource | None:
    """The package behind a path (folder, zip, or a course.yaml) or an upload (zip).

    Problems go to the report and None is returned.
    """
    if isinstance(source, UploadedFile):
        label = Path(source.name or "upload.zip").name
        report.source = label
        handle = source.file
        if handle is None:
            report.error(label, "", _("This is not a valid zip file."))
            return None
        handle.seek(0)
        return _open_zip(handle, label, limits, report)
    path = Path(source)
    report.source = path.name or str(path)
    if path.is_dir():
        return FolderSource(path)
    if path.is_file() and path.name == MANIFEST_NAME:
        report.source = path.resolve().parent.name
        return FolderSource(path.parent)
    if path.is_file() and (zipfile.is_zipfile(path) or path.suffix.lower() == ".zip"):
        return _open_zip(path, path.name, limits, report)
    if path.is_file():
        report.error(
            path.name, "", _("This is neither a folder, a zip file nor a course.yaml manifest.")
        )
    else:
        report.error(str(path), "", _("No such file or folder."))
    return None


def _open_zip(
    file: Path | IO[bytes], label: str, limits: Limits, report: PackageReport
) -> ZipSource | None:
    """`file`: a path (the zip is closed with the source) or an upload's open file."""
    try:
        archive = zipfile.ZipFile(file)
    except ZIP_DAMAGE:
        report.error(label, "", _("This is not a valid zip file."))
        return None
    names = _check_zip(archive, label, limits, report)
    if names is None:
        archive.close()
        return None
    prefix = _zip_root(names)
    if prefix is None:
        report.error(
            label,
            "",
            _("The zip has no %(manifest)s at its top level (or in a single top folder).")
            % {"manifest": MANIFEST_NAME},
        )
        archive.close()
        return None
    inside = {
        name.removeprefix(prefix): info for name, info in names.items() if name.startswith(prefix)
    }
    return ZipSource(archive, label, inside)


def _check_zip(
    archive: zipfile.ZipFile, label: str, limits: Limits, report: PackageReport
) -> dict[str, zipfile.ZipInfo] | None:
    """Every entry's clean name and size, or None when the zip is refused.

    The whole zip is refused for one bad entry, even one the manifest does not
    use: such a zip was made to attack, or made by a broken tool.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        report.error(
            label,
            "",
            _("The zip holds %(count)s entries; at most %(max)s are allowed.")
            % {"count": len(infos), "max": limits.max_files},
        )
        return None
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        report.error(
            label,
            "",
            _("The zip unpacks to %(size)s; at most %(max)s are allowed.")
            % {"size": filesizeformat(total), "max": filesizeformat(limits.max_total_bytes)},
        )
        return None
    names: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        raw = info.filename
        if raw.startswith(_JUNK) or PurePosixPath(raw).name in _JUNK:
            continue
        try:
            name = clean_path(raw)
        except RefError as error:
            report.error(
                label,
                "",
                _("Unsafe entry name “%(name)s”: %(problem)s") % {"name": raw, "problem": error},
            )
            continue
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            report.error(
                label,
                "",
                _("“%(name)s” is a symbolic link; links are not allowed.") % {"name": raw},
            )
            continue
        if info.flag_bits & 0x1:
            report.error(
                label, "", _("“%(name)s” is encrypted; remove the password.") % {"name": raw}
            )
            continue
        if info.is_dir():
            continue
        ratio_ok = (
            info.compress_size > 0 and info.file_size / info.compress_size <= limits.max_ratio
        )
        if info.file_size > MiB and not ratio_ok:
            report.error(
                label,
                "",
                _(
                    "“%(name)s” is compressed more than %(ratio)s times (a zip bomb?); "
                    "it is refused."
                )
                % {"name": raw, "ratio": limits.max_ratio},
            )
            continue
        if name in names:
            report.error(label, "", _("“%(name)s” is in the zip twice.") % {"name": raw})
            continue
        names[name] = info
    return None if report.errors else names


def _zip_root(names: dict[str, zipfile.ZipInfo]) -> str | None:
    """ "" when course.yaml is at the top; "folder/" when the zip holds one folder
    with it (what "Send to → Compressed folder" makes of a folder)."""
    if MANIFEST_NAME in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1:
        (top,) = tops
        if f"{top}/{MANIFEST_NAME}" in names:
            return f"{top}/"
    return None
