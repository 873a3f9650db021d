"""``load_mnist``: read MNIST from its four IDX files (gzipped or not); ``read_idx`` reads any one.

MNIST is not shipped (55 MB): download the four files once and point ``load_mnist`` at their
folder. The IDX format (from the MNIST page) is big-endian: two zero bytes, a type code (0x08
uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of
dimensions, then each dimension as a 4-byte unsigned integer, then the data in C order.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

__all__ = ["load_mnist", "read_idx"]

_IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_FILES = {
    True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

_WHERE_FROM = (
    "MNIST is distributed on the MNIST page of Yann LeCun, Corinna Cortes and Christopher "
    "Burges (yann.lecun.com/exdb/mnist, often unreachable) and on its mirrors, such as the one "
    "torchvision downloads from (ossci-datasets.s3.amazonaws.com/mnist/); torchvision's "
    "MNIST(root, download=True) leaves the same files in root/MNIST/raw, which is searched too."
)


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file (gzipped or not: detected from its first bytes) into an ndarray.

    The result has the file's dimensions and its type in native byte order (uint8 for MNIST).
    A file that is not IDX, or whose size does not match its header, raises ``ValueError``
    naming the file and what is wrong with it.

    Examples
    --------
    >>> from nn.datasets import read_idx
    >>> import os, tempfile
    >>> import numpy as np
    >>> def write_idx(path, array):
    ...     header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, '>i4').tobytes()
    ...     with open(path, 'wb') as f:
    ...         _ = f.write(header + array.astype(np.uint8).tobytes())
    >>> path = os.path.join(tempfile.mkdtemp(), 'x-idx2-ubyte')
    >>> write_idx(path, np.arange(6).reshape(2, 3))
    >>> read_idx(path)
    array([[0, 1, 2],
           [3, 4, 5]], dtype=uint8)
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise ValueError(f"{path}: corrupt gzip file ({error}); download it again") from None
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] not in _IDX_TYPES:
        raise ValueError(
            f"{path}: not an IDX file: it should start with two zero bytes, a type code "
            f"(0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E) and the number of dimensions, but its "
            f"first bytes are {raw[:4].hex(' ') or 'missing (empty file)'}; download it again"
        )
    dtype, ndim = _IDX_TYPES[raw[2]], raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(
            f"{path}: corrupt IDX file: the header announces {ndim} dimensions "
            f"({header} bytes of header) but the file has only {len(raw)} bytes"
        )
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        raise ValueError(
            f"{path}: corrupt or truncated IDX file: its header says shape {shape} of "
            f"{dtype.newbyteorder('=').name}, that is {expected} bytes of data, but it holds "
            f"{len(raw) - header}; download it again"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def _find(root: Path, name: str, train: bool) -> Path:
    for folder in (root, root / "MNIST" / "raw"):
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    names = ", ".join(f"{n}.gz" for n in _FILES[train])
    raise FileNotFoundError(
        f"load_mnist: cannot find {name} or {name}.gz in {root} (nor in {root / 'MNIST' / 'raw'})."
        f" Put the {'training' if train else 'test'} files {names} (gzipped or unpacked, with "
        f"these exact names) in {root}. {_WHERE_FROM}"
    )


def load_mnist(root: str | os.PathLike, train: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST training set (60000 images) or, with ``train=False``, its test set (10000).

    Parameters
    ----------
    root : str or os.PathLike
        The folder holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
        ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each either as it is or
        gzipped with a ``.gz`` suffix (as downloaded). ``root/MNIST/raw`` (where torchvision puts
        them) is searched too.
    train : bool, default True
        The training files (``train-*``) or the test files (``t10k-*``).

    Returns
    -------
    images : ndarray of uint8, shape (n, 28, 28)
        Raw pixel intensities 0 (background) to 255 (ink), as stored (torchvision's
        ``MNIST.data`` too). ``images.reshape(len(images), -1).astype(np.float32) / 255`` gives
        float32 features in [0, 1].
    labels : ndarray of int64, shape (n,)
        The digits 0 to 9.

    Raises
    ------
    FileNotFoundError
        A file is missing; the message says which names to put where, and where to get them.
    ValueError
        A file is corrupt or truncated, or the images and labels do not match.

    Examples
    --------
    >>> from nn.datasets import load_mnist
    >>> import os, tempfile
    >>> import numpy as np
    >>> def write_idx(path, array):
    ...     header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, '>i4').tobytes()
    ...     with open(path, 'wb') as f:
    ...         _ = f.write(header + array.astype(np.uint8).tobytes())
    >>> root = tempfile.mkdtemp()
    >>> write_idx(os.path.join(root, 't10k-images-idx3-ubyte'), np.zeros((2, 28, 28)))
    >>> write_idx(os.path.join(root, 't10k-labels-idx1-ubyte'), np.array([7, 2]))
    >>> images, labels = load_mnist(root, train=False)
    >>> images.shape, images.dtype, labels
    ((2, 28, 28), dtype('uint8'), array([7, 2]))
    """
    root = Path(os.fspath(root)).expanduser()
    images_name, labels_name = _FILES[bool(train)]
    images_path = _find(root, images_name, bool(train))
    labels_path = _find(root, labels_name, bool(train))
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(
            f"{images_path}: expected uint8 images of shape (n, rows, columns), found "
            f"{images.dtype} of shape {images.shape}; is it an images file?"
        )
    if labels.ndim != 1:
        raise ValueError(
            f"{labels_path}: expected labels of shape (n,), found shape {labels.shape}; "
            "is it a labels file?"
        )
    if len(images) != len(labels):
        raise ValueError(
            f"load_mnist: {images_path.name} holds {len(images)} images but "
            f"{labels_path.name} holds {len(labels)} labels; are they from the same download?"
        )
    return images, labels.astype(np.int64)
