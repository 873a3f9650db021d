"""``save`` and ``load``: state dicts in a numpy ``.npz`` file, never a pickle.

``nn.save(obj, f)`` writes ``obj`` (a state dict, or a tree of dicts, lists and tuples such as
an optimizer's state) with ``np.savez``: each array is one member named by its path in the tree
(``0.weight`` for a flat state dict; ``state/0/exp_avg`` for nested ones, ``/`` and ``%`` in
keys escaped as ``%2F`` and ``%25``), and one more member, ``__chainrule__``, holds JSON with
a magic string, the format version, the tree's structure and its plain values (numbers,
strings, booleans, None: step counts, learning rates).

``nn.load(f)`` reads it back without numpy's loader: it reads each member's ``.npy`` header itself
(numpy's header reader), so loading a file cannot run code, and checks the size the header claims
(shape x itemsize) against the size the zip declares for the member and against ``max_bytes``
(:data:`DEFAULT_MAX_BYTES`, 256 MiB, for all arrays together) *before* allocating or
decompressing anything, so a tiny crafted file cannot claim terabytes or inflate to gigabytes.
Anything else (a pickle, a ``torch.save`` file, an npz holding object arrays, a truncated or
unrelated file, metadata with a key that is not a str or int) is refused with a ``ValueError`` that
says what the file is not. Arrays come back as Tensors (Parameters and ndarrays included),
dict types (dict, OrderedDict), lists and tuples as they were.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, BinaryIO

import numpy as np

from autograd import Tensor

MAGIC = "chainrule.nn.save"
VERSION = 1
METADATA_KEY = "__chainrule__"
# np.savez(file, *args, allow_pickle=..., **arrays): names that cannot be array keyword arguments
_RESERVED = {METADATA_KEY, "file", "allow_pickle"}
_ZIP_MAGIC = b"PK\x03\x04"
_PLAIN = (bool, int, float, str, type(None))
DEFAULT_MAX_BYTES = 2**28  # 256 MiB of array data per file: far above a numpy-trained model
_MAX_HEADER_BYTES = 10_000  # numpy's own limit on an .npy header it reads without trust
_CHUNK = 1 << 24  # decompress a member in pieces of 16 MiB


def _escape(component: str) -> str:
    return component.replace("%", "%25").replace("/", "%2F")


class _Writer:
    """Turns a tree into (JSON structure, {member name: array})."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def member_name(self, path: list[str]) -> str:
        name = "/".join(_escape(p) for p in path) or "%00root"
        if name in _RESERVED:
            name = "%" + format(ord(name[0]), "02X") + name[1:]
        base, n = name, 0
        while name in self.arrays:  # {0: a, "0": b} flatten to the same path
            n += 1
            name = f"{base}%23{n}"
        return name

    def encode(self, obj, path: list[str]):
        if isinstance(obj, (Tensor, np.ndarray, np.generic)):
            array = np.asarray(obj.data if isinstance(obj, Tensor) else obj)
            where = "/".join(path) or "the object"
            if array.dtype.hasobject:
                raise TypeError(
                    f"nn.save: {where} is an array of Python objects ({array.dtype}), which "
                    "could only be stored as a pickle; save numeric arrays only"
                )
            if array.dtype.kind not in "biufc":
                raise TypeError(
                    f"nn.save: {where} has dtype {array.dtype}; save numeric or boolean arrays"
                )
            name = self.member_name(path)
            self.arrays[name] = array
            return {"array": name}
        if isinstance(obj, float) and not np.isfinite(obj):
            return {"float": repr(obj)}  # nan, inf, -inf: not JSON numbers
        if isinstance(obj, _PLAIN):
            return obj
        if isinstance(obj, Mapping):
            items = []
            for key, value in obj.items():
                if isinstance(key, bool) or not isinstance(key, (str, int)):
                    raise TypeError(
                        f"nn.save: key {key!r} in {'/'.join(path) or 'the object'} is a "
                        f"{type(key).__name__}; keys must be str or int"
                    )
                items.append([key, self.encode(value, [*path, str(key)])])
            return {"ordereddict" if isinstance(obj, OrderedDict) else "dict": items}
        if isinstance(obj, (list, tuple)):
            kind = "tuple" if isinstance(obj, tuple) else "list"
            return {kind: [self.encode(v, [*path, str(i)]) for i, v in enumerate(obj)]}
        raise TypeError(
            f"nn.save: cannot save {type(obj).__name__} at {'/'.join(path) or 'the top'}; a "
            "weights file holds Tensors, ndarrays, numbers, strings, booleans, None, and dicts, "
            "lists and tuples of them (use model.state_dict() for a model)"
        )


