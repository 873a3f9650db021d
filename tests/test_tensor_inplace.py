"""In-place operations and version counters, against torch (issue 11, items 1, 2, 6 and 12).

torch's rules: under ``no_grad`` an in-place operation updates the same array; on a leaf that
requires grad it raises; on a non-leaf it is recorded. Each one bumps the tensor's version, and
a backward that saved the old values raises instead of differentiating at the new ones.
"""

import numpy as np
import pytest
import torch

import autograd
import nn
from autograd import Tensor, no_grad

X = np.array([1.0, 2.0, -3.0], dtype=np.float32)


def _pair(values=X):
    return Tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)


def _close(ours: Tensor, theirs: torch.Tensor) -> None:
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-6, atol=1e-6)


# -- versions and the check at backward ---------------------------------------------------------


def test_every_in_place_operation_bumps_the_version():
    t = Tensor(np.zeros(3, dtype=np.float32))
    assert t._version == 0
    t += 1
    t.mul_(2)
    t[0] = 5
    t.zero_()
    assert t._version == 4
    assert (t + 1)._version == 0  # a new result starts at 0


def test_an_optimizer_step_before_backward_raises_torchs_error():
    w = Tensor(np.array([2.0], dtype=np.float32), requires_grad=True)
    opt = nn.optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    w.grad = Tensor(np.array([1.0], dtype=np.float32))
    opt.step()
    assert w._version == 1
    with pytest.raises(RuntimeError) as ours:
        loss.backward()
    tw = torch.tensor([2.0], requires_grad=True)
    topt = torch.optim.SGD([tw], lr=0.1)
    tloss = (tw * tw).sum()
    tw.grad = torch.tensor([1.0])
    topt.step()
    with pytest.raises(RuntimeError) as theirs:
        tloss.backward()
    start = "one of the variables needed for gradient computation has been modified by an inplace"
    assert str(ours.value).startswith(start) and str(theirs.value).startswith(start)
    assert "[torch.FloatTensor [1]]" in str(ours.value)
    assert "is at version 1; expected version 0 instead" in str(ours.value)
    assert "MulBackward" in str(ours.value)


def test_assign_data_bumps_the_version_even_for_the_parameters_own_array():
    w = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    array = autograd.parameters.data_array(w)
    array -= 1
    autograd.parameters.assign_data(w, array)
    autograd.parameters.assign_data(w, np.zeros(2))
    assert w._version == 2


@pytest.mark.parametrize("op", ["exp", "tanh", "sigmoid"])
def test_a_saved_output_changed_in_place_raises_naming_the_operation(op):
    x, tx = _pair()
    out = getattr(x * 1, op)()
    tout = getattr(tx * 1, op)()
    with no_grad():
        out += 1
    with torch.no_grad():
        tout += 1
    with pytest.raises(RuntimeError) as theirs:
        tout.sum().backward()
    with pytest.raises(RuntimeError, match="has been modified by an inplace operation") as ours:
        out.sum().backward()
    assert "is at version 1; expected version 0 instead" in str(theirs.value)
    assert "output 0 of" in str(ours.value) and "Backward" in str(ours.value)
    assert "is at version 1; expected version 0 instead" in str(ours.value)


@pytest.mark.parametrize("op", ["exp", "tanh", "sigmoid"])
def test_a_recorded_change_of_a_saved_output_raises_as_in_torch(op):
    # issue 11 (found by the fuzz): the operation saved its output, which += then overwrote;
    # torch raises at backward (output 0 of ExpBackward is at version 2), and so must we,
    # rather than quietly keep a copy of the old values
    x, tx = _pair()
    out = getattr(x * 1, op)()
    tout = getattr(tx * 1, op)()
    alias = out
    out += 1
    out *= 2
    tout += 1
    tout *= 2
    assert out is alias and alias._version == tout._version == 2
    _close(out, tout)
    with pytest.raises(RuntimeError) as theirs:
        tout.sum().backward()
    with pytest.raises(RuntimeError, match="has been modified by an inplace operation") as ours:
        out.sum().backward()
    for error in (theirs.value, ours.value):
        assert "output 0 of" in str(error) and "is at version 2; expected version 0" in str(error)


