"""nn.Module, Parameter, Sequential and ModuleList against PyTorch's behaviour and reprs.

The layers here (``Linear``, ``ReLU``, ``Block``) are tiny test modules made of Parameters, so
that these tests do not depend on ``nn``'s own layers; they are named as PyTorch's so that the
reprs can be compared with torch's character for character.
"""

import copy
import random
from collections import OrderedDict

import numpy as np
import pytest
import torch

from autograd import Tensor, Value
from nn import MLP, Layer, Module, ModuleList, Neuron, Parameter, Sequential


class Linear(Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(np.random.randn(out_features, in_features).astype(np.float32))
        if bias:
            self.bias = Parameter(np.random.randn(out_features).astype(np.float32))
        else:
            self.register_parameter("bias", None)

    def forward(self, x):
        out = x @ self.weight.T
        return out + self.bias if self.bias is not None else out

    def extra_repr(self):
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class ReLU(Module):
    def forward(self, x):
        return x.relu()


class BatchNormLike(Module):
    """Parameters and buffers, as BatchNorm has (running statistics are buffers)."""

    def __init__(self, n):
        super().__init__()
        self.weight = Parameter(np.ones(n, np.float32))
        self.bias = Parameter(np.zeros(n, np.float32))
        self.register_buffer("running_mean", Tensor(np.zeros(n, np.float32)))
        self.register_buffer("running_var", Tensor(np.ones(n, np.float32)))
        self.register_buffer("scratch", Tensor(np.zeros(n, np.float32)), persistent=False)


class Block(Module):
    def __init__(self):
        super().__init__()
        self.layer1 = Linear(2, 3)
        self.act = ReLU()
        self.layer2 = Linear(3, 1, bias=False)


def torch_block():
    block = torch.nn.Module()
    block.layer1 = torch.nn.Linear(2, 3)
    block.act = torch.nn.ReLU()
    block.layer2 = torch.nn.Linear(3, 1, bias=False)
    return block


# -- Parameter ---------------------------------------------------------------------------------


def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = Parameter([1.0, 2.0])
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf
    assert p.dtype == np.float32
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    assert repr(p) == repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))
    assert not Parameter([1.0], requires_grad=False).requires_grad
    assert Parameter().shape == (0,)
    assert not hasattr(p, "__dict__")  # __slots__ all the way down


def test_parameter_shares_the_array_it_is_made_from():
    array = np.zeros(3, dtype=np.float64)
    assert Parameter(array).data is array  # dtype kept, no copy
    t = Tensor(np.ones(2, np.float32))
    assert Parameter(t).data is t.data
    made = Tensor([1.0, 2.0], requires_grad=True) * 2
    assert Parameter(made).is_leaf


def test_parameter_trains_like_a_tensor():
    p = Parameter([1.0, -2.0])
    (p * p).sum().backward()
    np.testing.assert_allclose(p.grad.data, [2.0, -4.0])
    assert type(p.detach()) is Tensor


# -- registration and traversal ----------------------------------------------------------------


def test_attribute_assignment_registers_in_order():
    block = Block()
    assert list(block._modules) == ["layer1", "act", "layer2"]
    assert [name for name, _ in block.named_parameters()] == [
        "layer1.weight",
        "layer1.bias",
        "layer2.weight",
    ]
    assert [name for name, _ in block.named_parameters()] == [
        name for name, _ in torch_block().named_parameters()
    ]
    assert list(block.parameters()) == [p for _, p in block.named_parameters()]
    assert block.layer1.weight is block._modules["layer1"]._parameters["weight"]
    assert block.layer2.bias is None  # registered as absent, read back as None
    assert [name for name, _ in block.named_parameters(recurse=False)] == []
    assert [name for name, _ in block.layer1.named_parameters(prefix="x")] == ["x.weight", "x.bias"]