def save(obj: object, f: str | os.PathLike | BinaryIO) -> None:
    """Write ``obj`` (a state dict, or nested dicts/lists/tuples of arrays and plain values).

    ``f`` is a path (written exactly there, no ``.npz`` added) or a binary file object.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> import os, tempfile
    >>> model = nn.Linear(2, 1)
    >>> path = os.path.join(tempfile.mkdtemp(), 'model.npz')
    >>> nn.save(model.state_dict(), path)
    >>> sorted(nn.load(path))
    ['bias', 'weight']
    """
    writer = _Writer()
    structure = writer.encode(obj, [])
    metadata = json.dumps({"magic": MAGIC, "version": VERSION, "structure": structure})
    members = {METADATA_KEY: np.array(metadata), **writer.arrays}
    if hasattr(f, "write"):
        np.savez(f, allow_pickle=False, **members)
    else:
        with open(f, "wb") as handle:
            np.savez(handle, allow_pickle=False, **members)


class _Refused(ValueError):
    """A file that ``load`` will not read; the message says why."""


def _refuse(source, why: str) -> _Refused:
    return _Refused(
        f"nn.load: {source} is not a chainrule weights file ({why}); nn.load reads only the "
        ".npz files that nn.save writes, and never unpickles anything"
    )


def _describe_start(head: bytes) -> str:
    if head[:1] == b"\x80" or head[:1] in (b"(", b"]", b"}"):
        return "it looks like a pickle"
    if head[:6] == b"\x93NUMPY":
        return "it is a single .npy array, not an .npz archive"
    if not head:
        return "it is empty"
    return f"it starts with {head[:8]!r}, not a zip archive"


