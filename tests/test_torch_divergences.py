"""Divergences from torch 2.13 that issue 11 lists (items 8, 11, 14, and views' versions).

Each class is one item; each test compares with torch itself (imported here), float64 where
numbers matter.
"""

import itertools

import numpy as np
import pytest
import torch

import autograd
import nn
import nn.functional as F
from autograd import Tensor, no_grad
from autograd.promotion import result_dtype

DTYPES = ["bool", "uint8", "int8", "int32", "int64", "float32", "float64"]


def _dtype_name(dtype) -> str:
    return str(dtype).removeprefix("torch.")


def _operand(kind: str, dtype: str):
    """The same operand for both libraries: ours and torch's (a tensor, 0-d tensor or number)."""
    if kind == "number":
        value = {"bool": True, "int64": 2, "float32": 2.5}[dtype]
        return value, value
    shape = (3,) if kind == "tensor" else ()
    array = np.full(shape, 1 if dtype != "bool" else True, dtype=dtype)
    return Tensor(array), torch.tensor(array)


OPERANDS = [("tensor", d) for d in DTYPES] + [("0-d", d) for d in DTYPES]
OPERANDS += [("number", d) for d in ("bool", "int64", "float32")]

BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "pow": (lambda a, b: a**b, lambda a, b: a**b),
    "maximum": (autograd.maximum, torch.maximum),
    "minimum": (autograd.minimum, torch.minimum),
    "where": (
        lambda a, b: autograd.where(np.array([True, False, True]), a, b),
        lambda a, b: torch.where(torch.tensor([True, False, True]), a, b),
    ),
}


def _binary_cases():
    for op, (left, right) in itertools.product(BINARY, list(itertools.product(OPERANDS, OPERANDS))):
        if left[0] == right[0] == "number":
            continue  # two numbers make no tensor
        if op in ("maximum", "minimum") and "number" in (left[0], right[0]):
            continue  # torch.maximum takes tensors only
        yield op, left, right


