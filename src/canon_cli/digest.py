"""Short content hashes (BLAKE2b), for snapshot proofs, sync-file tails and stand-in ids.

From CPython's built-in BLAKE2 module: ``hashlib`` would also load OpenSSL on import
(about 2 ms), for algorithms canon never uses.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the built-in module
    from hashlib import blake2b


def hex_digest(data: bytes, size: int) -> str:
    """The BLAKE2b digest of ``data``, ``size`` bytes long, as hex."""
    return blake2b(data, digest_size=size).hexdigest()
