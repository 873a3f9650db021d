"""The speed paths of issue 14 against the plain computation they replace.

- ``autograd.blas.skinny_product``: a long contraction in pieces (OpenBLAS's small-matrix path)
  equals one product, and is taken only on the kernels that have that path;
- ``select`` (the gate of relu, clamp and where): a bitwise AND that must equal ``np.where``
  bit for bit, inf, NaN (with its sign) and -0.0 included;
- the fold's cached index pairs: the same sums for every geometry, called twice.
"""

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from autograd import Tensor, blas
from autograd.ops.window import FoldWindows, SlidingWindow
from autograd.selection import select

# -- skinny_product --------------------------------------------------------------------------


class _Spy(np.ndarray):
    """An array that notes the shape of each product it is the left operand of."""

    def __array_finalize__(self, obj):
        self.calls = getattr(obj, "calls", None)  # a slice of a spy notes into the same list

    def __matmul__(self, other):
        self.calls.append(self.shape)
        return np.asarray(self) @ np.asarray(other)


def _spy(a: np.ndarray, calls: list) -> np.ndarray:
    spy = a.view(_Spy)
    spy.calls = calls
    return spy


@pytest.fixture
def small_matrix_core(monkeypatch):
    """Take the piecewise path whatever kernel this machine's OpenBLAS chose."""
    monkeypatch.setattr(blas, "openblas_core", lambda: "SkylakeX")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m, k, n", [(25, 50176, 6), (6, 7000, 25), (16, 1000, 16), (1, 3, 1)])
def test_skinny_product_in_pieces_equals_one_product(small_matrix_core, dtype, m, k, n):
    rng = np.random.default_rng(m * k + n)
    a = rng.standard_normal((m, k)).astype(dtype)
    b = rng.standard_normal((k, n)).astype(dtype)
    exact = a.astype(np.float64) @ b.astype(np.float64)
    got = blas.skinny_product(a, b)
    assert got.dtype == dtype and got.shape == (m, n)
    # summed in pieces: the rounding of a float sum of k terms, not the same bits as one call
    eps = np.finfo(dtype).eps
    bound = 4 * eps * np.sqrt(k) * (np.abs(a).astype(np.float64) @ np.abs(b).astype(np.float64))
    assert np.all(np.abs(got - exact) <= bound + eps)


def test_skinny_product_cuts_only_long_contractions_with_small_outputs(small_matrix_core):
    calls = []
    a = _spy(np.ones((25, 50176), dtype=np.float32), calls)
    b = np.ones((50176, 6), dtype=np.float32)
    assert np.all(np.asarray(blas.skinny_product(a, b)) == 50176)
    piece = blas.SMALL_MATRIX_LIMIT // (25 * 6)
    assert len(calls) == -(-50176 // piece)  # one product per piece of the contraction
    assert all(shape[1] * 25 * 6 <= blas.SMALL_MATRIX_LIMIT for shape in calls)
    calls.clear()
    wide = _spy(np.ones((150, 6400), dtype=np.float32), calls)  # 150 x 16 outputs: one call
    blas.skinny_product(wide, np.ones((6400, 16), dtype=np.float32))
    assert calls == [(150, 6400)]


@pytest.mark.parametrize("dtype", [np.float16, np.int64])
def test_skinny_product_leaves_products_that_are_not_blas_whole(small_matrix_core, dtype):
    """numpy multiplies halves and ints without BLAS: pieces would only add roundings."""
    calls = []
    a = _spy(np.ones((25, 50176), dtype=dtype), calls)
    blas.skinny_product(a, np.ones((50176, 6), dtype=dtype))
    assert calls == [(25, 50176)]


def test_skinny_product_is_one_call_on_kernels_without_the_small_matrix_path(monkeypatch):
    monkeypatch.setattr(blas, "openblas_core", lambda: "Haswell")
    a, b = np.ones((25, 50176)), np.ones((50176, 6))
    calls = []
    blas.skinny_product(_spy(a, calls), b)
    assert calls == [(25, 50176)]


def test_openblas_core_names_the_kernel_openblas_was_told_to_use():
    """numpy's wheels ship OpenBLAS; OPENBLAS_CORETYPE forces its kernel, and we read it back."""
    code = "from autograd.blas import openblas_core; print(openblas_core())"
    env = dict(os.environ, OPENBLAS_CORETYPE="Haswell")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "Haswell"


def test_weight_gradient_of_a_convolution_matches_torch_through_the_pieces(small_matrix_core):
    """LeNet's first convolution at batch 64: the weight gradient runs through skinny_product."""
    import nn.functional as F

    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1, 28, 28))
    w = rng.standard_normal((6, 1, 5, 5))
    ours = Tensor(w, requires_grad=True)
    F.conv2d(Tensor(x), ours, padding=2).tanh().sum().backward()
    theirs = torch.tensor(w, requires_grad=True)
    torch.nn.functional.conv2d(torch.tensor(x), theirs, padding=2).tanh().sum().backward()
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-10, atol=1e-10)


# -- select -----------------------------------------------------------------------------------