def test_plain_tensors_and_lists_are_ordinary_attributes():
    class M(Module):
        def __init__(self):
            super().__init__()
            self.constant = Tensor([1.0])
            self.plain = [Linear(1, 1)]
            self.rate = 0.5

    m = M()
    assert list(m.parameters()) == [] and list(m.children()) == []
    assert m.rate == 0.5 and isinstance(m.constant, Tensor)


def test_reassignment_moves_between_registries_and_delattr_removes():
    m = Module()
    m.x = Linear(1, 1)
    assert m._modules["x"] is m.x
    m.x = Parameter([2.0])
    assert "x" not in m._modules and m.x.data[0] == 2.0
    m.x = None
    assert m.x is None and list(m.parameters()) == []
    del m.x
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'x'"):
        _ = m.x
    m.y = 3
    del m.y
    assert not hasattr(m, "y")


def test_assigning_the_wrong_kind_to_a_registered_name_is_refused():
    m = Linear(2, 2)
    with pytest.raises(TypeError, match="cannot assign 'ndarray' as parameter 'weight'"):
        m.weight = np.zeros((2, 2))
    with pytest.raises(TypeError, match="cannot assign 'ReLU' as parameter 'weight'"):
        m.weight = ReLU()  # as torch: a parameter's name takes a parameter or None
    seq = Sequential(Linear(1, 1))
    with pytest.raises(TypeError, match="cannot assign 'int' as child module '0'"):
        setattr(seq, "0", 1)
    bn = BatchNormLike(2)
    with pytest.raises(TypeError, match="cannot assign 'list' as buffer 'running_mean'"):
        bn.running_mean = [0.0, 0.0]
    bn.running_mean = Tensor([1.0, 2.0])
    assert bn._buffers["running_mean"].data[1] == 2.0


def test_register_methods_check_names_and_types():
    m = Module()
    with pytest.raises(KeyError, match="name can.+t contain"):
        m.register_parameter("a.b", Parameter([1.0]))
    with pytest.raises(KeyError, match="empty string"):
        m.register_buffer("", Tensor([1.0]))
    with pytest.raises(KeyError, match="attribute 'train' already exists"):
        m.register_parameter("train", Parameter([1.0]))
    with pytest.raises(TypeError, match="cannot assign 'Tensor' object to parameter 'w'"):
        m.register_parameter("w", Tensor([1.0]))
    with pytest.raises(TypeError, match="cannot assign 'ndarray' object to buffer 'b'"):
        m.register_buffer("b", np.zeros(1))
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        m.add_module("c", 3)
    m.register_module("c", Linear(1, 1))
    assert "c" in dir(m)


def test_shared_parameter_and_module_are_listed_once():
    shared = Linear(2, 2)
    seq = Sequential(shared, ReLU(), shared)
    assert [name for name, _ in seq.named_parameters()] == ["0.weight", "0.bias"]
    assert len(list(seq.modules())) == 3  # seq, the shared Linear, ReLU
    assert len(list(seq.named_parameters(remove_duplicate=False))) == 4
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]  # as torch

    m = Module()
    m.a = Linear(2, 2)
    m.b = Linear(2, 2)
    m.b.weight = m.a.weight  # tied weights
    assert [name for name, _ in m.named_parameters()] == ["a.weight", "a.bias", "b.bias"]


def test_children_and_modules_match_torch():
    ours, theirs = Block(), torch_block()
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert list(ours.children()) == [ours.layer1, ours.act, ours.layer2]
    assert next(iter(ours.modules())) is ours
    seq = Sequential(Block(), Linear(1, 1))
    assert [n for n, _ in seq.named_modules()] == [
        "",
        "0",
        "0.layer1",
        "0.act",
        "0.layer2",
        "1",
    ]
    assert seq.get_submodule("0.layer1") is seq[0].layer1
    with pytest.raises(AttributeError, match="no submodule `0.nope`"):
        seq.get_submodule("0.nope")