def load(f: str | os.PathLike | BinaryIO, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Read what ``save`` wrote: arrays come back as Tensors, the structure as it was saved.

    ``f`` is a path or a binary file object. ``max_bytes`` bounds the array data the file may
    hold, all members together (default :data:`DEFAULT_MAX_BYTES`, 256 MiB); raise it to load a
    larger model you trust. Raises ``ValueError`` for anything that is not such a file (a pickle,
    a ``torch.save`` file, an npz with object arrays, a truncated file, a member whose header
    claims more data than the archive holds) or that is over ``max_bytes``, without running any
    of it and before allocating the sizes it claims.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> import io
    >>> buffer = io.BytesIO()
    >>> nn.save({'w': autograd.ones(2), 'step': 3}, buffer)
    >>> _ = buffer.seek(0)
    >>> nn.load(buffer)
    {'w': tensor([1., 1.]), 'step': 3}
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0:
        raise ValueError(f"nn.load: max_bytes must be a non-negative int, got {max_bytes!r}")
    if hasattr(f, "read"):
        return _load_from(f, "the file object", max_bytes)
    with open(f, "rb") as handle:  # our own handle, closed however the read ends
        return _load_from(handle, repr(os.fspath(f)), max_bytes)


def _load_from(handle, source: str, max_bytes: int):
    start = handle.tell()
    head = handle.read(8)
    handle.seek(start)
    if head[:4] != _ZIP_MAGIC:
        raise _refuse(source, _describe_start(head))
    try:
        with zipfile.ZipFile(handle) as zipped:
            return _read_archive(_Archive(zipped, source, max_bytes), source)
    except _Refused:
        raise
    except (
        ValueError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        KeyError,
        RuntimeError,
        NotImplementedError,
    ) as error:
        raise ValueError(
            f"nn.load: {source} is truncated or corrupt ({type(error).__name__}: {error}); "
            "it cannot be read, save it again with nn.save"
        ) from None


class _Archive:
    """The ``.npy`` members of a zip, read one at a time within a byte budget.

    ``files`` are the member names without ``.npy``, as ``np.load`` lists them. ``read`` checks a
    member's declared size, then its header's shape x itemsize, against what is left of
    ``max_bytes`` before it decompresses the data into an array of exactly that size.
    """

    def __init__(self, zipped: zipfile.ZipFile, source: str, max_bytes: int) -> None:
        self.zipped = zipped
        self.source = source
        self.max_bytes = max_bytes
        self.left = max_bytes
        self.members = {
            info.filename[: -len(".npy")]: info
            for info in zipped.infolist()
            if info.filename.endswith(".npy")
        }
        self.files = list(self.members)

    def over_limit(self, key: str, what: str) -> _Refused:
        return _Refused(
            f"nn.load: {self.source}: entry {key!r} {what}, over the limit of "
            f"max_bytes={self.max_bytes:,} bytes for all arrays of one file together "
            f"({self.max_bytes - self.left:,} already read); refused before reading it. If you "
            "trust this file, pass a larger max_bytes to nn.load"
        )

    def read(self, key: str) -> np.ndarray:
        info = self.members[key]
        if info.file_size > self.left + _MAX_HEADER_BYTES:  # before decompressing a byte
            raise self.over_limit(key, f"is declared as {info.file_size:,} bytes uncompressed")
        with self.zipped.open(info) as member:
            version = np.lib.format.read_magic(member)
            if version == (1, 0):
                header = np.lib.format.read_array_header_1_0(member, _MAX_HEADER_BYTES)
            elif version == (2, 0):
                header = np.lib.format.read_array_header_2_0(member, _MAX_HEADER_BYTES)
            else:
                raise _refuse(self.source, f"entry {key!r} has .npy format version {version}")
            shape, fortran_order, dtype = header
            if dtype.hasobject:
                raise _refuse(
                    self.source,
                    f"entry {key!r} is an array of Python objects ({dtype}): Object arrays "
                    "cannot be loaded without unpickling them",
                )
            if dtype.itemsize == 0:
                raise _refuse(self.source, f"entry {key!r} has a dtype of no size ({dtype})")
            nbytes = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
            claim = f"claims shape {shape} of {dtype}, {nbytes:,} bytes"
            if nbytes > self.left:
                raise self.over_limit(key, claim)
            stored = info.file_size - member.tell()
            if nbytes != stored:
                raise _refuse(
                    self.source,
                    f"entry {key!r} {claim}, but the archive declares {stored:,} bytes of data "
                    "for it",
                )
            self.left -= nbytes
            buffer = bytearray(nbytes)
            view = memoryview(buffer)
            filled = 0
            while filled < nbytes:
                got = member.readinto(view[filled : filled + _CHUNK])
                if not got:
                    raise EOFError(f"entry {key!r} ends after {filled:,} of {nbytes:,} bytes")
                filled += got
            member.read(1)  # reach the end of the member, where zipfile checks its CRC
        array = np.frombuffer(buffer, dtype=dtype)
        return array.reshape(shape, order="F" if fortran_order else "C")


def _read_archive(archive: _Archive, source: str):
    if METADATA_KEY not in archive.files:
        raise _refuse(source, f"a zip archive with no {METADATA_KEY!r} entry")
    metadata = archive.read(METADATA_KEY)
    if metadata.dtype.kind != "U" or metadata.shape != ():
        raise _refuse(source, f"its {METADATA_KEY!r} entry is not a JSON string")
    try:
        header = json.loads(str(metadata))
    except json.JSONDecodeError as error:
        raise _refuse(source, f"its {METADATA_KEY!r} entry is not JSON: {error}") from None
    if not isinstance(header, dict) or header.get("magic") != MAGIC:
        raise _refuse(source, "wrong magic string in its metadata")
    version = header.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise _Refused(
            f"nn.load: {source} has format version {version!r}; this chainrule reads versions "
            f"up to {VERSION}: upgrade chainrule to read it"
        )
    return _decode(header.get("structure"), archive, source)


def _decode(node, archive: _Archive, source: str):
    if isinstance(node, _PLAIN):
        return node
    if isinstance(node, dict) and len(node) == 1:
        ((kind, body),) = node.items()
        if kind == "array" and isinstance(body, str) and body != METADATA_KEY:
            if body not in archive.files:
                raise _refuse(source, f"its metadata names a missing entry {body!r}")
            return Tensor._from_array(archive.read(body))  # a fresh array: no copy
        if kind == "float" and body in ("nan", "inf", "-inf"):
            return float(body)
        if kind in ("list", "tuple") and isinstance(body, list):
            items = [_decode(v, archive, source) for v in body]
            return tuple(items) if kind == "tuple" else items
        if kind in ("dict", "ordereddict") and isinstance(body, list):
            out = OrderedDict() if kind == "ordereddict" else {}
            for pair in body:
                if not (isinstance(pair, list) and len(pair) == 2):
                    break
                key, value = pair
                if isinstance(key, bool) or not isinstance(key, (str, int)):
                    raise _refuse(
                        source,
                        f"a dict key in its metadata is {str(key)[:80]!r}, a "
                        f"{type(key).__name__}; nn.save writes only str and int keys",
                    )
                out[key] = _decode(value, archive, source)
            else:
                return out
    raise _refuse(source, f"unreadable structure entry {str(node)[:80]!r} in its metadata")
