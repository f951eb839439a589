"""Evidence bytes on disk, outside the web root, each stored once under its SHA-256.

Writes go to a temporary file, are flushed to disk, then renamed into place, so a crash never
leaves a half-written blob under a real name. Reads check the hash: bytes changed on disk are
reported, never served.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings


class BlobTampered(RuntimeError):
    pass


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_path(sha256: str) -> Path:
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256")
    return Path(settings.EVIDENCE_ROOT) / sha256[:2] / sha256[2:4] / sha256


def blob_write(data: bytes) -> str:
    digest = sha256_hex(data)
    path = blob_path(digest)
    if path.exists():
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o440)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def blob_read(sha256: str) -> bytes:
    data = blob_path(sha256).read_bytes()
    if sha256_hex(data) != sha256:
        raise BlobTampered(f"evidence blob {sha256} no longer matches its hash")
    return data