def test_buffers_are_registered_saved_and_not_trained():
    bn = BatchNormLike(3)
    assert [n for n, _ in bn.named_buffers()] == ["running_mean", "running_var", "scratch"]
    assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var"]
    assert list(bn.state_dict()) == list(torch.nn.BatchNorm1d(3).state_dict())[:4]
    seq = Sequential(Linear(3, 3), bn)
    assert [n for n, _ in seq.named_buffers()] == ["1.running_mean", "1.running_var", "1.scratch"]
    assert len(list(seq.buffers())) == 3


def test_train_and_eval_reach_every_submodule():
    seq = Sequential(Block(), ReLU())
    assert all(m.training for m in seq.modules())
    assert seq.eval() is seq
    assert not any(m.training for m in seq.modules())
    assert seq.train() is seq and all(m.training for m in seq.modules())
    seq.train(False)
    assert not seq[0].layer1.training
    with pytest.raises(ValueError, match="boolean"):
        seq.train("no")


def test_zero_grad_sets_none_or_zeros():
    lin = Linear(2, 2)
    lin(Tensor(np.ones((1, 2), np.float32))).sum().backward()
    assert lin.weight.grad is not None
    lin.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(lin.weight.grad.data, 0.0)
    lin.zero_grad()
    assert lin.weight.grad is None and lin.bias.grad is None


def test_requires_grad_apply_and_dtype_conversion():
    block = Block()
    assert block.requires_grad_(False) is block
    assert not any(p.requires_grad for p in block.parameters())
    block.requires_grad_()
    visited = []
    assert block.apply(lambda m: visited.append(type(m).__name__)) is block
    assert visited == ["Linear", "ReLU", "Linear", "Block"]  # children first, as torch
    weight = block.layer1.weight
    block.double()
    assert block.layer1.weight is weight and weight.dtype == np.float64
    assert block.float().layer1.weight.dtype == np.float32


def test_call_runs_forward_and_a_missing_forward_is_explained():
    lin = Linear(2, 1)
    x = Tensor(np.ones((3, 2), np.float32))
    np.testing.assert_allclose(lin(x).data, lin.forward(x).data)
    with pytest.raises(NotImplementedError, match=r"Module \[Module\] is missing the required"):
        Module()(x)


def test_deepcopy_gives_independent_parameters():
    seq = Sequential(Linear(2, 2), BatchNormLike(2))
    twin = copy.deepcopy(seq)
    assert twin[0].weight is not seq[0].weight
    np.testing.assert_array_equal(twin[0].weight.data, seq[0].weight.data)
    twin[0].weight.data += 1
    assert not np.allclose(twin[0].weight.data, seq[0].weight.data)
    assert isinstance(twin[0].weight, Parameter) and twin[0].weight.requires_grad


def test_micrograd_style_subclass_without_super_init_still_works():
    class Scale(Module):  # micrograd's style: no super().__init__(), its own parameters()
        def __init__(self):
            self.k = Value(2.0)

        def __call__(self, x):
            return self.k * x

        def parameters(self):
            return [self.k]

    s = Scale()
    s(3.0).backward()
    assert s.k.grad == 3.0
    s.zero_grad()
    assert s.k.grad == 0.0
    assert [n for n, _ in s.named_parameters()] == ["k"]
    assert s.training


# -- repr ----------------------------------------------------------------------------------------


def test_repr_matches_torch():
    ours = Sequential(Linear(2, 3), ReLU(), Linear(3, 1, bias=False))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1, bias=False)
    )
    assert repr(ours) == repr(theirs)
    assert repr(ours) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=3, out_features=1, bias=False)\n"
        ")"
    )


def test_nested_and_named_reprs_match_torch():
    ours = Sequential(
        OrderedDict([("features", Sequential(Linear(4, 4), ReLU())), ("act", ReLU())])
    )
    theirs = torch.nn.Sequential(
        OrderedDict(
            [
                ("features", torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU())),
                ("act", torch.nn.ReLU()),
            ]
        )
    )
    assert repr(ours) == repr(theirs)
    assert repr(Sequential()) == repr(torch.nn.Sequential()) == "Sequential()"


