"""``save`` and ``load``: state dicts in a numpy ``.npz`` file, never a pickle.

``nn.save(obj, f)`` writes ``obj`` (a state dict, or a tree of dicts, lists and tuples such as
an optimizer's state) with ``np.savez``: each array is one member named by its path in the tree
(``0.weight`` for a flat state dict; ``state/0/exp_avg`` for nested ones, ``/`` and ``%`` in
keys escaped as ``%2F`` and ``%25``), and one more member, ``__chainrule__``, holds JSON with
a magic string, the format version, the tree's structure and its plain values (numbers,
strings, booleans, None: step counts, learning rates).

``nn.load(f)`` reads it back with ``np.load(allow_pickle=False)``, so loading a file cannot run
code. Anything else (a pickle, a ``torch.save`` file, an npz holding object arrays, a truncated or
unrelated file) is refused with a ``ValueError`` that says what the file is not. Arrays come back
as ``Tensor``s (``Parameter``s and ndarrays included), dict types (dict, OrderedDict), lists and
tuples as they were.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from autograd import Tensor

MAGIC = "chainrule.nn.save"
VERSION = 1
METADATA_KEY = "__chainrule__"
# np.savez(file, *args, allow_pickle=..., **arrays): names that cannot be array keyword arguments
_RESERVED = {METADATA_KEY, "file", "allow_pickle"}
_ZIP_MAGIC = b"PK\x03\x04"
_PLAIN = (bool, int, float, str, type(None))


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


def save(obj, f) -> None:
    """Write ``obj`` (a state dict, or nested dicts/lists/tuples of arrays and plain values).

    ``f`` is a path (written exactly there, no ``.npz`` added) or a binary file object.
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


def load(f):
    """Read what ``save`` wrote: arrays come back as Tensors, the structure as it was saved.

    ``f`` is a path or a binary file object. Raises ``ValueError`` for anything that is not such
    a file (a pickle, a ``torch.save`` file, an npz with object arrays, a truncated file),
    without running any of it.
    """
    if hasattr(f, "read"):
        return _load_from(f, "the file object")
    with open(f, "rb") as handle:  # our handle: numpy leaks its own when a zip is corrupt
        return _load_from(handle, repr(os.fspath(f)))


def _load_from(handle, source: str):
    start = handle.tell()
    head = handle.read(8)
    handle.seek(start)
    if head[:4] != _ZIP_MAGIC:
        raise _refuse(source, _describe_start(head))
    try:
        with np.load(handle, allow_pickle=False) as archive:
            return _read_archive(archive, source)
    except _Refused:
        raise
    except (ValueError, zipfile.BadZipFile, EOFError, OSError, KeyError, RuntimeError) as error:
        raise ValueError(
            f"nn.load: {source} is truncated or corrupt ({type(error).__name__}: {error}); "
            "it cannot be read, save it again with nn.save"
        ) from None


def _read_archive(archive, source):
    if METADATA_KEY not in archive.files:
        raise _refuse(source, f"a zip archive with no {METADATA_KEY!r} entry")
    try:
        metadata = archive[METADATA_KEY]
    except ValueError as error:  # an object array: numpy refuses to unpickle it
        raise _refuse(source, f"its {METADATA_KEY!r} entry: {error}") from None
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


def _decode(node, archive, source):
    if isinstance(node, _PLAIN):
        return node
    if isinstance(node, dict) and len(node) == 1:
        ((kind, body),) = node.items()
        if kind == "array" and isinstance(body, str) and body != METADATA_KEY:
            if body not in archive.files:
                raise _refuse(source, f"its metadata names a missing entry {body!r}")
            try:
                return Tensor(archive[body])
            except ValueError as error:  # an object array: numpy refuses to unpickle it
                raise _refuse(source, f"entry {body!r}: {error}") from None
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
                out[pair[0]] = _decode(pair[1], archive, source)
            else:
                return out
    raise _refuse(source, f"unreadable structure entry {str(node)[:80]!r} in its metadata")
