"""Download archives encrypted at rest, each with its own key.

A "download my data" zip holds journal text and supervision notes, so it is never written to
storage (or to a temporary file) in clear. The zip is written straight into an
``EncryptingWriter``, which encrypts it in 64 KiB chunks with AES-256-GCM under a random key
made for that one export; only ciphertext reaches the temporary file and storage. The key is
kept in the export's database row, itself encrypted with the field keys (``EncryptedTextField``),
and is deleted with the file when the export expires. The download view decrypts chunk by chunk
as the zip streams to its owner, so neither end holds the whole archive in memory twice.

Stored format: ``MAGIC``, then chunks of ``flag (1 byte: 1 on the last chunk) | length of the
ciphertext (4 bytes, big-endian) | nonce (12 bytes) | ciphertext and tag``. Each chunk's
associated data binds it to its position and to whether it is the last, so chunks cannot be
reordered, dropped or cut off without decryption failing.
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"HHAR1\n"
CHUNK = 64 * 1024
_HEAD = struct.Struct(">BI")  # last-chunk flag, ciphertext length
_NONCE = 12
_TAG = 16


class ArchiveUnreadable(Exception):
    """The stored archive is not one we wrote with this key (damaged, cut short or altered)."""


def archive_key_new() -> str:
    """A fresh random 256-bit key, as text for the encrypted key column."""
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")


def _cipher(key: str) -> AESGCM:
    return AESGCM(base64.urlsafe_b64decode(key.encode("ascii")))


def _associated(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">Q?", index, last)


class EncryptingWriter:
    """A write-only file for ``zipfile``: what is written is encrypted in chunks into ``sink``.

    It can tell its position but not seek, so ``zipfile`` streams (data descriptors) instead of
    going back to patch headers. At most one chunk (64 KiB) of clear bytes is held at a time.
    Call ``finish()`` after the zip is closed to write the last chunk."""

    def __init__(self, sink: BinaryIO, key: str) -> None:
        self._sink = sink
        self._cipher = _cipher(key)
        self._buffer = bytearray()
        self._index = 0
        self._position = 0
        self._finished = False
        sink.write(MAGIC)

    def write(self, data) -> int:
        if self._finished:
            raise ValueError("The archive is already finished.")
        self._buffer += data
        self._position += len(data)
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        """Nothing to do: a chunk is written once it is full (zipfile calls this)."""

    def finish(self) -> None:
        """Write what is left as the last chunk (always, even if empty, so that an archive cut
        short at a chunk boundary is noticed)."""
        if not self._finished:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._finished = True

    def _emit(self, plain: bytes, *, last: bool) -> None:
        nonce = os.urandom(_NONCE)
        sealed = self._cipher.encrypt(nonce, plain, _associated(self._index, last))
        self._sink.write(_HEAD.pack(1 if last else 0, len(sealed)))
        self._sink.write(nonce)
        self._sink.write(sealed)
        self._index += 1


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    data = source.read(size)
    while data is not None and len(data) < size:
        more = source.read(size - len(data))
        if not more:
            break
        data += more
    return data or b""


def decrypted_chunks(source: BinaryIO, key: str) -> Iterator[bytes]:
    """The clear archive, one chunk at a time, from an open stored file. Raises
    ``ArchiveUnreadable`` (never showing any content) if it was not written with ``key`` or has
    been altered or cut short."""
    cipher = _cipher(key)
    if _read_exactly(source, len(MAGIC)) != MAGIC:
        raise ArchiveUnreadable("The stored archive does not start as an encrypted archive.")
    index = 0
    while True:
        head = _read_exactly(source, _HEAD.size)
        if len(head) != _HEAD.size:
            raise ArchiveUnreadable("The stored archive was cut short.")
        last, length = _HEAD.unpack(head)
        if length < _TAG or length > CHUNK + _TAG:
            raise ArchiveUnreadable("The stored archive has a damaged chunk.")
        nonce = _read_exactly(source, _NONCE)
        sealed = _read_exactly(source, length)
        if len(nonce) != _NONCE or len(sealed) != length:
            raise ArchiveUnreadable("The stored archive was cut short.")
        try:
            plain = cipher.decrypt(nonce, sealed, _associated(index, bool(last)))
        except InvalidTag as exc:
            raise ArchiveUnreadable("The stored archive could not be decrypted.") from exc
        if plain:
            yield plain
        if last:
            if source.read(1):
                raise ArchiveUnreadable("The stored archive has bytes after its end.")
            return
        index += 1
