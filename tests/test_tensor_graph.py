"""The Tensor graph walk as users rely on it: ``backward``, ``grad``, grad mode and memory.

PyTorch's semantics throughout: seeds for non-scalar outputs, ``retain_graph``, accumulation of
leaf gradients, ``create_graph`` for Hessian-vector products and gradient penalties, ``no_grad``
and friends as context managers and decorators, graphs freed by reference counting alone.
"""

import gc
import weakref

import numpy as np
import pytest
import torch

from autograd import Tensor, enable_grad, grad, is_grad_enabled, no_grad, set_grad_enabled


def pair(array, requires_grad=True):
    """The same float64 data as one of our Tensors and as a torch tensor."""
    array = np.asarray(array, dtype=np.float64)
    return (
        Tensor(array.copy(), requires_grad=requires_grad),
        torch.tensor(array, requires_grad=requires_grad),
    )


# -- backward: seeds -------------------------------------------------------------------------


def test_backward_of_a_scalar_needs_no_gradient():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0, 6.0])


def test_backward_of_a_one_element_tensor_needs_no_gradient():
    x = Tensor(np.array([2.0]), requires_grad=True)
    (x * x).backward()  # shape (1,): an implicit seed, as in PyTorch
    np.testing.assert_array_equal(x.grad.data, [4.0])


def test_backward_of_a_non_scalar_without_gradient_is_an_error():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(
        RuntimeError, match="grad can be implicitly created only for scalar outputs"
    ):
        (x * 2).backward()
    assert x.grad is None


@pytest.mark.parametrize("as_tensor", [True, False])
def test_backward_with_gradient_is_a_vector_jacobian_product(as_tensor):
    rng = np.random.default_rng(0)
    x, tx = pair(rng.standard_normal((2, 3)))
    v = rng.standard_normal((2, 3))
    (x * x * 3).backward(gradient=Tensor(v) if as_tensor else v)
    (tx * tx * 3).backward(gradient=torch.tensor(v))
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-14)


def test_backward_with_a_wrongly_shaped_gradient_names_both_shapes():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"\(3, 2\).*\(2, 3\)"):
        (x * 2).backward(gradient=np.ones((3, 2)))


def test_backward_of_a_tensor_that_does_not_require_grad_is_an_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (Tensor(np.ones(2)) * 2).sum().backward()


def test_the_gradient_passed_in_is_never_modified():
    x = Tensor(np.ones(3), requires_grad=True)
    y = Tensor(np.ones(3), requires_grad=True)
    seed = np.array([1.0, 2.0, 3.0])
    out = x + y
    out.backward(gradient=seed, retain_graph=True)
    out.backward(gradient=seed)  # accumulates in place into x.grad and y.grad
    np.testing.assert_array_equal(seed, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0, 6.0])
    x.grad.data[0] = 100.0  # two leaves never share one gradient buffer
    assert y.grad.data[0] == 2.0


# -- retain_graph and accumulation -------------------------------------------------------------


def test_second_backward_through_a_released_graph_is_an_error_naming_retain_graph():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True") as info:
        loss.backward()
    assert "backward through the graph a second time" in str(info.value)


def test_grad_releases_the_graph_unless_asked_to_retain_it():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    loss = (x * x).sum()
    grad(loss, x)
    with pytest.raises(RuntimeError, match="retain_graph"):
        grad(loss, x)


def test_retain_graph_allows_a_second_backward_and_leaf_grads_accumulate():
    rng = np.random.default_rng(1)
    x, tx = pair(rng.standard_normal(4))
    loss, tloss = (x * x * x).sum(), (tx * tx * tx).sum()
    loss.backward(retain_graph=True)
    first = x.grad.data.copy()
    loss.backward(retain_graph=True)
    loss.backward()
    tloss.backward(retain_graph=True)
    tloss.backward(retain_graph=True)
    tloss.backward()
    np.testing.assert_allclose(x.grad.data, 3 * first)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-14)


def test_leaf_grads_accumulate_across_graphs_until_zeroed():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [5.0, 7.0])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_a_node_used_on_several_paths_collects_every_contribution():
    rng = np.random.default_rng(2)
    x, tx = pair(rng.standard_normal(3))
    w, tw = pair(rng.standard_normal(3))

    def f(x, w):
        h = x * w  # used three times
        return (h * h + h / (1 + w * w) - h).sum()

    f(x, w).backward()
    f(tx, tw).backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-13)
    np.testing.assert_allclose(w.grad.data, tw.grad.numpy(), rtol=1e-13)


def test_a_float32_leaf_gets_a_float32_gradient():
    x = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    (x * Tensor(np.full(3, 2.0))).sum().backward()  # float64 on the other side
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0, 2.0])


