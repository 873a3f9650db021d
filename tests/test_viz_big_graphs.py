"""viz.draw_graph on real models: tensor nodes, parameter names, collapsing, colour by gradient."""

from __future__ import annotations

import random
import re
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from drawing_oracle import PNG_MAGIC, SVG, edge_lines, node_lines, svg_nodes

import nn
from autograd import Tensor, Value
from viz import draw_graph
from viz.grad_scale import NO_GRAD, NOT_FINITE, ZERO, GradScale

# -- models built from the public API ------------------------------------------------------------


class Linear(nn.Module):
    """``x @ weight.T + bias`` from Tensor operations (independent of nn's own layers)."""

    def __init__(self, n_in: int, n_out: int, rng) -> None:
        super().__init__()
        scale = np.float32(1 / np.sqrt(n_in))
        self.weight = nn.Parameter(rng.standard_normal((n_out, n_in)).astype(np.float32) * scale)
        self.bias = nn.Parameter(np.zeros(n_out, dtype=np.float32))

    def forward(self, x):
        return x @ self.weight.T + self.bias


class TwoLayers(nn.Module):
    def __init__(self, rng) -> None:
        super().__init__()
        self.fc1 = Linear(2, 3, rng)
        self.fc2 = Linear(3, 1, rng)


class Deep(nn.Module):
    """``width``-wide ReLU layers in a ModuleList (the wrapper holds all of them)."""

    def __init__(self, depth: int, width: int, rng) -> None:
        super().__init__()
        sizes = [2] + [width] * depth + [1]
        self.layers = nn.ModuleList([Linear(a, b, rng) for a, b in zip(sizes, sizes[1:])])

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = x.relu()
        return x


X4 = np.array([[0.5, -1.25], [2.0, 1 / 3], [-0.125, 4.0], [1.0, -2.0]], dtype=np.float32)


@pytest.fixture
def small():
    """A 2-3-1 tensor MLP's squared-error loss after backward; the hidden layer retains grad."""
    rng = np.random.default_rng(0)
    model = TwoLayers(rng)
    x = Tensor(X4, label="x")
    y = Tensor(np.ones((4, 1), dtype=np.float32), label="y")
    h = model.fc1(x)
    h.label = "h"
    h.retain_grad()
    out = model.fc2(h.relu())
    loss = ((out - y) ** 2).mean()
    loss.label = "loss"
    loss.backward()
    return model, loss, h


def fields_by_name(source: str) -> dict[str, str]:
    """First field of each record -> its whole label, from the DOT source."""
    labels = {}
    for line in node_lines(source):
        label = re.search(r'label="(.*)"', line)
        if label and "shape=record" in line:
            text = label.group(1).strip("{} ")
            labels[text.split(" | ")[0]] = text
    return labels


# -- tensor graphs, one box per node -------------------------------------------------------------


def test_tensor_nodes_show_type_and_operations_show_their_names(small):
    model, loss, h = small
    source = draw_graph(loss, params=model).source
    ops = re.findall(r'n\d+_op \[label="?([^" ]+)', source)  # symbols ("+") come quoted
    assert {"matmul", "transpose", "+", "ReLU", "-", "**", "sum"} <= set(ops)
    records = fields_by_name(source)
    assert records["x"].startswith("x | float32[4, 2] | data ")
    assert records["fc1.weight"].startswith("fc1.weight | float32[3, 2] | data ")
    assert records["fc2.bias"].startswith("fc2.bias | float32[1] | data [0] | grad [")
    assert records["loss"].startswith("loss | float32[] | data ")


def test_parameters_are_named_from_a_dict_or_from_the_model(small):
    model, loss, _ = small
    from_model = draw_graph(loss, params=model).source
    from_dict = draw_graph(loss, params=dict(model.named_parameters())).source
    from_pairs = draw_graph(loss, params=list(model.named_parameters())).source
    assert from_model == from_dict == from_pairs
    names = set(fields_by_name(from_model))
    assert {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "x", "y", "h"} <= names
    assert "fc1.weight" not in draw_graph(loss).source


def test_small_tensors_show_values_big_ones_a_summary(small):
    model, loss, h = small
    records = fields_by_name(draw_graph(loss, params=model).source)
    # x has 8 elements: its values, 4 significant digits
    assert "data [[0.5, -1.25], [2, 0.3333], [-0.125, 4], [1, -2]]" in records["x"]
    assert "data [0, 0, 0]" in records["fc1.bias"]
    # h has 12: mean, min, max
    d = h.data.astype(np.float64)
    assert f"data mean {d.mean():.4g} min {d.min():.4g} max {d.max():.4g}" in records["h"]


