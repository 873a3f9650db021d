"""viz.draw_network: units and weighted arrows for dense networks, blocks with shapes otherwise."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import nn
from viz.digraph import save
from viz.network import draw_network
from viz.palette import NEGATIVE, POSITIVE

SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def statements(dot, kind: str) -> list[str]:
    """The DOT lines declaring nodes ("node") or edges ("edge")."""
    lines = [line.strip() for line in dot.source.splitlines()]
    if kind == "edge":
        return [line for line in lines if "->" in line]
    return [line for line in lines if re.match(r"^\w+ \[", line) and "->" not in line]


def units(dot, layer: int | None = None) -> list[str]:
    which = r"\d+" if layer is None else str(layer)
    pattern = rf"^L{which}_\d+ \["
    return [line for line in statements(dot, "node") if re.match(pattern, line)]


def attr(line: str, name: str) -> str:
    match = re.search(rf'\b{name}=(?:"([^"]*)"|([^\s\]]+))', line)
    assert match, f"no {name} in {line}"
    return match.group(1) if match.group(1) is not None else match.group(2)


def edge(dot, tail: str, head: str) -> str:
    (line,) = [e for e in statements(dot, "edge") if e.startswith(f"{tail} -> {head} ")]
    return line


def svg_groups(svg: str, kind: str) -> list:
    return [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == kind]


def check_renders(dot, tmp_path, name: str) -> str:
    svg_path, png_path = save(dot, tmp_path / f"{name}.svg"), save(dot, tmp_path / f"{name}.png")
    assert png_path.read_bytes().startswith(PNG_MAGIC)
    assert png_path.stat().st_size > 1000
    return svg_path.read_text(encoding="utf-8")


# -- the scalar MLP ------------------------------------------------------------------------------


@pytest.fixture
def mlp():
    random.seed(0)
    return nn.MLP(2, [4, 4, 1])


def test_scalar_mlp_units_and_every_weight(mlp, tmp_path):
    dot = draw_network(mlp)
    assert [len(units(dot, layer)) for layer in range(4)] == [2, 4, 4, 1]
    edges = statements(dot, "edge")
    assert len(edges) == 2 * 4 + 4 * 4 + 4 * 1
    colours = {attr(e, "color")[:7] for e in edges}
    assert colours == {POSITIVE, NEGATIVE}  # uniform(-1, 1) weights: both signs
    assert len({attr(e, "penwidth") for e in edges}) > 5

    svg = check_renders(dot, tmp_path, "mlp")
    assert len(svg_groups(svg, "edge")) == 28
    assert len(svg_groups(svg, "node")) == 11 + 4  # units and one caption per layer


def test_scalar_mlp_weight_sign_and_size(mlp):
    neurons = mlp.layers[0].neurons
    for n in neurons:
        n.w[0].data, n.w[1].data = 0.1, 0.1
    neurons[2].w[1].data = -0.8  # the largest of layer 1: thickest arrow, orange
    dot = draw_network(mlp)
    strong, weak = edge(dot, "L0_1", "L1_2"), edge(dot, "L0_0", "L1_2")
    assert attr(strong, "color").startswith(NEGATIVE)
    assert attr(weak, "color").startswith(POSITIVE)
    widths = [
        float(attr(edge(dot, f"L0_{i}", f"L1_{j}"), "penwidth")) for i in (0, 1) for j in range(4)
    ]
    assert float(attr(strong, "penwidth")) == max(widths) > 4 * float(attr(weak, "penwidth"))
    assert attr(strong, "tooltip") == "w[3,2] = -0.8"  # unit 3 of layer 1, from input 2


def test_scalar_mlp_captions_name_the_activations(mlp):
    source = draw_network(mlp).source
    assert source.count("ReLU") == 2  # under both hidden layers
    assert "<b>Input</b>" in source and "<b>Output</b>" in source and "linear" in source
    tanh = draw_network(nn.MLP(3, [5, 2], activation="tanh")).source
    assert "Tanh" in tanh and "ReLU" not in tanh


def test_single_neuron_and_layer():
    dot = draw_network(nn.Neuron(3))
    assert len(units(dot)) == 4 and len(statements(dot, "edge")) == 3
    dot = draw_network(nn.Layer(3, 2))
    assert len(units(dot)) == 5 and len(statements(dot, "edge")) == 6


# -- Sequential of Linear ------------------------------------------------------------------------


def test_sequential_wide_layer_is_cut_with_a_count(tmp_path):
    model = nn.Sequential(nn.Linear(3, 20), nn.ReLU(), nn.Linear(20, 2))
    dot = draw_network(model, max_units=6)
    assert [len(units(dot, layer)) for layer in range(3)] == [3, 6, 2]
    (more,) = [line for line in statements(dot, "node") if line.startswith("L1_more")]
    assert attr(more, "label") == "+14"
    assert len(statements(dot, "edge")) == 3 * 6 + 6 * 2  # only among the units shown
    shown = {line.split()[0] for line in units(dot, 1)}
    assert shown == {"L1_0", "L1_1", "L1_2", "L1_17", "L1_18", "L1_19"}  # first and last
    assert "20 units" in dot.source and "ReLU" in dot.source
    svg = check_renders(dot, tmp_path, "sequential")
    assert "+14" in svg


def test_sequential_reads_linear_weights_out_by_in():
    model = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid())
    model[0].weight.data[...] = [[1.0, -4.0], [0.5, 0.5], [0.5, 0.5]]  # (out, in)
    dot = draw_network(model)
    assert attr(edge(dot, "L0_1", "L1_0"), "color").startswith(NEGATIVE)
    assert attr(edge(dot, "L0_0", "L1_0"), "color").startswith(POSITIVE)
    assert float(attr(edge(dot, "L0_1", "L1_0"), "penwidth")) > float(
        attr(edge(dot, "L0_0", "L1_0"), "penwidth")
    )
    assert "Sigmoid" in dot.source


def test_wide_input_layer_mnist_mlp():
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    dot = draw_network(model)  # max_units=10
    assert [len(units(dot, layer)) for layer in range(3)] == [10, 10, 10]
    assert "+774" in dot.source and "+22" in dot.source and "Flatten" in dot.source
    assert "label=x784" in dot.source


# -- blocks for convolutional networks ------------------------------------------------------------


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(120, 10),
    )


def block_labels(dot) -> list[str]:
    return [line for line in statements(dot, "node") if re.match(r"^b\d+ \[", line)]


def test_conv_model_blocks_with_shapes(tmp_path):
    model = lenet()
    dot = draw_network(model, input_shape=(1, 1, 28, 28))
    blocks = block_labels(dot)
    kinds = [re.search(r"<b>(\w+)</b>", b).group(1) for b in blocks]
    assert kinds == ["Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Flatten", "Linear", "Linear"]
    shapes = [re.findall(r"\((\d+(?:, \d+)*)\)</font>", b)[-1] for b in blocks]
    assert shapes == [
        "1, 6, 28, 28",
        "1, 6, 14, 14",
        "1, 16, 10, 10",
        "1, 16, 5, 5",
        "1, 400",
        "1, 120",
        "1, 10",
    ]
    assert "6 filters 5x5" in blocks[0] and "pad 2" in blocks[0] and "<i>ReLU</i>" in blocks[0]
    assert "2x2" in blocks[1] and "400 to 120" in blocks[5] and "Dropout(p=0.5)" in blocks[5]
    total = sum(p.data.size for p in model.parameters())
    assert f"{total:,} parameters" in dot.source
    assert "156 params" in blocks[0]
    assert len(statements(dot, "edge")) == len(blocks)  # a chain from the input box
    svg = check_renders(dot, tmp_path, "lenet")
    assert "(1, 16, 5, 5)" in svg


def test_conv_model_without_input_shape_has_no_shapes():
    dot = draw_network(lenet())
    assert len(block_labels(dot)) == 7
    assert "(1, 6, 28, 28)" not in dot.source


def test_shape_pass_leaves_the_model_as_it_was():
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 6 * 6, 3)
    )
    model.train()
    mean = model[1].running_mean.data.copy()
    dot = draw_network(model, input_shape=(1, 1, 8, 8))  # batch of 1: fine in eval mode
    assert all(m.training for m in model.modules())
    assert np.array_equal(model[1].running_mean.data, mean)
    assert all(p.grad is None for p in model.parameters())
    assert "BatchNorm2d" in dot.source and "(1, 3)" in dot.source


def test_custom_module_shows_input_and_output_shapes_only():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3)
            self.fc = nn.Linear(4 * 6 * 6, 5)

        def forward(self, x):
            return self.fc(self.conv(x).relu().reshape(x.shape[0], -1))

    dot = draw_network(Net(), input_shape=(2, 1, 8, 8))
    assert "(2, 5)" in dot.source and "<b>Output</b>" in dot.source
    assert "(2, 4, 6, 6)" not in dot.source  # the leaves alone do not reach the output


def test_custom_module_of_linear_layers_gets_blocks_in_order_with_shapes():
    class TwoLayers(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(4, 8)
            self.fc2 = nn.Linear(8, 3)

        def forward(self, x):
            return self.fc2(self.fc1(x).relu())  # a ReLU that no module shows

    dot = draw_network(TwoLayers(), input_shape=(5, 4))
    assert units(dot) == []
    blocks = block_labels(dot)
    assert ["4 to 8" in blocks[0], "8 to 3" in blocks[1]] == [True, True]
    assert "(5, 8)" in blocks[0] and "(5, 3)" in blocks[1]  # the leaves do reach the output


def test_bad_input_shape_names_the_layer():
    with pytest.raises(ValueError, match=r"Linear failed on an input of shape \(1, 576\)"):
        draw_network(lenet(), input_shape=(1, 1, 32, 32))


def test_labels_are_escaped(tmp_path):
    class Odd(nn.Module):
        def forward(self, x):
            return x

        def extra_repr(self):
            return '<b>"x"</b> {a|b} \\ & more'

    model = nn.Sequential(nn.Conv2d(1, 1, 3), Odd())
    dot = draw_network(model, input_shape=(1, 1, 5, 5))
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in dot.source and "&amp; more" in dot.source
    svg = check_renders(dot, tmp_path, "odd")
    assert '<b>"x"</b> {a|b}' in "".join(
        t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")
    )


def test_style_and_argument_errors():
    with pytest.raises(ValueError, match="max_units"):
        draw_network(nn.MLP(2, [3]), max_units=1)
    with pytest.raises(TypeError, match="nn.Module"):
        draw_network(lambda x: x)
    with pytest.raises(ValueError, match="style='blocks'"):
        draw_network(lenet(), style="units")
    dense = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert len(block_labels(draw_network(dense, style="blocks"))) == 2
