"""torch's dtype names, as numpy dtypes, and ``device``: so ``dtype=torch.float`` ports unchanged.

A Tensor's ``dtype`` is a numpy dtype; these names make ``autograd.float32`` (and torch's
aliases ``float``, ``double``, ``long``, ``half``, ``int``...) the same objects, so
``x.dtype == autograd.float64`` and ``zeros(3, dtype=autograd.long)`` read as in PyTorch.
Everything runs on the CPU: ``device("cpu")`` is accepted, any other device is refused.
"""

from __future__ import annotations

import numpy as np

bool = np.dtype(np.bool_)  # noqa: A001 -- torch.bool
uint8 = np.dtype(np.uint8)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = int = np.dtype(np.int32)  # noqa: A001 -- torch.int is int32
int64 = long = np.dtype(np.int64)
float16 = half = np.dtype(np.float16)
float32 = float = np.dtype(np.float32)  # noqa: A001 -- torch.float is float32
float64 = double = np.dtype(np.float64)

DTYPE_NAMES = (
    "bool uint8 int8 int16 short int32 int int64 long float16 half float32 float float64 double"
).split()


_SCALAR_TYPE_NAMES = {
    "float64": "Double",
    "float32": "Float",
    "float16": "Half",
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
}


def scalar_type_name(dtype) -> str:
    """torch's name of ``dtype`` in its messages: ``Double`` for float64, ``Float`` for float32.

    Examples
    --------
    >>> from autograd.dtypes import scalar_type_name
    >>> scalar_type_name("float32"), scalar_type_name(np.dtype("int64"))
    ('Float', 'Long')
    """
    name = np.dtype(dtype).name
    return _SCALAR_TYPE_NAMES.get(name, name)


def get_default_dtype() -> np.dtype:
    """The dtype of tensors made from Python floats: float32, as in torch.

    Examples
    --------
    >>> import autograd
    >>> autograd.get_default_dtype()
    dtype('float32')
    """
    return float32


class device:  # noqa: N801 -- torch's name
    """``torch.device``: only ``"cpu"`` (or ``"cpu:0"``) exists here.

    Examples
    --------
    >>> device("cpu")
    device(type='cpu')
    """

    def __init__(self, type: str = "cpu", index: int | None = None) -> None:  # noqa: A002
        kind, _, number = str(type).partition(":")
        if kind != "cpu" or (number not in ("", "0")) or index not in (None, 0):
            raise RuntimeError(
                f"device: only the CPU exists in this engine, got {type!r}; use device('cpu') "
                "or leave the device out"
            )
        self.type = "cpu"
        self.index = index

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) or other == "cpu"

    def __hash__(self) -> int:
        return hash("cpu")

    def __repr__(self) -> str:
        return "device(type='cpu')"


def check_device(value: str | device | None) -> None:
    """Accept ``device=None``, ``"cpu"`` or ``device("cpu")`` (torch's keyword); refuse others."""
    if value is not None and not isinstance(value, device):
        device(value)
