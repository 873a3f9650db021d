"""The custom-op API: ``autograd.Function`` with ``forward(ctx, ...)``/``backward(ctx, grad)``.

PyTorch's semantics: ``MyOp.apply(...)`` runs ``forward`` with recording off, records one node
when some input requires grad, and ``backward`` returns one gradient per ``forward`` argument.
"""

import numpy as np
import pytest
import torch

from autograd import Context, Function, Tensor, enable_grad, grad, is_grad_enabled, no_grad
from autograd.function import recording
from autograd.gradcheck import gradcheck


class Cube(Function):
    """x³, with its derivative written in Tensor operations (so it can be differentiated)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.data**3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x * x


class ScaledProduct(Function):
    """``scale * x * w``: two tensors and a number, and a record of what ctx saw."""

    seen: list = []

    @staticmethod
    def forward(ctx, x, w, scale):
        ScaledProduct.seen.append(("forward", ctx.needs_input_grad, is_grad_enabled()))
        ctx.save_for_backward(x, w)
        ctx.scale = scale
        return scale * x.data * w.data

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        ScaledProduct.seen.append(("backward", ctx.needs_input_grad))
        grad_x = grad * w * ctx.scale if ctx.needs_input_grad[0] else None
        grad_w = grad * x * ctx.scale if ctx.needs_input_grad[1] else None
        return grad_x, grad_w, None


class ShiftThenScale(Function):
    """``(x + shift) * scale`` with the numbers first: gradients map back to tensor positions."""

    @staticmethod
    def forward(ctx, shift, x, scale):
        ctx.scale = scale
        return (x.data + shift) * scale

    @staticmethod
    def backward(ctx, grad):
        return None, grad * ctx.scale, None


def test_apply_records_a_node_and_backward_gives_the_gradient():
    x = Tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True)
    y = Cube.apply(x)
    assert isinstance(y, Tensor)
    np.testing.assert_array_equal(y.data, x.data**3)
    assert y.requires_grad and not y.is_leaf
    assert y.grad_fn is Cube and y.op == "cube"
    assert y.parents == (x,)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 3 * x.data**2)


def test_custom_function_passes_gradcheck():
    x = Tensor(np.random.default_rng(0).standard_normal((2, 3)), requires_grad=True)
    assert gradcheck(Cube.apply, x)
    assert gradcheck(lambda a, b: ScaledProduct.apply(a, b, 1.5), (x, x * 2))


def test_op_name_can_be_set_on_the_class():
    class Twice(Function):
        op = "twice!"

        @staticmethod
        def forward(ctx, x):
            return x.data * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    assert Twice.apply(Tensor([1.0], requires_grad=True)).op == "twice!"


def test_saved_tensors_and_attributes_reach_backward_and_needs_input_grad_is_per_argument():
    ScaledProduct.seen.clear()
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    w = Tensor(np.array([3.0, 4.0]))  # no grad wanted
    y = ScaledProduct.apply(x, w, 0.5)
    np.testing.assert_array_equal(y.data, [1.5, 4.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.5, 2.0])
    assert w.grad is None
    # forward ran with recording off; needs_input_grad has one entry per argument
    assert ScaledProduct.seen == [
        ("forward", (True, False, False), False),
        ("backward", (True, False, False)),
    ]


def test_needs_input_grad_when_only_the_second_tensor_requires_grad():
    ScaledProduct.seen.clear()
    x = Tensor(np.array([1.0, 2.0]))
    w = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    ScaledProduct.apply(x, w, 2.0).sum().backward()
    assert ScaledProduct.seen[0][1] == (False, True, False)
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])
    assert x.grad is None


def test_non_tensor_arguments_anywhere_get_no_gradient():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = ShiftThenScale.apply(10.0, x, 3.0)
    np.testing.assert_array_equal(y.data, [33.0, 36.0])
    assert y.parents == (x,)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_keyword_arguments_reach_forward():
    class Scale(Function):
        @staticmethod
        def forward(ctx, x, *, factor):
            ctx.factor = factor
            return x.data * factor

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.factor

    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    Scale.apply(x, factor=4.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [4.0, 4.0])


def test_forward_may_return_a_tensor_computed_with_tensor_ops():
    class SquarePlusOne(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x + 1  # not recorded: forward runs under no_grad

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 2 * x

    x = Tensor(np.array([1.0, 3.0]), requires_grad=True)
    y = SquarePlusOne.apply(x)
    assert y.grad_fn is SquarePlusOne and y.parents == (x,)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 6.0])


def test_nothing_is_recorded_without_inputs_that_require_grad_or_under_no_grad():
    x = Tensor(np.array([1.0, 2.0]))
    y = Cube.apply(x)
    assert not y.requires_grad and y.grad_fn is None and y.parents == ()
    with no_grad():
        z = Cube.apply(Tensor(np.array([1.0, 2.0]), requires_grad=True))
    assert not z.requires_grad and z.grad_fn is None
    np.testing.assert_array_equal(z.data, [1.0, 8.0])


def test_forward_can_read_ctx_when_nothing_is_recorded():
    """ctx behaves the same whether or not a graph is recorded (as in PyTorch)."""

    class Careful(Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            wanted = ctx.needs_input_grad
            return x.data * ctx.k + (1.0 if wanted[0] else 0.0)

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.k, None

    x = Tensor(np.array([1.0, 2.0]))
    np.testing.assert_array_equal(Careful.apply(x, 2.0).data, [2.0, 4.0])
    with no_grad():
        x.requires_grad_()
        np.testing.assert_array_equal(Careful.apply(x, 2.0).data, [2.0, 4.0])
    np.testing.assert_array_equal(Careful.apply(x, 2.0).data, [3.0, 5.0])


def test_context_saves_and_returns_tensors():
    ctx = Context((True,))
    a, b = Tensor([1.0]), Tensor([2.0])
    ctx.save_for_backward(a, b)
    assert ctx.saved_tensors == (a, b)
    assert ctx.needs_input_grad == (True,)


def test_second_order_through_a_custom_op():
    x_np = np.array([0.5, -1.5, 2.0])
    x = Tensor(x_np, requires_grad=True)
    (g,) = grad(Cube.apply(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.data, 3 * x_np**2)
    assert g.requires_grad
    (h,) = grad((g * g).sum(), x)  # d/dx sum(9 x^4) = 36 x^3
    np.testing.assert_allclose(h.data, 36 * x_np**3)

    tx = torch.tensor(x_np, requires_grad=True)
    (tg,) = torch.autograd.grad((tx**3).sum(), tx, create_graph=True)
    (th,) = torch.autograd.grad((tg * tg).sum(), tx)
    np.testing.assert_allclose(h.data, th.numpy(), rtol=1e-12)


def test_third_order_through_a_custom_op():
    x = Tensor(np.array([2.0]), requires_grad=True)
    (g1,) = grad(Cube.apply(x).sum(), x, create_graph=True)  # 3x^2
    (g2,) = grad(g1.sum(), x, create_graph=True)  # 6x
    (g3,) = grad(g2.sum(), x)  # 6
    np.testing.assert_allclose([g1.item(), g2.item(), g3.item()], [12.0, 12.0, 6.0])


def test_backward_returning_too_many_gradients_is_an_error():
    class TooMany(Function):
        @staticmethod
        def forward(ctx, x):
            return x.data * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2, grad

    y = TooMany.apply(Tensor(np.ones(2), requires_grad=True))
    with pytest.raises(RuntimeError, match=r"TooMany\.backward returned 2 gradients.*1 input"):
        y.sum().backward()


def test_backward_returning_too_few_gradients_is_an_error():
    class TooFew(Function):
        @staticmethod
        def forward(ctx, x, w, scale):
            return x.data * w.data * scale

        @staticmethod
        def backward(ctx, grad):
            return grad, grad  # forgot the number's None

    x = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"returned 2 gradients.*took 3 inputs"):
        TooFew.apply(x, x, 2.0).sum().backward()


def test_backward_returning_a_wrongly_shaped_gradient_is_an_error():
    class WrongShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x.data.sum()

        @staticmethod
        def backward(ctx, grad):
            return grad  # should be expanded to the input's shape

    y = WrongShape.apply(Tensor(np.ones((2, 3)), requires_grad=True))
    with pytest.raises(RuntimeError, match=r"shape \(\).*shape \(2, 3\)"):
        y.backward()


def test_backward_returning_a_non_tensor_is_a_clear_error():
    class NotATensor(Function):
        @staticmethod
        def forward(ctx, x):
            return x.data * 2

        @staticmethod
        def backward(ctx, grad):
            return 2.0

    y = NotATensor.apply(Tensor(np.ones(2), requires_grad=True))
    with pytest.raises((TypeError, RuntimeError), match="NotATensor.backward"):
        y.sum().backward()


def test_forward_returning_a_tuple_is_an_error():
    class TwoOutputs(Function):
        @staticmethod
        def forward(ctx, x):
            return x.data, x.data * 2

        @staticmethod
        def backward(ctx, grad):
            return grad

    with pytest.raises(TypeError, match="TwoOutputs.forward returned a tuple"):
        TwoOutputs.apply(Tensor(np.ones(2), requires_grad=True))


def test_function_without_forward_or_backward_says_what_to_define():
    class Empty(Function):
        pass

    with pytest.raises(NotImplementedError, match="forward"):
        Empty.apply(Tensor(np.ones(2)))

    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x.data

    y = NoBackward.apply(Tensor(np.ones(2), requires_grad=True))
    with pytest.raises(NotImplementedError, match="backward"):
        y.sum().backward()


def test_custom_op_mixes_with_built_in_ops_and_matches_torch():
    rng = np.random.default_rng(1)
    a_np, b_np = rng.standard_normal((3, 2)), rng.standard_normal((2, 4))
    a, b = Tensor(a_np, requires_grad=True), Tensor(b_np, requires_grad=True)
    out = Cube.apply(a @ b) * ScaledProduct.apply(a @ b, a @ b, 0.5) + a.sum()
    out.sum().backward()

    ta, tb = torch.tensor(a_np, requires_grad=True), torch.tensor(b_np, requires_grad=True)
    m = ta @ tb
    expected = m**3 * (0.5 * m * m) + ta.sum()
    expected.sum().backward()
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(a.grad.data, ta.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(b.grad.data, tb.grad.numpy(), rtol=1e-10)


def test_a_backward_that_walks_a_graph_of_its_own_keeps_the_outer_sums_apart():
    # The outer walk has already sent 5 to w (from w * 5) when Nested's backward runs its own
    # grad() through w: the inner walk must see only its graph (d(w*w)/dw = 4), and the outer
    # sum must survive it: w.grad = 5 + 10 * 4.
    w = Tensor([2.0], requires_grad=True, dtype=np.float64)

    class Nested(Function):
        @staticmethod
        def forward(ctx, x):
            return x.data.copy()

        @staticmethod
        def backward(ctx, g):
            with enable_grad():  # backward runs with recording off, as in torch
                (inner,) = grad((w * w).sum(), w)
            return g * 10 * inner

    (Nested.apply(w) + w * 5).sum().backward()
    assert w.grad.tolist() == [45.0]


class Recorded(Function):
    """A user's Function (defined outside autograd.ops) that asks whether it is recorded."""

    seen: list = []

    @staticmethod
    def forward(ctx, x):
        Recorded.seen.append(recording(ctx))
        return x.data * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * 2


def test_recording_is_true_only_when_a_gradient_is_wanted_for_any_function():
    Recorded.seen.clear()
    Recorded.apply(Tensor([1.0]))  # nothing requires grad
    with no_grad():
        Recorded.apply(Tensor([1.0], requires_grad=True))
    Recorded.apply(Tensor([1.0], requires_grad=True))
    assert Recorded.seen == [False, False, True]
    assert not Recorded.shares_unrecorded_context  # its own context, as in torch


def test_the_shared_inert_context_is_an_explicit_flag_not_a_module_path():
    contexts = []

    class Light(Function):
        shares_unrecorded_context = True

        @staticmethod
        def forward(ctx, x):
            contexts.append(ctx)
            return x.data

    Light.apply(Tensor([1.0]))
    Light.apply(Tensor([2.0]))
    assert contexts[0] is contexts[1] and not recording(contexts[0])
    Light.apply(Tensor([1.0], requires_grad=True))
    assert contexts[2] is not contexts[0] and recording(contexts[2])