class TestItem8Dtypes:
    """Item 8: result dtypes exactly as torch's (its ``result_type`` rules), values too."""

    def test_grid_of_binary_ops_matches_torch_dtypes_and_values(self):
        compared = 0
        mismatches = []
        for op, left, right in _binary_cases():
            (a, ta), (b, tb) = _operand(*left), _operand(*right)
            ours_fn, theirs_fn = BINARY[op]
            try:
                expected = theirs_fn(ta, tb)
            except (RuntimeError, TypeError):
                continue  # torch refuses (bool - bool, int ** negative): not a dtype question
            out = ours_fn(a, b)
            compared += 1
            if _dtype_name(out.dtype) != _dtype_name(expected.dtype):
                mismatches.append((op, left, right, out.dtype, expected.dtype))
            else:
                np.testing.assert_array_equal(out.data, expected.numpy())
        assert not mismatches, mismatches[:10]
        assert compared > 1500

    @pytest.mark.parametrize("left, right", list(itertools.product(OPERANDS, OPERANDS)))
    def test_result_dtype_is_torch_result_type(self, left, right):
        if left[0] == right[0] == "number":
            return
        (a, ta), (b, tb) = _operand(*left), _operand(*right)
        ours = result_dtype(*[x.data if isinstance(x, Tensor) else x for x in (a, b)])
        assert _dtype_name(ours) == _dtype_name(torch.result_type(ta, tb))

    @pytest.mark.parametrize("first, second", list(itertools.product(DTYPES, DTYPES)))
    @pytest.mark.parametrize("join", ["cat", "stack"])
    def test_cat_and_stack_promote_as_torch(self, first, second, join):
        arrays = [np.ones(2, dtype=first), np.zeros(2, dtype=second)]
        out = getattr(autograd, join)([Tensor(x) for x in arrays])
        expected = getattr(torch, join)([torch.tensor(x) for x in arrays])
        assert _dtype_name(out.dtype) == _dtype_name(expected.dtype)
        np.testing.assert_array_equal(out.data, expected.numpy())

    @pytest.mark.parametrize("dtype", ["uint8", "int32", "int64", "float32", "float64"])
    @pytest.mark.parametrize(
        "bounds", [{"min": 0.5}, {"min": 1}, {"max": 2.5}, {"min": 0, "max": 1}]
    )
    def test_clamp_by_numbers_promotes_as_torch(self, dtype, bounds):
        array = np.array([0, 1, 3], dtype=dtype)
        out = Tensor(array).clamp(**bounds)
        expected = torch.tensor(array).clamp(**bounds)
        assert _dtype_name(out.dtype) == _dtype_name(expected.dtype)
        np.testing.assert_array_equal(out.data, expected.numpy())

    def test_int_tensor_and_float32_give_float32_in_where_cat_stack_clamp(self):
        ints, floats = Tensor([1, 2]), Tensor(np.array([0.5, 1.5], dtype=np.float32))
        condition = np.array([True, False])
        assert autograd.where(condition, ints, floats).dtype == np.float32
        assert autograd.cat([ints, floats]).dtype == np.float32
        assert autograd.stack([ints, floats]).dtype == np.float32
        assert ints.clamp(min=0.5).dtype == np.float32

    def test_zero_dim_float64_does_not_promote_a_float32_tensor(self):
        x = Tensor(np.array([1.0, 2.0], dtype=np.float32))
        out = autograd.where(np.array([True, False]), x, Tensor(np.array(3.0)))
        expected = torch.where(
            torch.tensor([True, False]),
            torch.tensor([1.0, 2.0]),
            torch.tensor(3.0, dtype=torch.float64),
        )
        assert out.dtype == np.float32 and expected.dtype == torch.float32
        np.testing.assert_array_equal(out.data, expected.numpy())

    def test_uint8_minus_int32_zero_dim_wraps_in_uint8(self):
        out = Tensor(np.array([0], dtype=np.uint8)) - Tensor(np.array(1, dtype=np.int32))
        expected = torch.tensor([0], dtype=torch.uint8) - torch.tensor(1, dtype=torch.int32)
        assert out.dtype == np.uint8 and out.tolist() == expected.tolist() == [255]

    @pytest.mark.parametrize(
        "dtype", ["bool", "uint8", "int8", "int32", "int64", "float32", "float64"]
    )
    def test_sum_of_bools_and_ints_is_int64(self, dtype):
        array = np.array([[200, 100], [1, 0]]).astype(dtype)
        for dim in (None, 0, (0, 1)):
            out = Tensor(array).sum(dim=dim)
            expected = torch.tensor(array).sum() if dim is None else torch.tensor(array).sum(dim)
            assert _dtype_name(out.dtype) == _dtype_name(expected.dtype)
            np.testing.assert_array_equal(out.data, expected.numpy())

    def test_grad_returns_each_gradient_in_its_input_dtype(self):
        x32 = np.array([1.0, -2.0, 3.0], dtype=np.float32)
        w64 = np.array([0.5, 0.25, 2.0])
        x = Tensor(x32, requires_grad=True)
        tx = torch.tensor(x32, requires_grad=True)
        (g,) = autograd.grad((x * Tensor(w64)).exp().sum(), x)
        (tg,) = torch.autograd.grad((tx * torch.tensor(w64)).exp().sum(), tx)
        assert g.dtype == np.float32 and tg.dtype == torch.float32
        np.testing.assert_allclose(g.data, tg.numpy(), rtol=1e-6)
        # second order: the recorded gradient is float32 too, and differentiable
        (g,) = autograd.grad((x * Tensor(w64)).exp().sum(), x, create_graph=True)
        (gg,) = autograd.grad(g.sum(), x)
        assert g.dtype == gg.dtype == np.float32

    def test_backward_accumulates_in_the_leaf_dtype(self):
        x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
        for _ in range(2):
            (x * Tensor(np.array([3.0, 4.0]))).sum().backward()
        tx = torch.tensor([1.0, 2.0], requires_grad=True)
        for _ in range(2):
            (tx * torch.tensor([3.0, 4.0], dtype=torch.float64)).sum().backward()
        assert x.grad.dtype == np.float32 and tx.grad.dtype == torch.float32
        np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())

    @pytest.mark.parametrize("data", [2**63, -(2**63) - 1, [1, 2**63], [[2**64]], 10**30])
    def test_ints_beyond_int64_raise_as_torch(self, data):
        with pytest.raises(ValueError, match="Overflow when unpacking long"):
            torch.tensor(data)
        with pytest.raises(ValueError, match="Overflow when unpacking long"):
            Tensor(data)

    def test_ints_at_the_ends_of_int64_and_big_ints_as_floats_still_work(self):
        assert (
            Tensor([2**63 - 1, -(2**63)]).tolist() == torch.tensor([2**63 - 1, -(2**63)]).tolist()
        )
        assert (
            Tensor(2**63, dtype=np.float32).item()
            == torch.tensor(2**63, dtype=torch.float32).item()
        )