# -- grad() ------------------------------------------------------------------------------------


def test_grad_returns_gradients_and_leaves_dot_grad_untouched():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    w = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    gx, gw = grad((x * w).sum(), [x, w])
    np.testing.assert_array_equal(gx.data, [3.0, 4.0])
    np.testing.assert_array_equal(gw.data, [1.0, 2.0])
    assert x.grad is None and w.grad is None
    assert not gx.requires_grad


def test_grad_does_not_disturb_accumulated_grads():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (x * 2).sum().backward()
    grad((x * 5).sum(), x)
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


def test_grad_with_respect_to_an_intermediate():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    h = x * 3
    (gh,) = grad((h * h).sum(), h)
    np.testing.assert_array_equal(gh.data, [6.0, 12.0])


def test_grad_of_several_outputs_with_grad_outputs():
    rng = np.random.default_rng(3)
    x, tx = pair(rng.standard_normal(3))
    v1, v2 = rng.standard_normal(3), rng.standard_normal(())
    (ours,) = grad([x * x, (x * x * x).sum()], x, grad_outputs=[Tensor(v1), Tensor(v2)])
    (theirs,) = torch.autograd.grad(
        [tx * tx, (tx * tx * tx).sum()], tx, grad_outputs=[torch.tensor(v1), torch.tensor(v2)]
    )
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-14)


def test_grad_of_an_unused_input_is_an_error_unless_allow_unused():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    unused = Tensor(np.array([5.0]), requires_grad=True)
    with pytest.raises(RuntimeError, match="input 1 appears to not have been used"):
        grad((x * x).sum(), [x, unused], retain_graph=True)
    gx, gu = grad((x * x).sum(), [x, unused], allow_unused=True)
    np.testing.assert_array_equal(gx.data, [2.0, 4.0])
    assert gu is None


def test_grad_with_the_wrong_number_of_grad_outputs_is_an_error():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(ValueError, match="2 grad_outputs for 1 outputs"):
        grad(x * 2, x, grad_outputs=[np.ones(2), np.ones(2)])


# -- create_graph: gradients of gradients --------------------------------------------------------


