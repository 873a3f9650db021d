"""Datasets and batching with PyTorch's names: ``Dataset``, ``TensorDataset``, ``Subset``,
``random_split`` and ``DataLoader``.

A dataset is anything with ``__getitem__(i)`` and ``__len__()``. ``DataLoader`` cuts it into
batches of stacked Tensors, shuffled with a seeded numpy ``Generator`` so that a run can be
repeated exactly::

    X, y = make_moons(200, noise=0.1, seed=0)
    train, test = random_split(TensorDataset(X, y), [0.8, 0.2], seed=0)
    for xb, yb in DataLoader(train, batch_size=32, shuffle=True, seed=0):
        ...  # xb: Tensor (32, 2) float32, yb: Tensor (32,) int64

Where PyTorch takes a ``torch.Generator`` (``random_split(..., generator=)``), this module takes
``seed``: an int, ``None`` (fresh entropy) or a ``numpy.random.Generator``.

Items and batches are new tensors that do not require grad: data is an input of the graph, not a
part of it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Sequence

import numpy as np

from autograd import Generator, Tensor, default_generator, randperm
from autograd.randomness import below

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "random_split"]


def _rng(seed) -> np.random.Generator:
    """A numpy Generator from an int, None or a Generator (which is used as it is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


class Dataset:
    """The base of map-style datasets: subclasses define ``__getitem__(index)`` and
    ``__len__()``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> class Squares(nn.Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return autograd.tensor(float(i)), autograd.tensor(float(i * i))
    >>> [y.tolist() for _, y in nn.DataLoader(Squares(), batch_size=4)]
    [[0.0, 1.0, 4.0, 9.0]]
    """

    def __getitem__(self, index):
        raise NotImplementedError(
            f"{type(self).__name__} must define __getitem__(index) to be a Dataset"
        )

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__() to be a Dataset")


class TensorDataset(Dataset):
    """Samples are the rows of tensors that share their first dimension.

    ``TensorDataset(X, y)``: item ``i`` is ``(Tensor(X[i]), Tensor(y[i]))``. The arguments may be
    Tensors, ndarrays or nested lists; ndarrays keep their dtype (as ``torch.from_numpy``),
    lists follow ``Tensor``'s defaults (floats become float32, ints int64). ``tensors`` holds them
    as Tensors.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> data = nn.TensorDataset(autograd.zeros(5, 3), autograd.arange(5))
    >>> len(data), data[2][1]
    (5, tensor(2))
    """

    def __init__(self, *tensors) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor, e.g. TensorDataset(X, y)")
        tensors = tuple(t if isinstance(t, Tensor) else Tensor(t) for t in tensors)
        for i, t in enumerate(tensors):
            if t.ndim == 0:
                raise ValueError(
                    f"TensorDataset: tensor {i} is 0-d (a single number) and has no first "
                    "dimension to index samples by; give it shape (n, ...)"
                )
        sizes = [t.shape[0] for t in tensors]
        if any(s != sizes[0] for s in sizes):
            shapes = ", ".join(str(t.shape) for t in tensors)
            raise ValueError(
                f"Size mismatch between tensors: TensorDataset needs every tensor to have the "
                f"same first dimension (the number of samples), got sizes "
                f"{', '.join(map(str, sizes))} (shapes {shapes})"
            )
        self.tensors = tensors

    def __getitem__(self, index):
        # the dataset's own rows, not copied (a view for an int or a slice, as torch's)
        return tuple(Tensor._from_array(np.asarray(t.data[index])) for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order: ``Subset(ds, [4, 0, 2])[1]``
    is ``ds[0]``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> data = nn.TensorDataset(autograd.arange(10))
    >>> part = nn.Subset(data, [4, 0, 2])
    >>> len(part), part[1]
    (3, (tensor(0),))
    """

    def __init__(self, dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index):
        if isinstance(index, list):
            return [self.dataset[self.indices[i]] for i in index]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(
    dataset: Sequence, lengths: Sequence[int | float], seed: int | np.random.Generator | None = None
) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random subsets (``Subset``) of the given lengths.

    ``lengths`` are either sample counts that sum to ``len(dataset)``, or fractions that sum to
    1 (as in PyTorch 2.x): each split then gets ``floor(fraction * len(dataset))`` samples and
    the remainder is handed out one by one, round-robin, from the first split on.
    ``seed`` (an int, None or a numpy Generator) fixes the permutation.

    Examples
    --------
    >>> train, test = random_split(range(10), [0.8, 0.2], seed=0)
    >>> len(train), len(test)
    (8, 2)
    """
    lengths = list(lengths)
    n = len(dataset)
    total = sum(lengths)
    if math.isclose(total, 1) and (total != n or any(int(k) != k for k in lengths)):
        for i, frac in enumerate(lengths):
            if not 0 <= frac <= 1:
                raise ValueError(
                    f"random_split: fraction at index {i} ({frac}) is not between 0 and 1"
                )
        counts = [math.floor(n * frac) for frac in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.",
                    stacklevel=2,
                )
        lengths = counts
    if any(isinstance(k, bool) or k < 0 or int(k) != k for k in lengths):
        raise ValueError(
            f"random_split: lengths must be non-negative sample counts that sum to {n} (the "
            f"length of the dataset), or fractions that sum to 1; got {lengths}"
        )
    if sum(lengths) != n:
        raise ValueError(
            f"Sum of input lengths does not equal the length of the input dataset! "
            f"random_split got lengths {lengths} (sum {sum(lengths)}) for a dataset of length "
            f"{n}; give sample counts that sum to {n}, or fractions that sum to 1"
        )
    permutation = _rng(seed).permutation(n).tolist()
    subsets, offset = [], 0
    for length in lengths:
        length = int(length)
        subsets.append(Subset(dataset, permutation[offset : offset + length]))
        offset += length
    return subsets


class DataLoader:
    """Iterate over a dataset in batches of stacked Tensors.

    Parameters
    ----------
    dataset : Dataset
        Any object with ``__getitem__(int)`` and ``__len__()``.
    batch_size : int, default 1
        Samples per batch.
    shuffle : bool, default False
        Visit the samples in a new random order every epoch (every ``iter(loader)``).
    drop_last : bool, default False
        Drop the last batch when it has fewer than ``batch_size`` samples.
    seed : int, None or numpy.random.Generator, default None
        Seeds a numpy Generator that shuffles. The loader keeps it for its lifetime, so each
        epoch has a different order and the sequence of orders is the same in every run with
        the same seed.
    generator : autograd.Generator, optional
        Without ``seed``, the orders are drawn as torch's ``DataLoader`` draws them: from this
        generator, or from the global stream (``autograd.manual_seed``) when it is None. Each
        ``iter(loader)`` takes a 64-bit number from it first (torch's base seed for workers),
        shuffling or not, so after the same seed a loop over this loader visits the samples in
        torch's order and leaves the global stream where torch leaves it.

    A batch has the structure of one item, with every leaf stacked along a new first dimension:
    items ``(x, y)`` give batches ``[X, Y]`` (a list, as in PyTorch), dict items give a dict,
    a single Tensor, ndarray or number gives one Tensor. Python floats become float32 and ints
    int64. ``TensorDataset`` (and Subsets of it) take a fast path: each batch is one fancy
    index into the underlying arrays, with no per-sample Python work.

    ``len(loader)`` is the number of batches per epoch.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> data = nn.TensorDataset(autograd.arange(5.0), autograd.arange(5))
    >>> [(x.tolist(), y.tolist()) for x, y in nn.DataLoader(data, batch_size=2)]
    [([0.0, 1.0], [0, 1]), ([2.0, 3.0], [2, 3]), ([4.0], [4])]
    """

    def __init__(
        self,
        dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | np.random.Generator | None = None,
        *,
        generator: Generator | None = None,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
            raise TypeError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size!r}"
            )
        if batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.seed = seed
        self.generator = generator
        self._generator = _rng(seed) if seed is not None else None

    def __len__(self) -> int:
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def __iter__(self) -> Iterator:
        n = len(self.dataset)
        order = self._order(n)
        stop = len(self) * self.batch_size
        fast = _tensor_arrays(self.dataset)
        for start in range(0, min(stop, n), self.batch_size):
            batch = order[start : start + self.batch_size]
            if fast is not None:
                arrays, index_map = fast
                rows = batch if index_map is None else index_map[batch]
                yield [Tensor._from_array(a[rows]) for a in arrays]  # a fresh array: no copy
            else:
                yield _collate([self.dataset[i] for i in batch.tolist()])

    def _order(self, n: int) -> np.ndarray:
        if self._generator is not None:  # seed=: the numpy Generator of this loader
            return self._generator.permutation(n) if self.shuffle else np.arange(n)
        # torch's order: a base seed first, then RandomSampler's permutation, which draws from
        # a generator seeded by one more 64-bit number when the loader was given none
        source = default_generator if self.generator is None else self.generator
        below(source, (), 2**63)  # torch's _base_seed, drawn whether or not it shuffles
        if not self.shuffle:
            return np.arange(n)
        if self.generator is None:
            source = Generator().manual_seed(int(below(source, (), 2**63)))
        return randperm(n, generator=source).data

    def __repr__(self) -> str:
        return (
            f"DataLoader(dataset={type(self.dataset).__name__} of {len(self.dataset)}, "
            f"batch_size={self.batch_size}, shuffle={self.shuffle}, drop_last={self.drop_last}, "
            f"seed={self.seed!r})"
        )


def _tensor_arrays(dataset):
    """For a TensorDataset, or Subsets of one, its arrays and the map from positions to rows
    (None for the identity); None for other datasets."""
    index_map = None
    while type(dataset) is Subset:  # a subclass may override __getitem__
        indices = np.asarray(dataset.indices, dtype=np.int64).reshape(-1)
        index_map = indices if index_map is None else indices[index_map]
        dataset = dataset.dataset
    if type(dataset) is not TensorDataset:
        return None
    return [t.data for t in dataset.tensors], index_map


def _collate(items: list):
    """Stack a list of samples into a batch, keeping the structure of one sample."""
    first = items[0]
    if isinstance(first, (tuple, list)):
        sizes = {len(item) for item in items}
        if len(sizes) > 1:
            raise RuntimeError(
                f"DataLoader: each element in the batch should be of equal size, got items of "
                f"lengths {sorted(sizes)}"
            )
        return [_collate(list(field)) for field in zip(*items)]
    if isinstance(first, dict):
        return {key: _collate([item[key] for item in items]) for key in first}
    if isinstance(first, (str, bytes)):
        return items
    arrays = [item.data if isinstance(item, Tensor) else item for item in items]
    try:
        stacked = np.stack([np.asarray(a) for a in arrays])
    except ValueError:
        shapes = sorted({np.shape(a) for a in arrays})
        raise ValueError(
            f"DataLoader: cannot stack the samples of a batch, their shapes differ: {shapes}; "
            "make every sample the same shape (pad or resize), or use batch_size=1"
        ) from None
    if not isinstance(first, (Tensor, np.ndarray, np.generic)):  # Python numbers
        if stacked.dtype.kind == "f":
            stacked = stacked.astype(np.float32)
        elif stacked.dtype.kind in "iu":
            stacked = stacked.astype(np.int64)
    return Tensor._from_array(stacked)  # a fresh array: no copy