def _model():
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    for p in model.parameters():
        p.data[...] = rng.standard_normal(p.shape)
    return model


def _snapshot(model) -> dict:
    return {k: np.array(v.data, copy=True) for k, v in model.state_dict().items()}


BAD_AFTER_GOOD = {
    "wrong shape": {"2.weight": np.zeros((2, 3))},
    "missing key": {"2.bias": None},
    "unexpected key": {"extra": np.zeros(1)},
    "strings": {"2.bias": np.array(["a"])},
    "objects": {"2.bias": np.array([object()])},
    "a string": {"2.bias": "a"},
}


class TestItem11LoadStateDict:
    """Item 11: a failed ``load_state_dict`` leaves the model exactly as it was."""

    @pytest.mark.parametrize("problem", list(BAD_AFTER_GOOD))
    def test_a_bad_entry_after_good_ones_changes_nothing(self, problem):
        model = _model()
        before = _snapshot(model)
        state = {k: np.full(v.shape, 7.0) for k, v in before.items()}  # good entries first
        for key, value in BAD_AFTER_GOOD[problem].items():
            if value is None:
                del state[key]
            else:
                state[key] = value
        with pytest.raises(RuntimeError, match="Error\\(s\\) in loading state_dict"):
            model.load_state_dict(state, strict=True)
        after = _snapshot(model)
        assert after.keys() == before.keys()
        for key in before:
            np.testing.assert_array_equal(after[key], before[key])
        for p in model.parameters():
            assert p._version == 0  # nothing was written

    def test_torch_also_refuses_the_same_loads(self):
        model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
        state = {k: torch.full(v.shape, 7.0) for k, v in model.state_dict().items()}
        state["2.weight"] = torch.zeros(2, 3)
        with pytest.raises(RuntimeError, match="Error\\(s\\) in loading state_dict"):
            model.load_state_dict(state)

    def test_a_good_load_still_writes_in_the_parameters_dtype(self):
        model = _model()
        state = {k: np.full(v.shape, 7.0) for k, v in _snapshot(model).items()}
        model.load_state_dict(state)
        for p in model.parameters():
            assert p.dtype == np.float32 and (p.data == 7.0).all()