def test_extra_repr_on_several_lines_and_with_children_matches_torch():
    class Ours(Module):
        def __init__(self):
            super().__init__()
            self.inner = Linear(1, 2)

        def extra_repr(self):
            return "alpha=1\nbeta=2"

    class Theirs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = torch.nn.Linear(1, 2)

        def extra_repr(self):
            return "alpha=1\nbeta=2"

    Ours.__name__ = Theirs.__name__ = "Custom"
    assert repr(Ours()) == repr(Theirs())


def test_module_list_repr_folds_repeats_as_torch():
    ours = ModuleList([Linear(2, 2), Linear(2, 2), Linear(2, 2), ReLU(), Linear(2, 2)])
    theirs = torch.nn.ModuleList(
        [torch.nn.Linear(2, 2) for _ in range(3)] + [torch.nn.ReLU(), torch.nn.Linear(2, 2)]
    )
    assert repr(ours) == repr(theirs)
    assert "(0-2): 3 x Linear" in repr(ours)
    assert repr(ModuleList()) == repr(torch.nn.ModuleList()) == "ModuleList()"


# -- Sequential and ModuleList ---------------------------------------------------------------


def test_sequential_runs_in_order_and_indexes_like_torch():
    a, relu, b = Linear(2, 3), ReLU(), Linear(3, 1)
    seq = Sequential(a, relu, b)
    x = Tensor(np.random.randn(5, 2).astype(np.float32))
    np.testing.assert_allclose(seq(x).data, b(relu(a(x))).data, rtol=1e-6)
    assert len(seq) == 3 and list(seq) == [a, relu, b]
    assert seq[0] is a and seq[-1] is b
    with pytest.raises(IndexError, match="index 3 is out of range"):
        seq[3]
    tail = seq[1:]
    assert isinstance(tail, Sequential) and list(tail._modules) == ["1", "2"]
    assert list(tail._modules) == list(torch.nn.Sequential(*[torch.nn.ReLU()] * 3)[1:]._modules)
    assert tail[0] is relu
    assert [n for n, _ in tail.named_parameters()] == ["2.weight", "2.bias"]
    assert list(seq[::2]._modules) == ["0", "2"]


def test_sequential_from_ordered_dict_keeps_names():
    seq = Sequential(OrderedDict([("fc", Linear(2, 2)), ("act", ReLU())]))
    assert [n for n, _ in seq.named_parameters()] == ["fc.weight", "fc.bias"]
    assert seq.fc is seq[0]
    assert list(seq[1:]._modules) == ["act"]


def test_sequential_append_insert_extend_delete():
    seq = Sequential(Linear(1, 1))
    relu = ReLU()
    assert seq.append(relu) is seq
    assert list(seq._modules) == ["0", "1"] and seq[1] is relu
    first = Linear(1, 1)
    seq.insert(0, first)
    assert seq[0] is first and list(seq._modules) == ["0", "1", "2"]
    seq.extend([ReLU(), ReLU()])
    assert len(seq) == 5
    del seq[1]
    assert list(seq._modules) == ["0", "1", "2", "3"] and seq[1] is relu
    seq[1] = ReLU()
    assert seq[1] is not relu
    assert len(seq + Sequential(ReLU())) == 5
    with pytest.raises(TypeError, match="not a Module subclass"):
        Sequential(Linear(1, 1), 3)
    with pytest.raises(TypeError, match="not a Module subclass"):
        seq.append(lambda x: x)