SPECIALS = [np.inf, -np.inf, np.nan, -np.nan, 0.0, -0.0, 1.5, -2.5]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("side", ["x", "y"])
@pytest.mark.parametrize("layout", ["same", "mask broadcast", "values broadcast", "transposed"])
def test_select_is_np_where_bit_for_bit(dtype, side, layout):
    rng = np.random.default_rng(7)
    values = rng.standard_normal((4, 6, 5)).astype(dtype)
    values.flat[: len(SPECIALS)] = SPECIALS
    mask = rng.random((4, 6, 5)) < 0.5
    if layout == "mask broadcast":
        mask = mask[:, :1]
    elif layout == "values broadcast":
        values = values[:1]
    elif layout == "transposed":
        values, mask = values.transpose(2, 0, 1), mask.transpose(2, 0, 1)
    x, y = (values, 0) if side == "x" else (0, values)
    got, want = select(mask, x, y), np.where(mask, x, y)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got.view(f"u{got.itemsize}"), want.view(f"u{want.itemsize}"))


def test_relu_gradient_passes_inf_and_nan_and_stops_at_zero_as_torch():
    x = np.array([-np.inf, -1.0, -0.0, 0.0, 1.0, np.inf, np.nan])
    g = np.array([np.inf, np.nan, 1.0, 1.0, -np.inf, np.nan, 2.0])
    ours = Tensor(x, requires_grad=True)
    ours.relu().backward(Tensor(g))
    theirs = torch.tensor(x, requires_grad=True)
    theirs.relu().backward(torch.tensor(g))
    np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())
    assert not np.signbit(ours.grad.data[:4]).any()  # the gated slots are +0.0


# -- the fold's cached indices ---------------------------------------------------------------


@pytest.mark.parametrize(
    "spatial, window, stride, dilation",
    [
        ((7, 6), (3, 2), (1, 1), (1, 1)),
        ((9,), (3,), (2,), (2,)),
        ((5, 5, 4), (2, 3, 1), (2, 1, 1), (1, 2, 1)),
    ],
)
def test_fold_is_the_adjoint_of_the_sliding_window_on_every_call(spatial, window, stride, dilation):
    rng = np.random.default_rng(len(spatial))
    x = rng.standard_normal((2,) + spatial)
    windows = SlidingWindow.apply(Tensor(x), window, stride, dilation)
    for _ in range(2):  # the second call reads the cached index pairs
        g = rng.standard_normal(windows.shape)
        folded = FoldWindows.apply(Tensor(g), spatial, window, stride, dilation)
        h = rng.standard_normal(folded.shape)
        windows_h = SlidingWindow.apply(Tensor(h), window, stride, dilation)
        # <fold(g), h> = <g, windows(h)>
        assert np.isclose((folded.data * h).sum(), (g * windows_h.data).sum(), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_relu_forward_is_numpys_maximum_with_zero_bit_for_bit_and_keeps_the_layout(dtype):
    rng = np.random.default_rng(3)
    base = (rng.standard_normal((4, 3, 5, 6)) * 4).astype(dtype)
    if base.dtype.kind == "f":
        base.flat[: len(SPECIALS)] = SPECIALS  # NaN of either sign passes, -0.0 and -inf do not
    x = Tensor(base).permute(3, 0, 1, 2)  # a batch-last view, as a convolution's output
    got = x.relu().data
    want = np.maximum(x.data, 0)
    assert got.dtype == want.dtype and got.strides == want.strides  # batch-last stays batch-last
    assert np.array_equal(got.view(f"u{got.itemsize}"), want.view(f"u{want.itemsize}"))


@pytest.mark.parametrize("side", ["x", "y"])
def test_select_on_a_scratch_condition_is_the_same_and_uses_its_memory(side):
    rng = np.random.default_rng(11)
    values = rng.standard_normal((5, 7))
    values.flat[: len(SPECIALS)] = SPECIALS
    mask = rng.random((5, 7)) < 0.5
    x, y = (values, 0) if side == "x" else (0, values)
    want = np.where(mask, x, y)
    scratch = mask.copy()
    got = select(scratch, x, y, scratch=True)
    assert np.array_equal(got.view(np.uint64), want.view(np.uint64))
    # overwritten with the AND's mask: the caller said it could be
    assert not np.array_equal(scratch.view(np.int8), mask.view(np.int8))


# -- the fused convolution frees its columns with the graph ----------------------------------


def test_a_backward_frees_the_convolutions_columns():
    """The im2col matrix (5 MB on LeNet's first layer at batch 64) goes with the saved tensors,
    as the composition's matmul operand did, not at the next step."""
    import gc
    import weakref

    import nn.functional as F

    rng = np.random.default_rng(5)
    x = Tensor(rng.standard_normal((4, 2, 9, 9)))
    w = Tensor(rng.standard_normal((3, 2, 3, 3)), requires_grad=True)
    y = F.conv2d(x, w, padding=1)
    (columns,) = [t for t in y._ctx.saved_tensors if t.shape == (2 * 9, 9 * 9 * 4)]
    alive = weakref.ref(columns.data)
    del columns
    y.sum().backward()
    gc.collect()
    assert alive() is None
    assert y is not None  # the graph's output itself is still here
    with pytest.raises(RuntimeError, match="second time"):
        y.sum().backward()