class TestItem14MessagesAndPermissiveness:
    """Item 14: torch's errors where it raises, instead of a confusing one or none at all."""

    @pytest.mark.parametrize("dim", ["a", 1.5, (0, "a"), None.__class__])
    @pytest.mark.parametrize("op", ["sum", "mean", "var", "max", "logsumexp"])
    def test_a_dim_that_is_not_an_int_is_a_clear_type_error(self, op, dim):
        x = Tensor([[1.0, 2.0], [3.0, 4.0]])
        with pytest.raises(TypeError):
            getattr(torch.tensor(x.data), op)(dim=dim)
        with pytest.raises(TypeError, match="dim") as info:
            getattr(x, op)(dim=dim)
        assert repr(dim) in str(info.value) and "not supported between" not in str(info.value)

    @pytest.mark.parametrize("join", ["stack", "cat"])
    @pytest.mark.parametrize("bad", ["a", None, 1.0, [1.0]])
    def test_join_names_the_element_that_is_not_a_tensor(self, join, bad):
        x = Tensor([1.0])
        with pytest.raises(TypeError) as theirs:
            getattr(torch, join)([torch.tensor([1.0]), bad])
        with pytest.raises(TypeError) as ours:
            getattr(autograd, join)([x, bad])
        assert str(ours.value) == str(theirs.value)
        assert "element 1 in argument 0" in str(ours.value)

    @pytest.mark.parametrize(
        "data",
        ["abc", ["abc"], b"abc", np.array(["a", "b"]), np.array([object()]), [None], None],
        ids=["str", "list of str", "bytes", "str array", "object array", "[None]", "None"],
    )
    def test_only_numbers_make_a_tensor(self, data):
        with pytest.raises((TypeError, ValueError, RuntimeError)):
            torch.tensor(data)
        with pytest.raises(TypeError):
            Tensor(data)

    def test_from_numpy_refuses_object_arrays_as_torch(self):
        with pytest.raises(TypeError):
            torch.from_numpy(np.array([object()]))
        with pytest.raises(TypeError):
            autograd.from_numpy(np.array([object()]))

    def test_linear_refuses_float64_input_with_float32_weights(self):
        layer = nn.Linear(2, 3)
        tlayer = torch.nn.Linear(2, 3)
        x = np.ones((4, 2))
        with pytest.raises(RuntimeError) as theirs:
            tlayer(torch.tensor(x))
        with pytest.raises(RuntimeError) as ours:
            layer(Tensor(x))
        assert (
            str(theirs.value) == "mat1 and mat2 must have the same dtype, but got Double and Float"
        )
        assert str(ours.value).startswith(str(theirs.value))
        assert layer.double()(Tensor(x)).dtype == np.float64  # the fix the message gives works

    @pytest.mark.parametrize(
        "dtypes",
        [
            ("float64", "float32", None),
            ("float32", "float64", None),
            ("float32", "float32", "float64"),
        ],
    )
    def test_functional_linear_messages_are_torchs(self, dtypes):
        x_dtype, w_dtype, b_dtype = dtypes
        args = [np.ones((1, 2), dtype=x_dtype), np.ones((3, 2), dtype=w_dtype)]
        if b_dtype:
            args.append(np.ones(3, dtype=b_dtype))
        with pytest.raises(RuntimeError) as theirs:
            torch.nn.functional.linear(*[torch.tensor(a) for a in args])
        with pytest.raises(RuntimeError) as ours:
            F.linear(*[Tensor(a) for a in args])
        assert str(ours.value).startswith(str(theirs.value))

    @pytest.mark.parametrize("training", [True, False])
    def test_batch_norm_refuses_mixed_dtypes_as_torch(self, training):
        x = np.ones((4, 3))
        stats = [np.zeros(3, np.float32), np.ones(3, np.float32)]
        affine = [np.ones(3, np.float32), np.zeros(3, np.float32)]
        with pytest.raises(RuntimeError, match="mixed dtype") as theirs:
            torch.nn.functional.batch_norm(
                torch.tensor(x),
                *map(torch.tensor, stats),
                *map(torch.tensor, affine),
                training=training,
            )
        with pytest.raises(RuntimeError) as ours:
            F.batch_norm(Tensor(x), *stats, *map(Tensor, affine), training=training)
        assert str(ours.value).startswith(str(theirs.value))
        with pytest.raises(RuntimeError, match="mixed dtype"):
            nn.BatchNorm1d(3)(Tensor(x))
        assert nn.BatchNorm1d(3).double()(Tensor(x)).dtype == np.float64

    def test_conv_refuses_mixed_dtypes_as_torch(self):
        x = np.ones((1, 1, 4, 4))
        with pytest.raises(RuntimeError):
            torch.nn.Conv2d(1, 1, 3)(torch.tensor(x))
        # (ours has raised a TypeError naming both dtypes since before issue 11; kept)
        with pytest.raises(
            TypeError, match="Input type \\(float64\\) and weight type \\(float32\\)"
        ):
            nn.Conv2d(1, 1, 3)(Tensor(x))

    def test_decision_boundary_feeds_the_grid_in_the_models_dtype(self):
        from viz.boundary import Grid

        X = np.array([[0.0, 0.0], [1.0, 1.0]])
        for model in (nn.Sequential(nn.Linear(2, 1)), nn.Sequential(nn.Linear(2, 1)).double()):
            scores = Grid(model, X, resolution=3).evaluate()
            assert scores.shape == (3, 3, 1) and np.isfinite(scores).all()

    @pytest.mark.parametrize(
        "model_dtype, data_dtype", [("float32", "float64"), ("float64", "float32")]
    )
    def test_fit_feeds_float_data_in_the_models_dtype(self, model_dtype, data_dtype):
        # torch's layers refuse mixed dtypes; fit (ours, no torch counterpart) converts float
        # data to the model's dtype, so numpy's float64 arrays still train a float32 model
        rng = np.random.default_rng(0)
        X = rng.standard_normal((16, 2)).astype(data_dtype)
        y = (X[:, 0] > 0).astype(np.int64)
        np.random.seed(0)
        model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 2)).to(model_dtype)
        optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
        history = nn.fit(
            model, F.cross_entropy, optimizer, (X, y), epochs=3, progress=False, seed=0
        )
        assert len(history["loss"]) == 3 and np.isfinite(history["loss"]).all()
        assert all(p.dtype == model_dtype for p in model.parameters())

    @pytest.mark.parametrize(
        "assigned, message",
        [
            (
                lambda: Tensor(np.ones(3, np.float32)),
                "size '\\[3\\]' to a tensor of size '\\[2\\]'",
            ),
            (lambda: Tensor(np.ones(2)), "dtype 'float64' to a tensor with dtype 'float32'"),
        ],
    )
    def test_a_wrong_grad_assignment_raises_as_torch(self, assigned, message):
        tw = torch.zeros(2, requires_grad=True)
        with pytest.raises(RuntimeError):
            tw.grad = torch.tensor(assigned().data)
        w = Tensor(np.zeros(2, np.float32), requires_grad=True)
        with pytest.raises(RuntimeError, match=message):
            w.grad = assigned()
        assert w.grad is None

    def test_grad_assignment_of_a_non_tensor_or_itself_raises_as_torch(self):
        w = Tensor(np.zeros(2, np.float32), requires_grad=True)
        with pytest.raises(TypeError, match="assigned grad expected to be a Tensor or None"):
            w.grad = np.ones(2, np.float32)
        with pytest.raises(RuntimeError, match="can't assign Variable as its own grad"):
            w.grad = w
        w.grad = Tensor(np.ones(2, np.float32))  # the right one is taken, and None clears it
        assert w.grad.tolist() == [1.0, 1.0]
        w.grad = None
        assert w.grad is None

    @pytest.mark.parametrize("value", [float("nan"), 1.5, -0.5])
    def test_binary_cross_entropy_refuses_inputs_outside_0_1_nan_included(self, value):
        with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
            torch.nn.functional.binary_cross_entropy(
                torch.tensor([value, 0.5]), torch.tensor([1.0, 0.0])
            )
        with pytest.raises(ValueError, match="all elements of input should be between 0 and 1"):
            F.binary_cross_entropy(Tensor([value, 0.5]), Tensor([1.0, 0.0]))


