"""ModuleDict, ParameterList and ParameterDict against torch.nn's: registration, state dict keys
(loaded both ways), dict and list methods, reprs and errors."""

from collections import OrderedDict

import numpy as np
import pytest
import torch

import autograd
import nn
from nn import ModuleDict, ParameterDict, ParameterList
from nn.parameter import Parameter


def _torch_repr(module) -> str:
    """torch's repr with torch's dtype spellings written as ours (numpy's names)."""
    return repr(module).replace("torch.", "")


def _load_both_ways(ours, theirs):
    theirs.load_state_dict({k: torch.tensor(v.data) for k, v in ours.state_dict().items()})
    for k, v in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[k].data, v.numpy())
    for v in theirs.state_dict().values():
        v.add_(1.0)
    ours.load_state_dict(theirs.state_dict())
    for k, v in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[k].data, v.numpy())


# -- ModuleDict --------------------------------------------------------------------------------


def test_module_dict_registers_modules_as_torch():
    ours = ModuleDict({"proj": nn.Linear(3, 2), "act": nn.ReLU(), "out": nn.Linear(2, 1)})
    theirs = torch.nn.ModuleDict(
        {"proj": torch.nn.Linear(3, 2), "act": torch.nn.ReLU(), "out": torch.nn.Linear(2, 1)}
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert repr(ours) == repr(theirs)
    _load_both_ways(ours, theirs)


def test_module_dict_methods():
    linear, relu = nn.Linear(2, 2), nn.ReLU()
    d = ModuleDict([("a", linear), ("b", relu)])
    assert len(d) == 2 and list(d) == ["a", "b"] and "a" in d and "c" not in d
    assert list(d.keys()) == ["a", "b"] and list(d.values()) == [linear, relu]
    assert list(d.items()) == [("a", linear), ("b", relu)]
    assert d["a"] is linear
    d["c"] = nn.Tanh()
    assert list(d) == ["a", "b", "c"]
    assert d.pop("b") is relu and list(d) == ["a", "c"]
    del d["a"]
    assert list(d) == ["c"] and len(list(d.parameters())) == 0
    d.update(OrderedDict([("z", nn.ReLU()), ("y", nn.ReLU())]))
    d.update(ModuleDict({"x": nn.ReLU()}))
    assert list(d) == ["c", "z", "y", "x"]
    d.clear()
    assert len(d) == 0 and repr(d) == "ModuleDict()"
    with pytest.raises(KeyError):
        d["missing"]


def test_module_dict_misuse_as_torch():
    d, t = ModuleDict(), torch.nn.ModuleDict()
    for bad, error in [
        (3, TypeError),
        ([nn.ReLU()], TypeError),
        ([("a", nn.ReLU(), 1)], ValueError),
    ]:
        tbad = [("a", torch.nn.ReLU(), 1)] if error is ValueError else bad
        if isinstance(bad, list) and error is TypeError:
            tbad = [torch.nn.ReLU()]
        with pytest.raises(error) as ours:
            d.update(bad)
        with pytest.raises(error) as theirs:
            t.update(tbad)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(TypeError, match="is not a Module subclass"):
        d["a"] = 3
    with pytest.raises(KeyError, match="contain"):
        d["a.b"] = nn.ReLU()
    with pytest.raises(NotImplementedError):
        ModuleDict({"a": nn.ReLU()})(autograd.zeros(2))


# -- ParameterList -----------------------------------------------------------------------------


def _arrays(rng, shapes):
    return [rng.standard_normal(s) for s in shapes]


def test_parameter_list_registers_and_loads_both_ways():
    arrays = _arrays(np.random.default_rng(0), [(2, 3), (3,), (1,)])
    ours = ParameterList([autograd.tensor(a) for a in arrays])  # Tensors become Parameters
    theirs = torch.nn.ParameterList([torch.tensor(a) for a in arrays])
    assert all(isinstance(p, Parameter) for p in ours)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["0", "1", "2"]
    assert [n for n, _ in ours.named_parameters()] == ["0", "1", "2"]
    _load_both_ways(ours, theirs)
    model = nn.Module()
    model.weights = ours
    assert [n for n, _ in model.named_parameters()] == ["weights.0", "weights.1", "weights.2"]


def test_parameter_list_methods_as_torch():
    a, b, c = (Parameter(np.full(2, float(i))) for i in range(3))
    ours = ParameterList([a])
    assert ours.append(b) is ours
    ours += [c]
    assert len(ours) == 3 and list(ours) == [a, b, c]
    assert ours[-1] is c and ours[0] is a
    sliced = ours[1:]
    assert isinstance(sliced, ParameterList) and list(sliced) == [b, c]
    assert list(sliced.state_dict()) == ["0", "1"]
    ours[1] = autograd.zeros(4)
    assert isinstance(ours[1], Parameter) and ours[1].shape == (4,)
    ours.extend([Parameter(np.zeros(1))])
    assert len(ours) == 4
    ours.append("not a tensor")  # kept, not registered, as torch
    assert ours[4] == "not a tensor" and len(list(ours.parameters())) == 4
    assert "0" not in dir(ours)
    with pytest.raises(IndexError, match="index 5 is out of range"):
        ours[5]
    with pytest.raises(TypeError, match="should be called with an iterable, but got Tensor"):
        ours.extend(autograd.zeros(2))
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        ours(autograd.zeros(1))


def test_parameter_list_repr_as_torch():
    values = [np.zeros((3, 4), dtype=np.float32), np.zeros(2)]
    ours = ParameterList([autograd.tensor(v) for v in values] + ["x"])
    theirs = torch.nn.ParameterList([torch.tensor(v) for v in values] + ["x"])
    assert repr(ours) == _torch_repr(theirs)
    assert repr(ParameterList()) == repr(torch.nn.ParameterList())
    outer, touter = nn.Module(), torch.nn.Module()
    outer.pl, touter.pl = ours, theirs
    assert repr(outer) == _torch_repr(touter)


# -- ParameterDict -----------------------------------------------------------------------------


def test_parameter_dict_registers_and_loads_both_ways():
    arrays = _arrays(np.random.default_rng(1), [(2, 3), (3,), (4,)])
    entries = {"right": arrays[0], "left": arrays[1], "mid": arrays[2]}
    ours = ParameterDict({k: autograd.tensor(v) for k, v in entries.items()})
    theirs = torch.nn.ParameterDict({k: torch.tensor(v) for k, v in entries.items()})
    # a plain dict is added sorted by key, as torch does
    assert list(ours) == list(theirs) == ["left", "mid", "right"]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _load_both_ways(ours, theirs)
    assert repr(ours) == repr(theirs).replace("torch.", "")


def test_parameter_dict_methods_as_torch():
    p, q, r = (Parameter(np.full(2, float(i))) for i in range(3))
    ours = ParameterDict(OrderedDict([("b", p), ("a", q)]))
    assert list(ours.keys()) == ["b", "a"]  # an OrderedDict keeps its order
    assert list(ours.values()) == [p, q] and list(ours.items()) == [("b", p), ("a", q)]
    assert ours["b"] is p and "a" in ours and "z" not in ours and len(ours) == 2
    assert list(reversed(ours)) == ["a", "b"]
    assert ours.get("z") is None and ours.get("a") is q
    assert ours.setdefault("c", r) is r and ours.setdefault("c", p) is r
    assert ours.popitem() == ("c", r) and list(ours) == ["b", "a"]
    assert ours.pop("b") is p and list(ours.state_dict()) == ["a"]
    copy = ours.copy()
    assert copy["a"] is q and copy is not ours
    merged = ours | ParameterDict(OrderedDict([("x", p)]))
    assert list(merged) == ["a", "x"] and list(ours) == ["a"]
    ours |= merged
    assert list(ours) == ["a", "x"]
    assert list(ours.fromkeys(["u", "v"], autograd.zeros(1))) == ["u", "v"]
    ours["t"] = autograd.ones(3)  # a Tensor becomes a Parameter
    assert isinstance(ours["t"], Parameter)
    ours["note"] = "hello"  # kept, not registered
    assert ours["note"] == "hello" and "note" not in ours.state_dict()
    del ours["a"]
    assert "a" not in ours and "a" not in dict(ours.named_parameters())
    ours.update([("k", p)])
    assert list(ours)[-1] == "k"
    ours.clear()
    assert len(ours) == 0 and len(list(ours.parameters())) == 0


def test_parameter_dict_misuse_as_torch():
    ours, theirs = ParameterDict(), torch.nn.ParameterDict()
    for bad, tbad, error in [
        (3, 3, TypeError),
        ([("a",)], [("a",)], ValueError),
        ([3], [3], TypeError),
    ]:
        with pytest.raises(error) as a:
            ours.update(bad)
        with pytest.raises(error) as b:
            theirs.update(tbad)
        assert str(a.value) == str(b.value)
    with pytest.raises(TypeError) as a:
        ours[1] = autograd.zeros(1)
    with pytest.raises(TypeError) as b:
        theirs[1] = torch.zeros(1)
    assert str(a.value) == str(b.value)
    with pytest.raises(AttributeError) as a:  # torch's __getitem__ is getattr
        ours["missing"]
    with pytest.raises(AttributeError) as b:
        theirs["missing"]
    assert str(a.value) == str(b.value)
    with pytest.raises(RuntimeError, match="ParameterDict should not be called."):
        ours()