def test_module_list_behaves_like_a_list_and_registers():
    layers = ModuleList([Linear(2, 2) for _ in range(3)])
    assert len(layers) == 3 and layers[-1] is layers[2]
    assert [n for n, _ in layers.named_parameters()][:2] == ["0.weight", "0.bias"]
    extra = Linear(2, 2)
    layers.append(extra)
    assert layers[3] is extra
    layers.extend([ReLU()])
    inserted = ReLU()
    layers.insert(1, inserted)
    assert layers[1] is inserted and list(layers._modules) == [str(i) for i in range(6)]
    sliced = layers[1:3]
    assert isinstance(sliced, ModuleList) and list(sliced._modules) == ["0", "1"]
    assert sliced[0] is inserted
    del layers[0]
    assert layers[0] is inserted and len(layers) == 5
    assert layers.pop() is not None and len(layers) == 4
    layers += [ReLU()]
    assert len(layers) == 5
    with pytest.raises(TypeError, match="iterable"):
        layers.extend(Linear(1, 1))

    class Net(Module):
        def __init__(self):
            super().__init__()
            self.blocks = ModuleList([Linear(2, 2), Linear(2, 2)])

    assert [n for n, _ in Net().named_parameters()] == [
        "blocks.0.weight",
        "blocks.0.bias",
        "blocks.1.weight",
        "blocks.1.bias",
    ]


# -- state dicts ---------------------------------------------------------------------------------


def test_state_dict_shares_arrays_and_round_trips():
    seq = Sequential(Linear(2, 3), ReLU(), BatchNormLike(3))
    state = seq.state_dict()
    assert isinstance(state, OrderedDict)
    assert list(state) == [
        "0.weight",
        "0.bias",
        "2.weight",
        "2.bias",
        "2.running_mean",
        "2.running_var",
    ]
    assert type(state["0.weight"]) is Tensor and not state["0.weight"].requires_grad
    assert state["0.weight"].data is seq[0].weight.data  # detached, same array, as torch
    assert seq.state_dict(keep_vars=True)["0.weight"] is seq[0].weight
    snapshot = {k: v.data.copy() for k, v in state.items()}

    other = Sequential(Linear(2, 3), ReLU(), BatchNormLike(3))
    weight = other[0].weight
    assert repr(other.load_state_dict(snapshot)) == "<All keys matched successfully>"
    assert other[0].weight is weight  # written in place: optimizers keep working
    for key, value in other.state_dict().items():
        np.testing.assert_array_equal(value.data, snapshot[key])


def test_keys_and_shapes_match_the_equivalent_torch_model_both_ways():
    ours = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    # torch -> ours, from torch tensors that still require grad (keep_vars) and plain ones
    ours.load_state_dict(theirs.state_dict(keep_vars=True))
    ours.load_state_dict(theirs.state_dict())
    x = np.random.randn(4, 2).astype(np.float32)
    expected = theirs(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(ours(Tensor(x)).data, expected, rtol=1e-5, atol=1e-6)
    # ours -> torch
    for p in ours.parameters():
        p.data += 1
    theirs.load_state_dict({k: torch.from_numpy(v.data) for k, v in ours.state_dict().items()})
    np.testing.assert_allclose(
        theirs(torch.from_numpy(x)).detach().numpy(), ours(Tensor(x)).data, rtol=1e-5, atol=1e-6
    )


def test_load_casts_to_the_parameter_dtype_and_accepts_array_likes():
    lin = Linear(2, 1)
    lin.load_state_dict({"weight": [[1.0, 2.0]], "bias": np.array([3.0], dtype=np.float64)})
    assert lin.weight.dtype == np.float32 and lin.bias.dtype == np.float32
    np.testing.assert_array_equal(lin.weight.data, [[1.0, 2.0]])
    np.testing.assert_array_equal(lin.bias.data, [3.0])


def strict_error(model, state):
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state)
    return str(info.value)


def torch_message(model, state):
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state)
    return str(info.value).replace("torch.Size([", "(").replace("])", ")").replace("[", "(")


