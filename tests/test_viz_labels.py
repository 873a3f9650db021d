"""What a drawing shows of user text and of modules: entities shown literally, non-ASCII labels
drawn without renderer warnings, and collapsed boxes for parameter-free modules."""

from __future__ import annotations

import numpy as np
import pytest
from drawing_oracle import svg_nodes

import nn
from autograd import Tensor
from viz import draw_graph
from viz.labels import escape_record, escape_string
from viz.renderer import run_renderer


class Node:
    """The public node protocol, plus the ``_mark`` slot that autograd's topological order uses."""

    _mark = None

    def __init__(self, data, grad=0.0, parents=(), op="", label=""):
        self.data, self.grad, self.parents, self.op, self.label = data, grad, parents, op, label


# -- HTML entities -------------------------------------------------------------------------------

ENTITY_LABELS = ["a &lt; b", "&amp;", "&#955;", "&#x3bb; x", "p & q", "&nbsp;", "&gt;&lt;&&"]


def test_ampersand_is_written_as_an_entity_in_dot_strings():
    assert escape_record("a &lt; b") == "a &amp;lt; b"
    assert escape_string("&amp;") == "&amp;amp;"


@pytest.mark.parametrize("label", ENTITY_LABELS)
def test_entities_in_labels_are_shown_literally(label):
    x = Node(1.0, 2.0, label=label)
    dot = draw_graph(x)
    assert f"{label.replace('&', '&amp;')} | data" in dot.source
    nodes = svg_nodes(dot.pipe(format="svg", encoding="utf-8"))
    assert nodes == {"n0": [[label], ["data 1.0000"], ["grad 2.0000"]]}


@pytest.mark.parametrize("op", ["&lt;", "&#42;"])
def test_entities_in_op_names_are_shown_literally(op):
    y = Node(1.0, 1.0, (Node(1.0, label="a"),), op, "y")
    nodes = svg_nodes(draw_graph(y).pipe(format="svg", encoding="utf-8"))
    assert nodes["n0_op"] == [[op]]


# -- non-ASCII labels ----------------------------------------------------------------------------

NON_ASCII_LABELS = ["θ", "∂L/∂w", "权重 (weight)", "naïve µ", "x²"]


def test_non_ascii_labels_render_without_warnings(capfd):
    a = Node(1.0, 0.5, label=NON_ASCII_LABELS[0])
    nodes = [a]
    for label in NON_ASCII_LABELS[1:]:
        nodes.append(Node(1.0, 0.5, (nodes[-1],), "tanh", label))
    svg = draw_graph(nodes[-1]).pipe(format="svg", encoding="utf-8")
    drawn = svg_nodes(svg)
    assert sorted(fields[0][0] for name, fields in drawn.items() if "op" not in name) == sorted(
        NON_ASCII_LABELS
    )
    captured = capfd.readouterr()
    assert captured.err == ""


def test_other_renderer_warnings_still_reach_stderr(capfd):
    run_renderer('digraph { a [label="θ" fontname="NoSuchFont"] }', "svg")
    err = capfd.readouterr().err
    assert "NoSuchFont" in err
    assert "non-ASCII" not in err


# -- collapsed boxes and parameter-free modules --------------------------------------------------


def _conv_model_graph(max_nodes=10):
    rng = np.random.default_rng(0)
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(2 * 4 * 4, 3),
        nn.Tanh(),
        nn.Linear(3, 1),
    )
    x = Tensor(rng.standard_normal((5, 1, 6, 6)).astype(np.float32))
    loss = model(x).mean()
    loss.backward()
    return draw_graph(loss, params=model, max_nodes=max_nodes)


def _module_boxes(source: str) -> dict[str, list[str]]:
    """Module box title ('0: Conv2d') -> its record fields, from the DOT source."""
    boxes = {}
    for line in source.splitlines():
        if "parameters |" not in line or "label=" not in line:
            continue
        label = line.split('label="', 1)[1].rsplit('" shape=', 1)[0]
        fields = [f.strip() for f in label.split(" | ")]
        boxes[fields[0]] = fields
    return boxes


def test_collapsed_boxes_report_each_modules_own_output_shape():
    boxes = _module_boxes(_conv_model_graph().source)
    assert list(boxes) == [
        "0: Conv2d",
        "1: ReLU",
        "2: Flatten",
        "3: Linear",
        "4: Tanh",
        "5: Linear",
    ]
    conv = boxes["0: Conv2d"]
    assert "out: float32[5, 2, 4, 4]" in conv  # NCHW, before ReLU and Flatten
    assert not any("relu" in f.lower() or "flatten" in f for f in conv)
    # the op is named "ReLU" in drawings of Value and Tensor graphs alike
    assert "in: float32[5, 2, 4, 4]" in boxes["1: ReLU"] and "ReLU" in boxes["1: ReLU"]
    assert "out: float32[5, 32]" in boxes["2: Flatten"] and "flatten" in boxes["2: Flatten"]
    assert "out: float32[5, 3]" in boxes["3: Linear"] and "linear" in boxes["3: Linear"]
    assert "tanh" in boxes["4: Tanh"] and "0 parameters" in boxes["4: Tanh"]
    assert "out: float32[5, 1]" in boxes["5: Linear"]


def test_a_parameter_free_module_made_of_several_operations_gets_what_follows_the_layer():
    rng = np.random.default_rng(1)
    model = nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 1))
    x = Tensor(rng.standard_normal((6, 4)).astype(np.float32))
    loss = model(x).mean()
    loss.backward()
    boxes = _module_boxes(draw_graph(loss, params=model, max_nodes=8).source)
    assert list(boxes) == ["0: Linear", "1: GELU", "2: Linear"]
    assert boxes["0: Linear"][-2] == "linear"  # only its own operation
    assert "erf" in boxes["1: GELU"][-1]
    assert "out: float32[6, 8]" in boxes["1: GELU"]