def test_a_tensor_saved_by_a_custom_function_is_checked():
    class Square(autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a.data**2

        @staticmethod
        def backward(ctx, grad):
            (a,) = ctx.saved_tensors
            return grad * 2 * a

    x = Tensor(X.copy(), requires_grad=True)
    h = x * 1
    y = Square.apply(h)
    with no_grad():
        h += 1
    with pytest.raises(RuntimeError, match="expected version 0 instead"):
        y.sum().backward()


def test_an_input_changed_under_no_grad_raises_instead_of_a_wrong_gradient():
    x, _ = _pair()
    h = x * 1
    y = (h * h).sum()
    with no_grad():
        h -= 1
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        y.backward()


def test_detach_shares_the_version_counter_as_torch():
    x, tx = _pair()
    loss = (x * x).sum()
    tloss = (tx * tx).sum()
    x.detach().add_(1.0)
    tx.detach().add_(1.0)
    assert x._version == tx._version == 1
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        loss.backward()
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        tloss.backward()


def test_a_node_replaced_in_place_is_not_used_by_earlier_results():
    # y was made from h before h *= 3: its gradient must not go through the multiplication.
    # sum saves no tensor, so torch passes (issue 11): the gradient goes to h's old node, 2
    x, tx = _pair()
    h, th = x * 2, tx * 2
    y, ty = h.sum(), th.sum()
    h *= 3
    th *= 3
    y.backward()
    ty.backward()
    _close(x.grad, tx.grad)
    assert np.all(x.grad.data == 2)


# -- torch's rules for in-place operations -------------------------------------------------------


def test_no_grad_update_idiom_trains_the_model_in_place():
    lin = nn.Linear(3, 2)
    weight_array = lin.weight.data
    before = weight_array.copy()
    lin(Tensor(np.ones((4, 3), dtype=np.float32))).sum().backward()
    with no_grad():
        for p in lin.parameters():
            p -= 0.1 * p.grad
    assert lin.weight.data is weight_array  # the same ndarray, updated
    np.testing.assert_allclose(weight_array, before - 0.1 * lin.weight.grad.data, rtol=1e-6)
    assert lin.weight.is_leaf and lin.weight.requires_grad


def test_in_place_on_a_leaf_that_requires_grad_raises_torchs_error():
    lin = nn.Linear(3, 2)
    message = "a leaf Variable that requires grad is being used in an in-place operation"
    with pytest.raises(RuntimeError, match=message):
        lin.weight -= 1
    x, tx = _pair()
    for name, arg in [("add_", 1.0), ("mul_", 2.0), ("zero_", None), ("fill_", 1.0)]:
        with pytest.raises(RuntimeError, match=message):
            getattr(tx, name)(*([] if arg is None else [arg]))
        with pytest.raises(RuntimeError, match=message):
            getattr(x, name)(*([] if arg is None else [arg]))
    with pytest.raises(RuntimeError, match=message):
        x[0] = 1.0
    assert x.is_leaf and x._version == 0
    np.testing.assert_array_equal(x.data, X)


def test_recorded_in_place_chain_matches_torch():
    x, tx = _pair()
    h = x * 2
    h += 1
    h -= x
    h /= 2
    h **= 2
    h.mul_(x).add_(x, alpha=3).sub_(1.5).clamp_(-4, 10)
    th = tx * 2
    th += 1
    th -= tx
    th /= 2
    th = th**2  # torch's pow_ saves self and then overwrites it: it raises here
    th = th.mul(tx).add_(tx, alpha=3).sub_(1.5).clamp_(-4, 10)
    _close(h, th)
    assert h.grad_fn is not None and not h.is_leaf
    h.sum().backward()
    th.sum().backward()
    _close(x.grad, tx.grad)


def test_square_in_place_gives_the_exact_gradient():
    # h *= h: torch raises (mul_ saved h, then overwrote it); the old values are kept here, so
    # the gradient is exact: d/dx (2x + 1)^2 = 4 (2x + 1)
    x, tx = _pair()
    h = x * 2
    alias = h
    h += 1
    h *= h
    assert h is alias and alias._version == 2  # the same object, changed in place
    th = tx * 2
    th += 1
    th = th * th
    h.sum().backward()
    th.sum().backward()
    _close(h, th)
    _close(x.grad, tx.grad)


@pytest.mark.parametrize(
    "index", [0, slice(1, None), (np.array([2, 0]),), np.array([True, False, True])]
)
def test_setitem_on_a_non_leaf_is_differentiable_like_torch(index):
    x, tx = _pair()
    y, ty = _pair(np.array(5.0, dtype=np.float32))
    h = x * 3
    h[index] = y * y
    th = tx * 3
    th[torch.as_tensor(index) if isinstance(index, np.ndarray) else index] = ty * ty
    _close(h, th)
    (h * h).sum().backward()
    (th * th).sum().backward()
    _close(x.grad, tx.grad)
    _close(y.grad, ty.grad)


def test_setitem_of_a_tensor_into_a_plain_tensor_records_it():
    y, ty = _pair(np.array([1.0, 2.0], dtype=np.float32))
    a = Tensor(np.zeros((2, 2), dtype=np.float32))
    a[1] = y
    ta = torch.zeros((2, 2))
    ta[1] = ty
    assert not a.is_leaf and a.requires_grad
    (a * a).sum().backward()
    (ta * ta).sum().backward()
    _close(a, ta)
    _close(y.grad, ty.grad)


def test_fill_copy_masked_fill_on_a_non_leaf_match_torch():
    x, tx = _pair()
    v, tv = _pair(np.array(4.0, dtype=np.float32))
    src, tsrc = _pair(np.array([7.0, 8.0, 9.0], dtype=np.float32))
    mask = np.array([True, False, True])
    outs = []
    for a, b, s, m in [(x, v, src, mask), (tx, tv, tsrc, torch.as_tensor(mask))]:
        h = a * 2
        h.masked_fill_(m, b)
        k = a * 3
        k.copy_(s)
        z = a * 4
        z.fill_(b)
        z2 = a * 5
        z2.zero_()
        loss = (h * h).sum() + (k * a).sum() + (z * a).sum() + (z2 * a).sum()
        loss.backward()
        outs.append((h, k, z, z2))
    for ours, theirs in zip(*outs):
        _close(ours, theirs)
    _close(x.grad, tx.grad)
    _close(v.grad, tv.grad)
    _close(src.grad, tsrc.grad)


def test_no_grad_in_place_ops_keep_the_array_and_dtype():
    t = Tensor(np.array([1.0, -2.0, 3.0], dtype=np.float32))
    array = t.data
    t += np.float64(1.0)  # cast to the tensor's dtype, as torch
    t.clamp_(min=0)
    t.masked_fill_(np.array([True, False, False]), 9)
    t.copy_(t * 2)
    t[2] = -1
    assert t.data is array and t.dtype == np.float32
    np.testing.assert_array_equal(t.data, [18.0, 0.0, -1.0])
    np.random.seed(0)
    t.uniform_(2, 3)
    assert t.data is array and ((array >= 2) & (array < 3)).all()
    t.normal_(0, 1e-3)
    assert t.data is array and np.abs(array).max() < 0.1


def test_in_place_result_that_the_tensor_cannot_hold_is_an_error():
    ints = Tensor(np.array([1, 2], dtype=np.int64))
    with pytest.raises(RuntimeError, match="can't be cast"):
        ints += 1.5
    with pytest.raises(RuntimeError, match="can't be cast"):
        ints /= 2
    small = Tensor(np.zeros(3, dtype=np.float32))
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        small += np.ones((2, 3))
    np.testing.assert_array_equal(ints.data, [1, 2])


# -- p.data stays an ndarray ----------------------------------------------------------------------


def test_data_minus_equals_a_gradient_updates_the_array_in_place():
    lin = nn.Linear(3, 2)
    lin(Tensor(np.ones((1, 3), dtype=np.float32))).sum().backward()
    array = lin.weight.data
    before = array.copy()
    lin.weight.data -= 0.5 * lin.weight.grad
    assert type(lin.weight.data) is np.ndarray and lin.weight.data is array
    np.testing.assert_allclose(array, before - 0.5 * lin.weight.grad.data)
    plain = np.ones(3)
    plain -= Tensor(np.ones(3))  # numpy's in-place op on a Tensor stays an ndarray
    assert type(plain) is np.ndarray and (plain == 0).all()


def test_assigning_a_tensor_to_a_parameters_data_stores_its_array():
    p = nn.Parameter(Tensor(np.zeros(2, dtype=np.float32)))
    source = Tensor(np.ones(2, dtype=np.float32))
    p.data = source
    assert type(p.data) is np.ndarray and p.data is source.data


def test_ndarray_op_tensor_still_gives_a_recorded_tensor():
    x, tx = _pair()
    out = np.ones(3, dtype=np.float32) * x - np.float32(2) / (x + 5)
    assert isinstance(out, Tensor) and out.requires_grad
    out.sum().backward()
    (torch.ones(3) * tx - 2 / (tx + 5)).sum().backward()
    _close(x.grad, tx.grad)
    assert (np.zeros(3) < Tensor([1.0, -1.0, 0.0])).tolist() == [True, False, False]


# -- Tensor() copies, from_numpy shares (item 6) ---------------------------------------------------


def test_tensor_of_an_array_copies_and_from_numpy_shares():
    array = np.array([1.0, 2.0])
    a, b = Tensor(array, requires_grad=True), Tensor(array, requires_grad=True)
    opt = nn.optim.SGD([a], lr=1.0)
    a.grad = Tensor(np.ones(2))
    opt.step()
    np.testing.assert_array_equal(array, [1.0, 2.0])  # neither the caller's array ...
    np.testing.assert_array_equal(b.data, [1.0, 2.0])  # ... nor the other leaf changed
    shared = autograd.from_numpy(array)
    shared.data[0] = 10.0
    assert array[0] == 10.0 and shared.data is array
    copied = Tensor(shared)
    copied.data[1] = -1.0
    assert array[1] == 2.0
    with pytest.raises(TypeError, match="from_numpy"):
        autograd.from_numpy([1.0, 2.0])


def test_parameter_shares_the_tensor_it_is_made_from_as_torch():
    t = Tensor(np.zeros(2, dtype=np.float32))
    p = nn.Parameter(t)
    assert p.data is t.data
    tt = torch.zeros(2)
    tp = torch.nn.Parameter(tt)
    assert tp.data_ptr() == tt.data_ptr()


# -- a second backward where nothing saved was freed (item 12) -----------------------------------


def test_second_backward_through_ops_that_saved_nothing_works_as_torch():
    x, tx = _pair()
    h = x + 1
    h.sum().backward()
    (h * 2).sum().backward()
    th = tx + 1
    th.sum().backward()
    (th * 2).sum().backward()
    _close(x.grad, tx.grad)
    k = (x - 1).reshape(3, 1).sum(dim=1)
    k.sum().backward()
    k.sum().backward()  # sub, reshape, sum keep only shapes


@pytest.mark.parametrize("make", [lambda x: x * x, lambda x: x.exp(), lambda x: x / (x + 10)])
def test_second_backward_where_a_saved_tensor_was_freed_still_raises(make):
    x, _ = _pair()
    y = make(x * 1)
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.sum().backward()
