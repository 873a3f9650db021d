"""Random numbers as PyTorch draws them: ``manual_seed``, ``Generator`` and the sampling functions.

One global stream serves the whole project: ``autograd.default_generator`` draws from numpy's
global ``RandomState``, the one ``np.random.seed`` seeds, so ``autograd.manual_seed(0)`` and
``np.random.seed(0)`` are the same call. ``nn.init``, ``nn.Dropout``, ``Tensor.uniform_`` and
these functions all draw from it, so one call makes a whole run repeatable. A ``Generator()`` of
your own is an independent stream (``generator=`` wherever torch takes one).

It is torch's generator too: both are Mersenne Twister (MT19937), seeded alike, and these
samplers turn its bits into numbers as torch's CPU kernels do, so after ``manual_seed(n)``
``rand``, ``randn``, ``randint``, ``randperm``, ``Tensor.uniform_``/``normal_`` and ``nn.init``
(hence a new ``nn.Linear``'s weights) give torch's numbers: exactly for the integer ones and
``rand``, to the last bit or two elsewhere (torch's logarithms, cosines and fused multiply-adds
differ by CPU). ``multinomial``, ``bernoulli`` and ``nn.Dropout`` follow torch's distributions,
not its numbers.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence

import numpy as np

from .dtypes import check_device
from .dtypes import device as Device
from .tensor import Tensor
from .tensor import ops as tensor_ops

__all__ = [
    "Generator",
    "bernoulli",
    "default_generator",
    "initial_seed",
    "manual_seed",
    "multinomial",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "randperm",
    "seed",
]

_DEFAULT_FLOAT = np.dtype(np.float32)


class Generator:
    """A stream of random numbers, as ``torch.Generator``: seed it, draw from it, save its state.

    ``Generator()`` is a new stream seeded from the operating system's entropy;
    ``Generator().manual_seed(42)`` a repeatable one. ``numpy`` is the underlying
    ``np.random.RandomState``, for code that wants numpy's own samplers.

    Examples
    --------
    >>> g = Generator().manual_seed(0)
    >>> a = rand(3, generator=g)
    >>> b = rand(3, generator=g.manual_seed(0))
    >>> bool((a.data == b.data).all())
    True
    """

    def __init__(self, device: str = "cpu", *, _state: np.random.RandomState | None = None) -> None:
        if device != "cpu":
            raise ValueError(f"Generator: only device='cpu' exists here, got {device!r}")
        self.device = device
        self.numpy = np.random.RandomState() if _state is None else _state
        self._initial_seed: int | None = None
        # torch's normal sampler makes normals in pairs and keeps the second for the next call:
        # (the number, the stream's state when it was kept), void once the stream moves on
        self._spare_normal: tuple[float, int, np.ndarray] | None = None

    def manual_seed(self, seed: int) -> Generator:
        """Seed the stream with ``seed`` (an int; torch's range, ``[-2**63, 2**64)``); return it.

        Examples
        --------
        >>> import autograd
        >>> g = autograd.Generator()
        >>> a = autograd.rand(3, generator=g.manual_seed(7))
        >>> b = autograd.rand(3, generator=g.manual_seed(7))
        >>> bool((a == b).all())
        True
        """
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"manual_seed: seed must be an int, got {type(seed).__name__} {seed!r}")
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise RuntimeError(
                f"Overflow when unpacking long: manual_seed({seed}) is outside [-2**63, 2**64)"
            )
        seed %= 2**64  # torch reads a negative seed as its unsigned 64-bit pattern
        # torch's MT19937 starts from the seed's low 32 bits, as RandomState.seed does from a
        # 32-bit int: the same stream as torch's, and manual_seed(n) is np.random.seed(n)
        self.numpy.seed(seed & 0xFFFFFFFF)
        self._initial_seed = seed
        self._spare_normal = None
        return self

    def seed(self) -> int:
        """Seed the stream from the operating system's entropy; return the seed used.

        Examples
        --------
        >>> import autograd
        >>> g = autograd.Generator()
        >>> s = g.seed()
        >>> s == g.initial_seed()
        True
        """
        value = secrets.randbits(63)
        self.manual_seed(value)
        return value

    def initial_seed(self) -> int:
        """The seed of the last ``manual_seed``/``seed`` call (the stream's start).

        Examples
        --------
        >>> import autograd
        >>> g = autograd.Generator()
        >>> g.manual_seed(42).initial_seed()
        42
        """
        if self._initial_seed is None:
            raise RuntimeError(
                "initial_seed: this generator was seeded from numpy's entropy, not by "
                "manual_seed or seed; call manual_seed(n) to know and repeat its stream"
            )
        return self._initial_seed

    def get_state(self) -> Tensor:
        """The stream's state as a uint8 Tensor, to give back to ``set_state`` later.

        It holds the Mersenne Twister's words and position, numpy's cached normal, and the
        spare normal of ``randn`` (torch's state holds it too).

        Examples
        --------
        >>> import autograd
        >>> g = autograd.Generator()
        >>> state = g.manual_seed(0).get_state()
        >>> a = autograd.randn(2, generator=g)
        >>> b = autograd.randn(2, generator=g.set_state(state))
        >>> bool((a == b).all())
        True
        """
        name, keys, pos, has_gauss, cached = self.numpy.get_state(legacy=True)
        spare = self._valid_spare()
        return Tensor(
            np.concatenate(
                [
                    keys.astype(np.uint32).view(np.uint8),
                    np.array([pos, has_gauss, spare is not None], dtype=np.int64).view(np.uint8),
                    np.array([cached, spare or 0.0], dtype=np.float64).view(np.uint8),
                ]
            )
        )

    def set_state(self, new_state: Tensor) -> Generator:
        """Restore a state that ``get_state`` returned; return the generator.

        Examples
        --------
        >>> import autograd
        >>> g = autograd.Generator()
        >>> state = g.get_state()
        >>> first = autograd.randint(0, 100, (5,), generator=g)
        >>> again = autograd.randint(0, 100, (5,), generator=g.set_state(state))
        >>> bool((first == again).all())
        True
        """
        raw = np.ascontiguousarray(getattr(new_state, "data", new_state))
        words = 624 * 4
        size = words + 24 + 16
        if raw.dtype != np.uint8 or raw.shape != (size,):
            raise RuntimeError(
                f"set_state: expected a uint8 tensor of {size} elements from get_state(), got "
                f"{raw.dtype}{list(raw.shape)}"
            )
        keys = raw[:words].view(np.uint32)
        pos, has_gauss, has_spare = raw[words : words + 24].view(np.int64)
        cached, spare = raw[words + 24 :].view(np.float64)
        self.numpy.set_state(("MT19937", keys, int(pos), int(has_gauss), float(cached)))
        self._spare_normal = None
        if has_spare:
            self._keep_spare(float(spare))
        return self

    def _keep_spare(self, value: float) -> None:
        """Keep ``randn``'s second normal for the next call, with the stream's place now."""
        _, keys, pos, *_ = self.numpy.get_state(legacy=True)
        self._spare_normal = (value, pos, keys)

    def _valid_spare(self) -> float | None:
        """The kept normal, if nothing has drawn from the stream since it was kept."""
        if self._spare_normal is None:
            return None
        value, pos, keys = self._spare_normal
        _, now_keys, now_pos, *_ = self.numpy.get_state(legacy=True)
        return value if pos == now_pos and np.array_equal(keys, now_keys) else None

    def __repr__(self) -> str:
        return f"<autograd.Generator device={self.device}>"


# numpy's global RandomState: the one np.random.seed and np.random.random_sample use
default_generator = Generator(_state=np.random.mtrand._rand)


def manual_seed(seed: int) -> Generator:
    """Seed the global stream (the same as ``np.random.seed``); return ``default_generator``.

    Examples
    --------
    >>> _ = manual_seed(0)
    >>> first = randn(2)
    >>> _ = manual_seed(0)
    >>> bool((randn(2).data == first.data).all())
    True
    """
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the global stream from the operating system's entropy; return the seed.

    Examples
    --------
    >>> import autograd
    >>> s = autograd.seed()
    >>> s == autograd.initial_seed()
    True
    """
    return default_generator.seed()


def initial_seed() -> int:
    """The seed that the last ``manual_seed`` or ``seed`` gave the global stream.

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(3)
    >>> autograd.initial_seed()
    3
    """
    return default_generator.initial_seed()


def numpy_stream(generator: Generator | None, where: str) -> np.random.RandomState:
    """The numpy RandomState behind ``generator`` (the global one for None), for nn.init & co."""
    if generator is None:
        return default_generator.numpy
    if not isinstance(generator, Generator):
        raise TypeError(
            f"{where}: generator must be an autograd.Generator, got {type(generator).__name__}"
        )
    return generator.numpy


def size_args(where: str, size: tuple) -> tuple[int, ...]:
    """``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` alike, as torch; each a non-negative int."""
    if len(size) == 1 and isinstance(size[0], (tuple, list, np.ndarray)):
        size = tuple(size[0])
    for n in size:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(
                f"{where}: size must be ints or one tuple of ints, got {type(n).__name__} {n!r} "
                f"in {size!r}"
            )
        if n < 0:
            raise RuntimeError(
                f"{where}: Trying to create tensor with negative dimension {n}: {list(size)}"
            )
    return tuple(int(n) for n in size)


def _float_dtype(where: str, dtype) -> np.dtype:
    dtype = _DEFAULT_FLOAT if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f'{where}: "{where}" not implemented for {dtype} (a float dtype is needed)')
    return dtype


def _bits(stream: np.random.RandomState, shape: tuple, dtype: np.dtype) -> np.ndarray:
    """U[0, 1) as float64, from as many random bits as ``dtype``'s mantissa holds, as torch.

    float32 takes the low 24 bits of one 32-bit draw, float64 the low 53 bits of two draws
    joined as ``(first << 32) | second``: torch's ``uniform_real_distribution`` on MT19937.
    """
    bits = np.finfo(dtype).nmant + 1
    if bits <= 24:
        return stream.randint(0, 2**bits, size=shape, dtype=np.int64) * 2.0**-bits
    words = stream.randint(0, 2**32, size=(*shape, 2), dtype=np.uint64)
    joined = (words[..., 0] << np.uint64(32)) | words[..., 1]
    return (joined & np.uint64(2**53 - 1)).astype(np.float64) * 2.0**-53


def below(stream, shape: tuple, bound) -> np.ndarray:
    """Integers in ``[0, bound)`` as torch draws them: one 32-bit draw modulo ``bound`` (two
    draws, joined, for a bound of 2**32 or more). ``bound`` may be an array, one per number;
    ``stream`` a numpy RandomState or an ``autograd.Generator``."""
    stream = getattr(stream, "numpy", stream)
    bound = np.asarray(bound, dtype=np.uint64)
    if (bound >= 2**32).any():
        words = stream.randint(0, 2**32, size=(*shape, 2), dtype=np.uint64)
        draws = (words[..., 0] << np.uint64(32)) | words[..., 1]
    else:
        draws = stream.randint(0, 2**32, size=shape, dtype=np.uint64)
    return (draws % bound).astype(np.int64)


def _generator(generator: Generator | None, where: str) -> Generator:
    numpy_stream(generator, where)  # checks the type
    return default_generator if generator is None else generator


def uniform_numbers(
    generator: Generator | None, shape: tuple, dtype: np.dtype, low: float = 0.0, high: float = 1.0
) -> np.ndarray:
    """U[low, high) as torch's ``uniform_`` draws it: ``x * (high - low) + low`` in float64 from
    the dtype's bits, then rounded to ``dtype``. For one seed, torch's numbers in float32/64."""
    dtype = np.dtype(dtype)
    x = _bits(_generator(generator, "uniform_").numpy, shape, dtype)
    span = np.float64(dtype.type(high) - dtype.type(low))  # torch subtracts in the dtype
    return (x * span + np.float64(dtype.type(low))).astype(dtype)


def _box_muller_16(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    """torch's ``normal_fill_16`` on rows of 16 uniforms: 8 pairs -> 16 normals, in u's dtype."""
    one, two = u.dtype.type(1), u.dtype.type(-2)
    radius = np.sqrt(two * np.log(one - u[:, :8]))
    theta = u.dtype.type(2.0 * np.pi) * u[:, 8:]
    out = np.concatenate([radius * np.cos(theta), radius * np.sin(theta)], axis=1)
    return out * u.dtype.type(std) + u.dtype.type(mean)


def _scalar_normals(gen: Generator, count: int) -> list[float]:
    """torch's ``normal_distribution<double>``: Box-Muller on two 53-bit uniforms per pair,
    the cosine returned and the sine kept for the next call."""
    stream, out = gen.numpy, []
    while len(out) < count:
        spare = gen._valid_spare()
        gen._spare_normal = None
        if spare is not None:
            out.append(spare)
            continue
        u1, u2 = _bits(stream, (2,), np.dtype(np.float64))
        radius = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        gen._keep_spare(radius * math.sin(theta))
        out.append(radius * math.cos(theta))
    return out


def normal_numbers(
    generator: Generator | None, shape: tuple, dtype: np.dtype, mean: float = 0.0, std: float = 1.0
) -> np.ndarray:
    """N(mean, std**2) as torch's ``normal_`` draws it on the CPU, so one seed gives torch's
    numbers (float64 to the last bit; float32 to its last few, since the logarithms and cosines
    of the 16-wide path are numpy's, not torch's vectorised ones).

    Fewer than 16 numbers: one Box-Muller pair per two (torch's scalar path, with its spare).
    16 or more: all the uniforms first, then Box-Muller on each block of 16 (8 pairs), and if
    the count is not a multiple of 16, 16 fresh uniforms for the last 16 places.
    """
    dtype, gen = np.dtype(dtype), _generator(generator, "normal_")
    count = int(np.prod(shape, dtype=np.int64))
    if count < 16:
        values = np.array(_scalar_normals(gen, count), dtype=np.float64) * std + mean
        return values.astype(dtype).reshape(shape)
    work = dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)
    u = _bits(gen.numpy, (count,), work).astype(work)
    full = count // 16 * 16
    out = np.empty(count, dtype=work)
    out[:full] = _box_muller_16(u[:full].reshape(-1, 16), mean, std).ravel()
    if count % 16:
        tail = _bits(gen.numpy, (1, 16), work).astype(work)
        out[count - 16 :] = _box_muller_16(tail, mean, std).ravel()
    return out.astype(dtype, copy=False).reshape(shape)


def new_leaf(array: np.ndarray, requires_grad: bool) -> Tensor:
    """A leaf Tensor on ``array`` (no copy), for the creation functions here and in creation.py."""
    out = Tensor._from_array(array)
    if requires_grad:
        out.requires_grad_(True)  # raises torch's error for an integer dtype
    return out


def rand(
    *size: int | Sequence[int],
    generator: Generator | None = None,
    dtype: np.dtype | type | None = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """Uniform numbers in ``[0, 1)``, shape ``size`` (float32 unless ``dtype``).

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> x = autograd.rand(2, 3)
    >>> x.shape, x.dtype, bool((x >= 0).logical_and(x < 1).all())
    ((2, 3), dtype('float32'), True)
    """
    check_device(device)
    shape, dtype = size_args("rand", size), _float_dtype("rand", dtype)
    return new_leaf(uniform_numbers(generator, shape, dtype), requires_grad)


def randn(
    *size: int | Sequence[int],
    generator: Generator | None = None,
    dtype: np.dtype | type | None = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """Standard normal numbers, shape ``size`` (float32 unless ``dtype``).

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> autograd.randn(2, 3).shape, autograd.randn(2, dtype=autograd.float64).dtype
    ((2, 3), dtype('float64'))
    """
    check_device(device)
    shape, dtype = size_args("randn", size), _float_dtype("randn", dtype)
    return new_leaf(normal_numbers(generator, shape, dtype), requires_grad)


def rand_like(
    input: Tensor,
    *,
    dtype: np.dtype | type | None = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """``rand`` with ``input``'s shape and (unless ``dtype``) dtype.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.rand_like(autograd.zeros(4, dtype=autograd.float64))
    >>> x.shape, x.dtype
    ((4,), dtype('float64'))
    """
    check_device(device)
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(
    input: Tensor,
    *,
    dtype: np.dtype | type | None = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """``randn`` with ``input``'s shape and (unless ``dtype``) dtype.

    Examples
    --------
    >>> import autograd
    >>> autograd.randn_like(autograd.zeros(2, 2)).shape
    (2, 2)
    """
    check_device(device)
    return randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randint(
    *args: int | Sequence[int],
    size: Sequence[int] | None = None,
    generator: Generator | None = None,
    dtype: np.dtype | type | None = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """Integers drawn uniformly from ``[low, high)``: ``randint(high, size)`` or
    ``randint(low, high, size)``, as torch (int64 unless ``dtype``).

    Examples
    --------
    >>> randint(3, 10, (2, 2)).shape
    (2, 2)
    """
    check_device(device)
    if size is None and args and isinstance(args[-1], (tuple, list)):
        args, size = args[:-1], args[-1]
    if size is None or len(args) not in (1, 2):
        raise TypeError(
            "randint: expected randint(high, size) or randint(low, high, size), with size a "
            f"tuple of ints; got arguments {args!r} and size={size!r}"
        )
    low, high = (0, args[0]) if len(args) == 1 else args
    for name, bound in (("low", low), ("high", high)):
        if isinstance(bound, bool) or not isinstance(bound, (int, np.integer)):
            raise TypeError(f"randint: {name} must be an int, got {type(bound).__name__} {bound!r}")
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    if requires_grad:
        raise RuntimeError("Only Tensors of floating point dtype can require gradients")
    shape = size_args("randint", tuple(size))
    values = below(numpy_stream(generator, "randint"), shape, int(high) - int(low)) + int(low)
    return new_leaf(values.astype(np.dtype(np.int64 if dtype is None else dtype)), False)


def randperm(
    n: int,
    *,
    generator: Generator | None = None,
    dtype: np.dtype | type | None = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """A random permutation of ``0 .. n-1`` (int64 unless ``dtype``).

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> sorted(autograd.randperm(5).tolist())
    [0, 1, 2, 3, 4]
    """
    check_device(device)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise RuntimeError(f"randperm: n must be a non-negative int, got {n!r}")
    n = int(n)
    # torch's Fisher-Yates: step i swaps place i with one of places i .. n-1, drawn as below
    steps = below(numpy_stream(generator, "randperm"), (max(n - 1, 0),), np.arange(n, 1, -1))
    perm = np.arange(n, dtype=np.int64)
    for i, z in enumerate(steps.tolist()):
        perm[i], perm[i + z] = perm[i + z], perm[i]
    return new_leaf(perm.astype(np.dtype(np.int64 if dtype is None else dtype)), requires_grad)


def bernoulli(
    input: Tensor,
    p: float | None = None,
    *,
    generator: Generator | None = None,
    device: str | Device | None = None,
) -> Tensor:
    """1 with probability ``input`` (elementwise; or ``p`` for every element), else 0, in
    ``input``'s dtype. Not differentiable (the result has no gradient), as in torch.

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> autograd.bernoulli(autograd.tensor([0.0, 1.0, 0.0, 1.0]))
    tensor([0., 1., 0., 1.])
    """
    check_device(device)
    probs = np.asarray(input.data if p is None else np.full(input.shape, p, dtype=input.dtype))
    if probs.dtype.kind != "f":
        raise NotImplementedError(f'"bernoulli" not implemented for {probs.dtype}')
    if probs.size and not ((probs >= 0) & (probs <= 1)).all():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    draws = _bits(numpy_stream(generator, "bernoulli"), probs.shape, np.dtype(np.float64))
    return Tensor._from_array((draws < probs).astype(probs.dtype))


def multinomial(
    input: Tensor,
    num_samples: int,
    replacement: bool = False,
    *,
    generator: Generator | None = None,
    device: str | Device | None = None,
) -> Tensor:
    """Indices drawn from the categories weighted by ``input`` (``(C,)``, or one row per
    distribution ``(N, C)``): ``(num_samples,)`` or ``(N, num_samples)``, int64.

    The weights need not sum to 1. Without ``replacement`` each category is drawn at most once,
    the weights renormalised after each draw, as in torch.

    Examples
    --------
    >>> multinomial(Tensor([0.0, 1.0, 0.0]), 2, replacement=True).tolist()
    [1, 1]
    """
    check_device(device)
    weights = np.asarray(getattr(input, "data", input))
    if weights.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim, got shape {list(weights.shape)}")
    if weights.dtype.kind != "f":
        raise RuntimeError(f'"multinomial" not implemented for {weights.dtype}')
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)):
        raise TypeError(f"multinomial: num_samples must be an int, got {num_samples!r}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    rows = weights.reshape(-1, weights.shape[-1]).astype(np.float64)
    categories = rows.shape[1]
    if not replacement and num_samples > categories:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    if not np.isfinite(rows).all() or (rows < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    totals = rows.sum(axis=1)
    if (totals <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    stream = numpy_stream(generator, "multinomial")
    if replacement:  # invert the cumulative weights at uniform draws: a zero weight is never hit
        cumulative = np.cumsum(rows, axis=1)
        draws = _bits(stream, (rows.shape[0], num_samples), np.dtype(np.float64))
        out = np.stack(
            [np.searchsorted(c, u * c[-1], side="right") for c, u in zip(cumulative, draws)]
        )
        out = np.minimum(out, np.argmax(cumulative == cumulative[:, -1:], axis=1)[:, None])
    else:
        # torch's race: category i finishes at an Exp(1) time divided by its weight, and the
        # first num_samples to finish are drawn (the same law as drawing one at a time and
        # renormalising); zero weights finish last, as in torch
        keys = rows / stream.standard_exponential(rows.shape)
        out = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    return Tensor._from_array(out.reshape(weights.shape[:-1] + (num_samples,)))


# Tensor.uniform_ and normal_ draw through these (tensor.py cannot import this module back)
tensor_ops.uniform_numbers = uniform_numbers
tensor_ops.normal_numbers = normal_numbers