def test_gradients_show_where_known(small):
    model, loss, h = small
    source = draw_graph(loss, params=model).source
    records = fields_by_name(source)
    g = h.grad.data.astype(np.float64)
    assert records["h"].endswith(f"grad mean {g.mean():.4g} min {g.min():.4g} max {g.max():.4g}")
    w = model.fc1.weight.grad.data  # 6 elements: the values
    assert f"| grad [[{w[0, 0]:.4g}, {w[0, 1]:.4g}], [" in records["fc1.weight"]
    assert records["loss"].endswith("| grad -")  # an intermediate without retain_grad()
    assert "grad" not in records["x"]  # does not require grad: no grad field at all
    hidden = [line for line in node_lines(source) if "float32[4, 3]" in line and "h |" not in line]
    assert hidden and all("grad -" in line for line in hidden)


def test_show_data_and_show_grad_can_be_turned_off(small):
    model, loss, _ = small
    records = fields_by_name(draw_graph(loss, params=model, show_data=False).source)
    assert records["fc1.weight"].startswith("fc1.weight | float32[3, 2] | grad [[")
    records = fields_by_name(draw_graph(loss, params=model, show_grad=False).source)
    assert "grad" not in records["fc1.weight"] and "data" in records["fc1.weight"]
    value = (Value(2.0, label="a") * 3).tanh()
    assert "{ a | grad 0.0000 }" in draw_graph(value, show_data=False).source


def test_tensor_graph_renders_to_svg_and_png(small):
    model, loss, _ = small
    picture = draw_graph(loss, params=model)
    nodes = svg_nodes(picture.pipe(format="svg", encoding="utf-8"))
    first_fields = {fields[0][0] for fields in nodes.values()}
    assert {"fc1.weight", "fc2.bias", "x", "h", "loss", "matmul", "ReLU"} <= first_fields
    assert len(nodes) == len(node_lines(picture.source))
    assert picture.pipe(format="png").startswith(PNG_MAGIC)


def test_parameter_names_with_special_characters_are_shown_literally():
    w = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    v = Value(1.5)
    for node, name in ((w, 'w{1}|<x> "q" \\'), (v, "<b>{v}</b>|")):
        out = node * 2 if isinstance(node, Value) else (node * 2).sum()
        picture = draw_graph(out, params={name: node})
        nodes = svg_nodes(picture.pipe(format="svg", encoding="utf-8"))
        assert [name] in next(f for f in nodes.values() if f[0] == [name])


# -- collapsing: micrograd's demo loss -----------------------------------------------------------


def demo_loss():
    """micrograd's demo.ipynb loss: MLP(2, [16, 16, 1]) on 100 moons, SVM max-margin + L2."""
    from nn.datasets import make_moons

    X, y = make_moons(100, noise=0.1, seed=1)
    y = y * 2 - 1
    random.seed(1337)
    model = nn.MLP(2, [16, 16, 1])
    inputs = [[Value(float(a)), Value(float(b))] for a, b in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -float(yi) * s).relu() for yi, s in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    loss = data_loss + reg_loss
    loss.backward()
    return model, loss


@pytest.fixture(scope="module")
def demo():
    return demo_loss()


def boxes(source: str) -> list[str]:
    return [line for line in node_lines(source) if not line.lstrip().startswith("legend")]


def box_names(source: str) -> dict[str, str]:
    """The first field (or the text) of each box -> its DOT name."""
    names = {}
    for line in boxes(source):
        name, label = re.match(r'\s*(\w+) \[label="([^"]*)"', line).groups()
        names[label.strip("{} ").split(" | ")[0].split("\\n")[0]] = name
    return names


def test_demo_loss_collapses_into_module_boxes_that_tell_the_story(demo):
    model, loss = demo
    picture = draw_graph(loss, params=model)
    source = picture.source
    assert 200 < 8000 < _count_nodes(loss)  # far more than max_nodes one by one
    assert len(boxes(source)) <= 30
    assert re.search(r'label="collapsed [\d,]+ nodes into \d+ boxes', source)
    names = box_names(source)
    for layer in ("layers.0: Layer", "layers.1: Layer", "layers.2: Layer"):
        assert layer in names
    assert "inputs x200" in names and "ReLU x100" in names
    assert "48 parameters" in source and "272 parameters" in source  # 16 * (2 + 1), 16 * 17
    assert "in: 200 values | out: 1,600 values | linear x1,600, ReLU x1,600" in source
    # inputs -> layers.0 -> layers.1 -> layers.2 -> the hinge loss
    edges = {tuple(e.split(" -> ")) for e in (line.strip() for line in edge_lines(source))}
    chain = ["inputs x200", "layers.0: Layer", "layers.1: Layer", "layers.2: Layer"]
    for a, b in zip(chain, chain[1:]):
        assert (names[a], names[b]) in edges
    assert (names["layers.2: Layer"], names["-1 * x50"]) in edges
    # the L2 penalty reads the parameters of every layer, outside the layers' boxes
    for layer in chain[1:]:
        assert (names[layer], names["* x337"]) in edges
    assert draw_graph(loss, params=model).source == source  # deterministic