def test_hessian_vector_product_matches_torch():
    rng = np.random.default_rng(4)
    x, tx = pair(rng.standard_normal(5))
    a = rng.standard_normal((5, 5))
    v = rng.standard_normal(5)

    def f(x, A):
        return ((A @ x) ** 3).sum() + (x * x).sum() * x.sum()

    (g,) = grad(f(x, Tensor(a)), x, create_graph=True)
    assert g.requires_grad
    (hv,) = grad((g * Tensor(v)).sum(), x)
    (tg,) = torch.autograd.grad(f(tx, torch.tensor(a)), tx, create_graph=True)
    (thv,) = torch.autograd.grad((tg * torch.tensor(v)).sum(), tx)
    np.testing.assert_allclose(g.data, tg.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(hv.data, thv.numpy(), rtol=1e-10, atol=1e-12)


def test_gradient_penalty_reaches_the_parameters_as_in_torch():
    rng = np.random.default_rng(5)
    w, tw = pair(rng.standard_normal((3, 2)))
    b, tb = pair(rng.standard_normal(2))
    x, tx = pair(rng.standard_normal((4, 3)))

    def critic(x, w, b):
        h = x @ w + b
        return (h * h * h / (1 + h * h)).sum()

    (gx,) = grad(critic(x, w, b), x, create_graph=True)
    loss = critic(x, w, b) + ((gx * gx).sum() - 1) ** 2
    loss.backward()

    (tgx,) = torch.autograd.grad(critic(tx, tw, tb), tx, create_graph=True)
    tloss = critic(tx, tw, tb) + ((tgx * tgx).sum() - 1) ** 2
    tloss.backward()
    np.testing.assert_allclose(loss.item(), tloss.item(), rtol=1e-12)
    for ours, theirs in [(w, tw), (b, tb), (x, tx)]:
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_backward_with_create_graph_records_the_leaf_gradient():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (x * x * x).sum().backward(create_graph=True)  # x.grad = 3x^2, recorded
    assert x.grad.requires_grad
    np.testing.assert_array_equal(x.grad.data, [3.0, 12.0])
    (second,) = grad(x.grad.sum(), x)  # 6x
    np.testing.assert_array_equal(second.data, [6.0, 12.0])


def test_leaf_grads_from_create_graph_share_no_buffer_with_the_seed_or_each_other():
    x = Tensor(np.ones(2), requires_grad=True)
    w = Tensor(np.ones(2), requires_grad=True)
    seed = Tensor(np.array([1.0, 2.0]))
    (x + w).backward(gradient=seed, create_graph=True)  # d/dx and d/dw are the seed itself
    (x * 1.0).sum().backward()  # accumulates into x.grad
    np.testing.assert_array_equal(x.grad.data, [2.0, 3.0])
    np.testing.assert_array_equal(w.grad.data, [1.0, 2.0])
    np.testing.assert_array_equal(seed.data, [1.0, 2.0])


def test_create_graph_keeps_the_graph_for_another_pass():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    loss = (x * x * x).sum()
    grad(loss, x, create_graph=True)  # retain_graph defaults to create_graph
    (g,) = grad(loss, x)
    np.testing.assert_array_equal(g.data, [3.0, 12.0])


# -- grad mode -----------------------------------------------------------------------------------


def test_no_grad_context_records_nothing_and_restores_the_mode():
    x = Tensor(np.ones(2), requires_grad=True)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = x * 2
        with enable_grad():
            assert is_grad_enabled()
            z = x * 2
        assert not is_grad_enabled()
    assert is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad and z.parents == (x,)


def test_grad_mode_is_restored_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            raise ZeroDivisionError
    assert is_grad_enabled()
    with no_grad():
        with pytest.raises(ZeroDivisionError):
            with enable_grad():
                raise ZeroDivisionError
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_set_grad_enabled_as_a_call_and_as_a_context_manager():
    try:
        set_grad_enabled(False)
        assert not is_grad_enabled()
        set_grad_enabled(True)
        assert is_grad_enabled()
        with set_grad_enabled(False):
            assert not is_grad_enabled()
            with set_grad_enabled(True):
                assert is_grad_enabled()
            assert not is_grad_enabled()
        assert is_grad_enabled()
    finally:
        set_grad_enabled(True)


def test_grad_mode_objects_as_decorators():
    x = Tensor(np.ones(2), requires_grad=True)

    @no_grad()
    def frozen(t):
        return t * 2, is_grad_enabled()

    @enable_grad()
    def recorded(t):
        return t * 2, is_grad_enabled()

    @set_grad_enabled(False)
    def switched_off(t):
        return t * 2, is_grad_enabled()

    assert is_grad_enabled()  # making the decorator did not switch anything
    y, mode = frozen(x)
    assert not y.requires_grad and not mode
    with no_grad():
        z, mode = recorded(x)
    assert z.requires_grad and mode
    w, mode = switched_off(x)
    assert not w.requires_grad and not mode
    assert is_grad_enabled()
    assert frozen.__name__ == "frozen"  # functools.wraps


def test_grad_mode_classes_as_bare_decorators():
    """``@no_grad`` without parentheses works in PyTorch too."""

    @no_grad
    def frozen():
        return is_grad_enabled()

    @enable_grad
    def recorded():
        return is_grad_enabled()

    assert frozen() is False
    with no_grad():
        assert recorded() is True
    assert is_grad_enabled()


def test_backward_inside_no_grad_still_computes_gradients():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    loss = (x * x).sum()
    with no_grad():
        loss.backward()
        assert not is_grad_enabled()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])


# -- retain_grad, detach, requires_grad_ ---------------------------------------------------------


def test_retain_grad_keeps_the_gradient_of_an_intermediate():
    x, tx = pair([1.0, 2.0])
    h, th = x * 2, tx * 2
    h.retain_grad()
    th.retain_grad()
    assert h.retains_grad
    other = x * 3  # an intermediate that does not retain its gradient
    loss, tloss = (h * h + other).sum(), (th * th + tx * 3).sum()
    loss.backward(retain_graph=True)
    tloss.backward(retain_graph=True)
    np.testing.assert_array_equal(h.grad.data, th.grad.numpy())
    assert other.grad is None
    loss.backward()  # retained gradients accumulate too, as in PyTorch
    tloss.backward()
    np.testing.assert_array_equal(h.grad.data, th.grad.numpy())
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())


def test_intermediates_have_no_grad_after_backward():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    h = x * 2
    (h * h).sum().backward()
    assert h.grad is None and not h.retains_grad
    assert x.grad is not None


def test_retain_grad_without_requires_grad_is_an_error():
    with pytest.raises(RuntimeError, match="requires_grad=False"):
        Tensor(np.ones(2)).retain_grad()


def test_detach_shares_data_and_leaves_the_graph():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    h = x * 2
    d = h.detach()
    assert not d.requires_grad and d.is_leaf and d.grad_fn is None and d.parents == ()
    assert np.shares_memory(d.data, h.data)
    loss = (h * d).sum()  # d is a constant here
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, 2 * d.data)