def test_strict_load_reports_every_problem_in_one_error_as_torch():
    ours = Sequential(Linear(4, 3), ReLU(), Linear(3, 2))
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    state = {
        "0.weight": np.zeros((4, 3), np.float32),  # transposed
        "0.bias": np.zeros(5, np.float32),  # wrong length
        "2.weight": np.zeros((2, 3), np.float32),
        "extra": np.zeros(1, np.float32),
        "2.extra": np.zeros(1, np.float32),
    }
    before = ours[2].weight.data.copy()
    message = strict_error(ours, state)
    assert message == (
        "Error(s) in loading state_dict for Sequential:\n"
        '\tMissing key(s) in state_dict: "2.bias". \n'
        '\tUnexpected key(s) in state_dict: "extra", "2.extra". \n'
        "\tsize mismatch for 0.weight: copying a param with shape (4, 3) from checkpoint, "
        "the shape in current model is (3, 4).\n"
        "\tsize mismatch for 0.bias: copying a param with shape (5,) from checkpoint, "
        "the shape in current model is (3,)."
    )
    torch_state = {k: torch.from_numpy(v) for k, v in state.items()}
    assert message.replace("(5,)", "(5)").replace("(3,)", "(3)") == torch_message(
        theirs, torch_state
    )
    np.testing.assert_array_equal(ours[2].weight.data, before)  # a failed load changes nothing


def test_non_strict_load_returns_missing_and_unexpected_keys():
    ours = Sequential(Linear(2, 2), BatchNormLike(2))
    state = {k: v.data.copy() + 1 for k, v in ours.state_dict().items()}
    del state["1.running_var"]
    state["1.num_batches"] = np.zeros(())
    result = ours.load_state_dict(state, strict=False)
    assert result.missing_keys == ["1.running_var"]
    assert result.unexpected_keys == ["1.num_batches"]
    assert result == (["1.running_var"], ["1.num_batches"])
    assert repr(result) == (
        "_IncompatibleKeys(missing_keys=['1.running_var'], unexpected_keys=['1.num_batches'])"
    )
    np.testing.assert_array_equal(ours[1].running_mean.data, [1.0, 1.0])  # loaded the rest
    state["0.weight"] = np.zeros((3, 3))
    with pytest.raises(RuntimeError, match="size mismatch for 0.weight"):
        ours.load_state_dict(state, strict=False)  # shapes are always checked


def test_non_persistent_buffer_is_unexpected_in_a_checkpoint():
    bn = BatchNormLike(2)
    state = dict(bn.state_dict())
    state["scratch"] = np.zeros(2, np.float32)
    assert bn.load_state_dict(state, strict=False).unexpected_keys == ["scratch"]


def test_load_refuses_what_is_not_a_mapping_or_not_an_array():
    lin = Linear(1, 1)
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        lin.load_state_dict([("weight", np.zeros((1, 1)))])
    message = strict_error(lin, {"weight": "zeros", "bias": np.zeros(1)})
    assert 'While copying the parameter named "weight"' in message
    assert "received <class 'str'>" in message


def test_torch_accepts_a_one_element_vector_for_a_scalar_and_so_do_we():
    m = Module()
    m.scale = Parameter(np.array(1.0, dtype=np.float32))
    m.load_state_dict({"scale": np.array([4.0])})
    assert m.scale.data.shape == () and m.scale.data == 4.0


# -- the scalar (micrograd) classes as Modules ------------------------------------------------


def micrograd_order(model):
    """micrograd's own parameters(): each neuron's w then b, neurons, then layers, in order."""
    return [p for layer in model.layers for n in layer.neurons for p in n.w + [n.b]]


def test_scalar_mlp_parameters_keep_micrograd_order_and_get_dotted_names():
    random.seed(3)
    model = MLP(3, [4, 2])
    params = model.parameters()
    assert isinstance(params, list)
    assert len(params) == len(micrograd_order(model)) == 4 * 4 + 2 * 5
    assert all(a is b for a, b in zip(params, micrograd_order(model)))
    names = [name for name, _ in model.named_parameters()]
    assert names[:5] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.w.2",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
    ]
    assert names[-1] == "layers.1.neurons.1.b"
    assert all(p is q for (_, p), q in zip(model.named_parameters(), params))
    assert [name for name, _ in Neuron(2).named_parameters()] == ["w.0", "w.1", "b"]
    assert [n for n, _ in Layer(2, 2).named_children()] == ["neurons.0", "neurons.1"]
    assert [n for n, _ in model.named_modules()][:3] == ["", "layers.0", "layers.0.neurons.0"]
    assert len(list(model.modules())) == 1 + 2 + 6