VIEWS = {
    "getitem int": (lambda x: x[0], lambda x: x[0]),
    "getitem slice": (lambda x: x[1:], lambda x: x[1:]),
    "getitem int, slice": (lambda x: x[0, ::2], lambda x: x[0, ::2]),
    "getitem every dim": (lambda x: x[1, 2], lambda x: x[1, 2]),
    "view": (lambda x: x.view(6), lambda x: x.view(6)),
    "reshape": (lambda x: x.reshape(3, 2), lambda x: x.reshape(3, 2)),
    "transpose": (lambda x: x.transpose(0, 1), lambda x: x.transpose(0, 1)),
    "t": (lambda x: x.T, lambda x: x.t()),
    "permute": (lambda x: x.permute(1, 0), lambda x: x.permute(1, 0)),
    "unsqueeze": (lambda x: x.unsqueeze(0), lambda x: x.unsqueeze(0)),
    "squeeze of unsqueeze": (
        lambda x: x.unsqueeze(1).squeeze(1),
        lambda x: x.unsqueeze(1).squeeze(1),
    ),
    "flatten": (lambda x: x.flatten(), lambda x: x.flatten()),
    "expand": (lambda x: x[:1].expand(4, 3), lambda x: x[:1].expand(4, 3)),
    "detach": (lambda x: x.detach(), lambda x: x.detach()),
}