def test_requires_grad_only_on_floating_tensors():
    t = Tensor([1, 2, 3])
    with pytest.raises(RuntimeError, match="floating point") as info:
        t.requires_grad_()
    assert "int64" in str(info.value)
    with pytest.raises(RuntimeError, match="floating point"):
        Tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="floating point"):
        Tensor([True, False]).requires_grad_()
    assert Tensor([1.0]).requires_grad_().requires_grad


def test_requires_grad_cannot_be_switched_off_on_a_non_leaf():
    h = Tensor(np.ones(2), requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="detach"):
        h.requires_grad_(False)


def test_is_leaf_and_grad_fn():
    x = Tensor(np.ones(2), requires_grad=True)
    c = Tensor(np.ones(2))
    y = x * c
    assert x.is_leaf and c.is_leaf and not y.is_leaf
    assert x.grad_fn is None and y.grad_fn is not None
    assert y.parents == (x, c) and y.op == "*"  # named as for a Value
    assert (c * 2).is_leaf  # nothing recorded without inputs that require grad


# -- memory and scale --------------------------------------------------------------------------


def test_a_dropped_graph_is_freed_by_reference_counting_alone():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        x = Tensor(np.ones(3), requires_grad=True)
        leaf_ref = weakref.ref(x)
        h = (x * 2 + 1) ** 2 / (x + 3)
        middle_ref = weakref.ref(h)
        loss = (h * h).sum() * x.sum()
        del x, h
        assert leaf_ref() is not None and middle_ref() is not None  # held by the graph
        loss.backward()
        del loss
        assert middle_ref() is None
        assert leaf_ref() is None
    finally:
        if was_enabled:
            gc.enable()


def test_a_second_order_graph_is_freed_by_reference_counting_alone():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
        leaf_ref = weakref.ref(x)
        h = x * x * x
        (g,) = grad(h.sum(), x, create_graph=True)
        grad_ref = weakref.ref(g)
        (g * g).sum().backward()
        del x, h, g
        assert grad_ref() is None and leaf_ref() is None
    finally:
        if was_enabled:
            gc.enable()


def test_a_long_chain_of_operations():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x
    for _ in range(5_000):  # 10,000 recorded operations
        y = y * 1.0001
        y = y - 0.001
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, [1.0001**5_000] * 2, rtol=1e-10)


def test_gradients_are_deterministic():
    rng = np.random.default_rng(6)
    data = rng.standard_normal((8, 8))

    def run():
        x = Tensor(data.copy(), requires_grad=True)
        parts = [x * (i + 0.1) / (x * x + i + 1) for i in range(20)]  # x reached 60 ways
        total = parts[0]
        for p in parts[1:]:
            total = total + p @ parts[0]
        total.sum().backward()
        return x.grad.data.copy()

    first = run()
    for _ in range(3):
        np.testing.assert_array_equal(run(), first)


def _leaf_and_fresh_gradient():
    """A leaf whose backward hands over a fresh array, and a weak reference to that array."""
    import weakref

    from autograd import Function

    made = []

    class Double(Function):
        @staticmethod
        def forward(ctx, x):
            return x.data * 2

        @staticmethod
        def backward(ctx, grad):
            out = Tensor(np.array(grad.data * 2))
            made.append(weakref.ref(out.data))
            return out

    x = Tensor(np.ones(3), requires_grad=True)
    return x, Double, made


def test_a_fresh_gradient_array_is_taken_over_not_copied():
    x, Double, made = _leaf_and_fresh_gradient()
    Double.apply(x).sum().backward()
    assert x.grad.data is made[0]()  # no copy of a gradient nobody else holds


def test_gradients_taken_over_never_alias_the_seed_or_each_other():
    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    seed = Tensor(np.full(3, 2.0))
    (a + b).backward(seed)  # add hands the same gradient tensor to both leaves
    assert not np.shares_memory(a.grad.data, b.grad.data)
    assert not np.shares_memory(a.grad.data, seed.data)
    a.grad.data += 1  # later in-place accumulation must touch only a's buffer
    assert b.grad.data.tolist() == [2.0, 2.0, 2.0] and seed.data.tolist() == [2.0, 2.0, 2.0]


def test_a_gradient_that_a_backward_also_saved_is_copied():
    from autograd import Function

    kept = Tensor(np.array([5.0, 6.0]))

    class ReturnsSaved(Function):
        @staticmethod
        def forward(ctx, x):
            return x.data.copy()

        @staticmethod
        def backward(ctx, grad):
            return kept  # a tensor someone else still holds

    x = Tensor(np.zeros(2), requires_grad=True)
    ReturnsSaved.apply(x).sum().backward()
    assert not np.shares_memory(x.grad.data, kept.data)
    x.grad.data += 1
    assert kept.data.tolist() == [5.0, 6.0]