def test_scalar_modules_keep_their_micrograd_lists_and_reprs():
    random.seed(4)
    model = MLP(2, [2, 1])
    assert isinstance(model.layers, list) and isinstance(model.layers[0].neurons, list)
    assert isinstance(model.layers[0].neurons[0].w, list)
    assert (
        repr(model)
        == "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]"
    )
    neuron = model.layers[0].neurons[0]
    neuron.b = Value(0.5)  # re-assigning a Value re-registers it
    assert dict(model.named_parameters())["layers.0.neurons.0.b"] is neuron.b
    assert model.layers[0].neurons[0]([1.0, 1.0]).data == pytest.approx(
        max(0.0, sum(w.data for w in neuron.w) + 0.5)
    )
    model.eval()
    assert not model.layers[1].neurons[0].training


def test_scalar_state_dict_round_trip():
    random.seed(5)
    model = MLP(2, [3, 1])
    state = model.state_dict()
    assert list(state) == [name for name, _ in model.named_parameters()]
    first = state["layers.0.neurons.0.w.0"]
    assert isinstance(first, Tensor) and first.shape == () and first.dtype == np.float64
    assert first.item() == model.layers[0].neurons[0].w[0].data
    # a snapshot: training afterwards does not change it
    model.layers[0].neurons[0].w[0].data += 1.0
    assert first.item() != model.layers[0].neurons[0].w[0].data

    random.seed(6)
    other = MLP(2, [3, 1])
    values = other.parameters()
    assert repr(other.load_state_dict(state)) == "<All keys matched successfully>"
    assert other.parameters() == values  # the same Value objects, written in place
    assert [p.data for p in other.parameters()] == [t.item() for t in state.values()]
    x = [0.3, -0.8]
    model.layers[0].neurons[0].w[0].data -= 1.0
    assert other(x).data == model(x).data
    # plain floats, and 1-element arrays, load too
    other.load_state_dict({k: 0.25 for k in state})
    assert all(p.data == 0.25 for p in other.parameters())


def test_scalar_state_dict_errors_name_the_values():
    random.seed(7)
    model = MLP(2, [1])
    state = {k: v.item() for k, v in model.state_dict().items()}
    state["layers.0.neurons.0.w.0"] = np.zeros(2)
    del state["layers.0.neurons.0.b"]
    state["layers.0.neurons.1.w.0"] = 1.0
    message = strict_error(model, state)
    assert message == (
        "Error(s) in loading state_dict for MLP:\n"
        '\tMissing key(s) in state_dict: "layers.0.neurons.0.b". \n'
        '\tUnexpected key(s) in state_dict: "layers.0.neurons.1.w.0". \n'
        "\tsize mismatch for layers.0.neurons.0.w.0: copying a param with shape (2,) from "
        "checkpoint, the shape in current model is ()."
    )


def test_scalar_zero_grad_and_mixed_modules():
    random.seed(8)
    model = MLP(2, [2, 1])
    model([1.0, -1.0]).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())

    class Mixed(Module):
        def __init__(self):
            super().__init__()
            self.scale = Value(2.0)
            self.lin = Linear(1, 1)

    mixed = Mixed()
    assert [n for n, _ in mixed.named_parameters()] == ["scale", "lin.weight", "lin.bias"]
    state = mixed.state_dict()
    assert state["scale"].item() == 2.0 and state["lin.weight"].dtype == np.float32
    mixed.load_state_dict({**state, "scale": Tensor(np.array(3.0))})
    assert mixed.scale.data == 3.0
