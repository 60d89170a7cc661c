"""Private files on S3-compatible object storage (AWS S3, MinIO, Ceph RGW).

Chosen by environment variables (config/settings.py, docs/operations.md "Object
storage"); the local disk stays the default. Imported only when configured, so a
server on local disk never loads boto3.

Like the disk storage, this one gives no URL by `url()`: files are handed over by
`mooc.core.files.private_file_response` after its permission check, either as a
short-lived presigned link (`presigned_url`) or streamed by the application
(`iter_range`, which asks the object store for just the bytes of a Range request
instead of downloading the whole video first, as `open()` + `seek()` would).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

CHUNK_SIZE = 64 * 1024


class PrivateS3Storage(S3Storage):  # type: ignore[misc]  # django-storages is untyped
    """A private bucket (or a prefix of one): objects private, names never reused.

    `public_endpoint_url` is the address browsers use for presigned links when it
    differs from the one the servers use (MinIO or Ceph on an internal network,
    published through a reverse proxy): the signature covers the host, so the link
    must be signed for the browser's host. No request is made with it.
    """

    def __init__(self, *, public_endpoint_url: str | None = None, **options: Any) -> None:
        self.public_endpoint_url = public_endpoint_url or None
        self._presigner: Any = None
        super().__init__(**options)

    def get_default_settings(self) -> dict[str, Any]:
        defaults: dict[str, Any] = super().get_default_settings()
        defaults.update(
            # Django's disk storage never overwrites: a second file of the same name
            # gets a suffix. Two materials named "Modul 1.pdf" must stay two files.
            file_overwrite=False,
            # No ACL header: the object is as private as the bucket (see the docs'
            # bucket policy); also what buckets with ACLs disabled require.
            default_acl=None,
            querystring_auth=True,
            custom_domain=None,
            # Signature version 4: AWS's only one in newer regions; MinIO and Ceph RGW
            # accept it too.
            signature_version="s3v4",
        )
        return defaults

    def url(
        self,
        name: str | None,
        parameters: dict[str, str] | None = None,
        expire: int | None = None,
        http_method: str | None = None,
    ) -> str:
        raise ValueError(
            "Private files have no public URL; serve them with private_file_response()."
        )

    def _key(self, name: str) -> str:
        key: str = self._normalize_name(clean_name(name))
        return key

    def presigned_url(
        self,
        name: str,
        *,
        expire: int,
        content_type: str,
        disposition: str | None,
        method: str = "GET",
    ) -> str:
        """A link valid for `expire` seconds, with the response headers we want. The
        signature covers the method: a HEAD request needs a HEAD link."""
        params = {
            "Bucket": self.bucket_name,
            "Key": self._key(name),
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        }
        if disposition:
            params["ResponseContentDisposition"] = disposition
        client = self._presign_client()
        url: str = client.generate_presigned_url(
            "head_object" if method == "HEAD" else "get_object",
            Params=params if method != "HEAD" else {k: params[k] for k in ("Bucket", "Key")},
            ExpiresIn=expire,
            HttpMethod=method,
        )
        return url

    def _presign_client(self) -> Any:
        if self.public_endpoint_url is None:
            return self.connection.meta.client
        if self._presigner is None:
            self._presigner = self._create_session().client(
                "s3",
                region_name=self.region_name,
                use_ssl=self.use_ssl,
                endpoint_url=self.public_endpoint_url,
                config=self.client_config,
                verify=self.verify,
            )
        return self._presigner

    def iter_range(self, name: str, first: int, last: int) -> Iterator[bytes]:
        """Bytes `first`..`last` (inclusive) of the object, read as they arrive."""
        try:
            body = self.bucket.Object(self._key(name)).get(Range=f"bytes={first}-{last}")["Body"]
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(name) from error
            raise
        try:
            yield from body.iter_chunks(CHUNK_SIZE)
        finally:
            body.close()