BASE = np.arange(1.0, 7.0).reshape(2, 3)


def _leaves():
    return Tensor(BASE, requires_grad=True), torch.tensor(BASE, requires_grad=True)


class TestViewsShareTheirBaseVersionCounter:
    """Views (basic indexing, view/reshape, transpose, permute, squeeze, unsqueeze, expand) and
    their base have one version counter, as in torch: changing either is a change of both."""

    @pytest.mark.parametrize("name", [n for n in VIEWS if n != "detach"])
    def test_changing_the_base_in_place_invalidates_a_graph_that_saved_the_view(self, name):
        ours, theirs = VIEWS[name]
        for make, leaves, sub in (
            (ours, _leaves()[0], no_grad),
            (theirs, _leaves()[1], torch.no_grad),
        ):
            view = make(leaves)
            y = (view * view).sum()  # saves the view
            with sub():
                leaves.add_(1)
            assert view._version == leaves._version == 1
            with pytest.raises(RuntimeError, match="modified by an inplace operation"):
                y.backward()

    @pytest.mark.parametrize("name", [n for n in VIEWS if n != "expand"])
    def test_changing_the_view_in_place_bumps_the_base_and_changes_its_values(self, name):
        ours, theirs = VIEWS[name]
        for make, leaves, sub in (
            (ours, _leaves()[0], no_grad),
            (theirs, _leaves()[1], torch.no_grad),
        ):
            y = (leaves * leaves).sum()  # saves the base
            view = make(leaves)
            with sub():
                view.mul_(2)
            assert leaves._version == view._version == 1
            with pytest.raises(RuntimeError, match="modified by an inplace operation"):
                y.backward()
        x, tx = _leaves()
        with no_grad():
            ours(x).mul_(2)
        with torch.no_grad():
            theirs(tx).mul_(2)
        np.testing.assert_array_equal(x.data, tx.detach().numpy())

    def test_a_base_changed_by_a_recorded_in_place_op_shows_in_its_views(self):
        a, ta = _leaves()
        x, tx = a * 1, ta * 1
        v, tv = x[0], tx[0]
        x.mul_(3)
        tx.mul_(3)
        np.testing.assert_array_equal(v.data, tv.detach().numpy())
        assert v._version == tv._version == 1
        (x * x).sum().backward()
        (tx * tx).sum().backward()
        np.testing.assert_allclose(a.grad.data, ta.grad.numpy(), rtol=1e-12)

    def test_a_view_of_a_leaf_that_requires_grad_refuses_a_recorded_in_place_op(self):
        x, tx = _leaves()
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
            tx[0].mul_(2)
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
            x[0].mul_(2)
        np.testing.assert_array_equal(x.data, BASE)

    @pytest.mark.parametrize(
        "program",
        [
            lambda x, y: x.T.mul_(2),
            lambda x, y: x[:, 1:].add_(y[:, :2]),
            lambda x, y: x.reshape(6)[2:5].mul_(y.reshape(6)[:3]),
            lambda x, y: x[1].unsqueeze(0).sub_(y[0]),
            lambda x, y: x.permute(1, 0)[0].fill_(0.25),
            lambda x, y: x[0].__setitem__(1, y[1, 1]),
        ],
    )
    def test_a_recorded_in_place_op_on_a_view_of_a_computed_tensor_changes_the_base(self, program):
        # torch's CopySlices: the base takes the change, in its values and in its graph
        results = []
        for make in (Tensor, torch.tensor):
            a = make(BASE.astype(np.float64), requires_grad=True)
            b = make(BASE.astype(np.float64) + 0.5, requires_grad=True)
            x, y = a * 1.5, b * 1
            program(x, y)
            (x * x * make(np.arange(6.0).reshape(BASE.shape))).sum().backward()
            results.append(
                [None if v is None else np.asarray(v) for v in (x.detach().numpy(), a.grad, b.grad)]
            )
        for ours, theirs in zip(*results):
            assert (ours is None) == (theirs is None)  # b unused: no gradient on either side
            if ours is not None:
                np.testing.assert_allclose(ours, theirs, rtol=1e-12)

    def test_copies_keep_their_own_counter(self):
        x = Tensor(BASE)
        for copy in (x[[0, 1]], x[x > 2], x.T.reshape(6), x + 0):
            with no_grad():
                copy.add_(1)
            assert copy._version == 1 and x._version == 0
        np.testing.assert_array_equal(x.data, BASE)

    def test_a_view_made_without_recording_refuses_a_grad_operand_while_its_base_lives(self):
        # torch would make the base record the change (CopySlices); refusing keeps the base's
        # gradient from going missing silently
        buf = Tensor(np.zeros(3))
        view = buf[1:]
        w = Tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="view of another"):
            view.add_(w)
        np.testing.assert_array_equal(buf.data, np.zeros(3))

    def test_recorded_writes_into_a_base_or_a_view_whose_base_is_gone_match_torch(self):
        values = np.array([1.0, 2.0, 3.0])
        w, tw = Tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
        buf, tbuf = Tensor(np.zeros((2, 3))), torch.zeros(2, 3, dtype=torch.float64)
        row, trow = buf[0], tbuf[0]  # a live view of the base: the base itself may change
        buf[1] = w
        tbuf[1] = tw
        out = Tensor(np.zeros(6)).reshape(2, 3)  # a view whose base nothing holds
        tout = torch.zeros(6, dtype=torch.float64).reshape(2, 3)
        out[0] = w * 2
        tout[0] = tw * 2
        ((buf * buf).sum() + (out * out).sum()).backward()
        ((tbuf * tbuf).sum() + (tout * tout).sum()).backward()
        np.testing.assert_allclose(w.grad.data, tw.grad.numpy(), rtol=1e-12)
        np.testing.assert_array_equal(row.data, trow.detach().numpy())


@pytest.mark.parametrize("value", [300, -1, 2**40, -(2**40), 255, 256, -129, 2**63 - 1])
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64"])
def test_a_python_int_wraps_into_an_integer_tensors_dtype_as_torch(value, dtype):
    """numpy refuses ``uint8_array + 300``; torch reads 300 in uint8 (44) and wraps around."""
    data = np.array([10, 72], dtype=dtype)
    for op in (lambda x: x + value, lambda x: value - x, lambda x: x * value):
        ours, theirs = op(Tensor(data)), op(torch.tensor(data))
        assert ours.dtype == np.dtype(dtype) and str(theirs.dtype) == f"torch.{dtype}"
        assert ours.tolist() == theirs.tolist()