def test_demo_loss_renders_to_svg_with_the_collapsed_boxes(demo):
    model, loss = demo
    picture = draw_graph(loss, params=model)
    svg = picture.pipe(format="svg", encoding="utf-8")
    nodes = svg_nodes(svg)
    assert len(nodes) == len(boxes(picture.source))
    layer = next(fields for fields in nodes.values() if fields[0] == ["layers.1: Layer"])
    assert layer[1:3] == [["272 parameters"], ["in: 1,600 values"]]
    assert "collapsed" in svg
    assert picture.pipe(format="png").startswith(PNG_MAGIC)


def test_without_a_model_operations_are_grouped_by_name_and_depth(demo):
    _, loss = demo
    source = draw_graph(loss).source
    labels = [re.search(r'label="([^"|\\]*)', line).group(1).strip("{ ") for line in boxes(source)]
    assert len(labels) <= 30
    assert "leaves x537" in labels  # inputs and parameters: nothing tells them apart
    # the two hidden layers' ReLUs and the hinge's ReLU are three boxes, not one
    assert [n for n in labels if n.startswith("ReLU")] == [
        "ReLU x1,600",
        "ReLU x1,600",
        "ReLU x100",
    ]
    assert labels.count("linear x1,600") == 2 and labels.count("linear x100") == 1
    assert "by name and distance from the inputs" in source
    # with names but no module tree, the parameters are one box and the inputs another
    named = box_names(draw_graph(loss, params=dict(demo[0].named_parameters())).source)
    assert "parameters x337" in named and "inputs x200" in named


def test_module_depth_chooses_the_level_of_the_module_boxes(demo):
    model, loss = demo
    source = draw_graph(loss, params=model, module_depth=2).source
    names = box_names(source)
    assert "layers.0.neurons.15: Neuron" in names and "layers.2.neurons.0: Neuron" in names
    assert "layers.0: Layer" not in names
    assert "(MLP)" in box_names(draw_graph(loss, params=model, module_depth=0).source)
    with pytest.raises(ValueError, match="module_depth=-1"):
        draw_graph(loss, params=model, module_depth=-1)


def test_collapsed_drawing_never_exceeds_max_nodes(demo):
    model, loss = demo
    for max_nodes in (3, 10, 40):
        for params in (model, None):
            source = draw_graph(loss, params=params, max_nodes=max_nodes).source
            assert len(boxes(source)) <= max_nodes
    assert "other operations" in draw_graph(loss, max_nodes=5).source


def test_max_nodes_none_draws_one_box_per_node():
    x = Value(1.0)
    y = x
    for _ in range(150):
        y = (y * 0.5).relu()
    assert len(node_lines(draw_graph(y, max_nodes=None).source)) == 301 + 300
    assert len(node_lines(draw_graph(y, max_nodes=601).source)) == 601
    collapsed = draw_graph(y, max_nodes=600).source  # one box per distance from the input
    assert len(node_lines(collapsed)) == 301 and "collapsed 301 nodes into 301 boxes" in collapsed
    by_name = node_lines(draw_graph(y, max_nodes=300).source)  # x, * 0.5, ReLU and the root
    assert [re.search(r"label=\"?([^|\"]*)", line).group(1).strip() for line in by_name] == [
        "data 1.0000",
        "* 0.5 x150",
        "ReLU x149",
        "ReLU",
    ]


def test_a_long_chain_collapses_without_recursion():
    n = 30_000
    assert n > sys.getrecursionlimit()
    y = x = Value(0.5, label="x")
    for _ in range(n):
        y = (y * 0.999).relu()
    source = draw_graph(y).source
    names = box_names(source)
    # by distance from the inputs that would be 60,000 boxes: grouped by name alone instead
    assert {"x", "* 0.999 x30,000", "ReLU x29,999", "ReLU"} == set(names)
    assert "grouped by name" in source
    assert x.grad == 0.0  # drawing changes nothing


def _count_nodes(root) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        for p in stack.pop().parents:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return len(seen)


def test_collapsed_boxes_and_title_show_special_characters_literally():
    rng = np.random.default_rng(2)
    name = 'a{b}|"c"<d> \\'
    model = nn.Module()
    model.add_module(name, Linear(2, 2, rng))
    model.add_module("e", Linear(2, 1, rng))
    x = Tensor(X4, label="x|<y>")
    loss = (model.e(getattr(model, name)(x).relu()) ** 2).sum()
    loss.backward()
    picture = draw_graph(loss, params=model, max_nodes=8)
    nodes = svg_nodes(picture.pipe(format="svg", encoding="utf-8"))
    first = {fields[0][0] for fields in nodes.values()}
    assert {f"{name}: Linear", "e: Linear", "x|<y>"} <= first
    svg = picture.pipe(format="svg", encoding="utf-8")
    title = ET.fromstring(svg).find(f"{SVG}g").findall(f"{SVG}text")
    assert f"one box per module ({name}, e)" in [t.text for t in title]


# -- collapsing a tensor model -------------------------------------------------------------------


def test_tensor_model_collapses_into_layer_boxes_with_shapes_and_parameter_counts():
    rng = np.random.default_rng(1)
    model = Deep(depth=12, width=8, rng=rng)
    x = Tensor(rng.standard_normal((5, 2)).astype(np.float32), label="x")
    data_loss = (model(x) ** 2).mean()
    penalty = (model.layers[0].weight ** 2).sum() * 1e-3
    loss = data_loss + penalty
    loss.backward()
    source = draw_graph(loss, params=model, max_nodes=60).source
    names = box_names(source)
    # the ModuleList alone tells nothing: one box per Linear, 13 of them
    assert [n for n in names if n.startswith("layers.")] == [
        f"layers.{i}: Linear" for i in range(13)
    ]
    line = next(line for line in boxes(source) if "layers.3: Linear" in line)
    assert "| 72 parameters | in: float32[5, 8] | out: float32[5, 8] |" in line  # 8 * 8 + 8
    assert "transpose, matmul, +, ReLU" in line
    last = next(line for line in boxes(source) if "layers.12: Linear" in line)
    assert "transpose, matmul, + |" in last and "out: float32[5, 1]" in last
    # what comes after the last layer is the loss; the penalty on layers.0's weight too
    first = next(line for line in boxes(source) if "layers.0: Linear" in line)
    assert "**" not in first and "sum" not in first
    assert "**" in names and "**\\nfloat32[5, 1]" in source


# -- colour by gradient --------------------------------------------------------------------------


def fills(source: str) -> list[str]:
    return re.findall(r'fillcolor="(#[0-9a-f]{6})"', source)


def test_color_grad_fills_boxes_by_gradient_size_with_a_legend(demo):
    model, loss = demo
    source = draw_graph(loss, params=model, color="grad").source
    assert len(set(fills(source))) >= 4
    legend = next(line for line in node_lines(source) if line.lstrip().startswith("legend"))
    assert "log scale" in legend and legend.count("<tr>") >= 4
    assert "fillcolor" not in draw_graph(loss, params=model).source
    svg = draw_graph(loss, params=model, color="grad").pipe(format="svg", encoding="utf-8")
    assert "log scale" in svg


def test_color_grad_in_a_tensor_graph_greys_what_has_no_gradient(small):
    model, loss, _ = small
    source = draw_graph(loss, params=model, color="grad").source
    lines = {line.split(" [")[0].strip(): line for line in node_lines(source)}
    x_line = next(line for line in lines.values() if 'label="x |' in line)
    assert f'fillcolor="{NO_GRAD}"' in x_line
    w_line = next(line for line in lines.values() if 'label="fc1.weight |' in line)
    assert f'fillcolor="{NO_GRAD}"' not in w_line and "fillcolor" in w_line
    assert "no grad" in lines["legend"]


def test_grad_scale_gives_one_colour_per_decade():
    scale = GradScale([1e-6, 3e-5, 2e-3, 0.5, 0.0, None, float("nan")])
    assert (scale.low, scale.high) == (-6, -1)
    colours = [scale.colour(s) for s in (1e-6, 5e-6, 3e-5, 2e-4, 2e-3, 0.05, 0.5)]
    assert colours[0] == colours[1]  # same decade
    assert len(set(colours[1:])) == 6  # six decades, six colours, pale to dark
    assert (scale.colour(0.0), scale.colour(None), scale.colour(float("inf"))) == (
        ZERO,
        NO_GRAD,
        NOT_FINITE,
    )
    legend = scale.legend()
    assert legend.count("<tr>") == 1 + 6 + 3
    assert legend.index("1e-01 to 1e+00") < legend.index("1e-06 to 1e-05")
    wide = GradScale([10.0**k for k in range(-30, 1)])  # more decades than colours
    assert (
        wide.per_colour == 4 and len(set(map(wide.colour, [10.0**k for k in range(-30, 1)]))) == 8
    )


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="color='red'"):
        draw_graph(Value(1.0), color="red")
    with pytest.raises(ValueError, match="max_nodes=0"):
        draw_graph(Value(1.0), max_nodes=0)
