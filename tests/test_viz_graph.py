"""viz.draw_graph: DOT source, escaping, SVG/PNG, the no-renderer fallback, deep graphs."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest
from drawing_oracle import PNG_MAGIC, edge_lines, node_lines, svg_nodes

import viz
from viz import RendererNotFoundError, RenderError, draw_graph, find_renderer, save


class Node:
    """The node protocol and nothing else, so these tests do not depend on the engine.

    That is what a drawing reads (``data``, ``grad``, ``parents``, ``op``, ``label``) and the
    ``_mark`` slot in which ``autograd.graph.topological_order``, the walk drawings share with
    backpropagation, marks the nodes it has visited.
    """

    _mark = None

    def __init__(self, data, grad=0.0, parents=(), op="", label=""):
        self.data, self.grad, self.parents, self.op, self.label = data, grad, parents, op, label


def small_graph():
    """d = a * b + a, with gradients filled in by hand (dd/da = b + 1, dd/db = a)."""
    a = Node(2.0, 4.0, label="a")
    b = Node(3.0, 2.0, label="b")
    c = Node(6.0, 1.0, (a, b), "*", "c")
    return Node(8.0, 1.0, (c, a), "+", "d")


# -- DOT source ----------------------------------------------------------------------------------


def test_source_has_one_record_per_value_and_one_oval_per_op():
    source = draw_graph(small_graph()).source
    records = [line for line in node_lines(source) if "shape=record" in line]
    ovals = [line for line in node_lines(source) if "shape=ellipse" in line]
    assert len(records) == 4
    assert len(ovals) == 2
    # op -> result for each op, argument -> op for each argument
    assert len(edge_lines(source)) == 2 + 4
    assert "rankdir=LR" in source
    for text in (
        "{ a | data 2.0000 | grad 4.0000 }",
        "{ b | data 3.0000 | grad 2.0000 }",
        "{ c | data 6.0000 | grad 1.0000 }",
        "{ d | data 8.0000 | grad 1.0000 }",
    ):
        assert f'label="{text}"' in source
    assert 'label="*"' in source and 'label="+"' in source


def test_edges_follow_argument_order_and_reuse():
    a = Node(3.0, label="a")
    square = Node(9.0, 1.0, (a, a), "*", "sq")
    source = draw_graph(square).source
    assert edge_lines(source) == ["\tn0_op -> n0", "\tn1 -> n0_op", "\tn1 -> n0_op"]
    assert len(node_lines(source)) == 3  # a is drawn once although used twice


def test_unlabelled_value_has_two_fields_and_values_have_four_decimals():
    x = Node(1 / 3, -0.123456)
    assert 'label="{ data 0.3333 | grad -0.1235 }"' in draw_graph(x).source


def test_same_graph_gives_same_source_names_come_from_a_counter():
    first, second = draw_graph(small_graph()).source, draw_graph(small_graph()).source
    assert first == second
    assert re.findall(r"\bn\d+\b", first)
    assert not re.search(r"\d{7,}", first)  # no id()-like numbers


def test_rankdir_is_passed_through():
    assert "rankdir=TB" in draw_graph(small_graph(), rankdir="TB").source


def test_array_data_shows_dtype_and_shape_and_missing_grad_shows_dash():
    w = Node(np.zeros((3, 4), dtype=np.float32), None, label="w")
    s = Node(np.float64(2.5), np.ones(()), (w,), "sum", "s")
    source = draw_graph(s).source
    # an array node is a card of stacked fields (no braces with rankdir=LR), a summary of the
    # 12 values, and "-" for the gradient it does not have yet
    assert 'label="w | float32[3, 4] | data mean 0 min 0 max 0 | grad -"' in source
    assert r"{ s | data 2.5000 | grad 1.0000 }" in source
    source = draw_graph(s, rankdir="TB").source
    assert 'label="{ w | float32[3, 4] | data mean 0 min 0 max 0 | grad - }"' in source


# -- escaping ------------------------------------------------------------------------------------

NASTY_LABELS = [
    "{a}",
    "x|y",
    "<port>",
    "<b>bold</b>",
    'say "hi"',
    "back\\slash",
    "ends with \\",
    "\\n is not a newline",
    '{ } | < > " \\ all',
    "node",  # a DOT keyword
]


@pytest.mark.parametrize("label", NASTY_LABELS)
def test_special_characters_in_labels_are_shown_literally(label):
    x = Node(1.0, 2.0, label=label)
    nodes = svg_nodes(draw_graph(x).pipe(format="svg", encoding="utf-8"))
    assert nodes == {"n0": [[label], ["data 1.0000"], ["grad 2.0000"]]}


def test_newline_in_label_becomes_a_line_break_inside_one_field():
    x = Node(1.0, 2.0, label="two\nlines\r\nthree")
    nodes = svg_nodes(draw_graph(x).pipe(format="svg", encoding="utf-8"))
    assert nodes == {"n0": [["two", "lines", "three"], ["data 1.0000"], ["grad 2.0000"]]}


@pytest.mark.parametrize("op", ["**2", "<", ">", "<=", '"', "\\", "{|}", "<b>x</b>", "graph"])
def test_op_names_are_shown_literally(op):
    a = Node(1.0, label="a")
    y = Node(1.0, 1.0, (a,), op, "y")
    nodes = svg_nodes(draw_graph(y).pipe(format="svg", encoding="utf-8"))
    assert nodes["n0_op"] == [[op]]
    assert nodes["n0"] == [["y"], ["data 1.0000"], ["grad 1.0000"]]


# -- rendering -----------------------------------------------------------------------------------


def test_svg_render():
    svg = draw_graph(small_graph()).pipe(format="svg", encoding="utf-8")
    assert "<svg" in svg
    assert len(svg_nodes(svg)) == 6


def test_png_render():
    assert draw_graph(small_graph()).pipe(format="png").startswith(PNG_MAGIC)


def test_jupyter_shows_svg():
    bundle = draw_graph(small_graph())._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"]
    assert "<svg" in bundle["image/svg+xml"]
    png = draw_graph(small_graph())._repr_mimebundle_(include=["image/png"])
    assert png["image/png"].startswith(PNG_MAGIC)


def test_render_writes_source_and_picture(tmp_path):
    picture = draw_graph(small_graph())
    out = picture.render(tmp_path / "graph", format="png")
    assert out == str(tmp_path / "graph.png")
    assert (tmp_path / "graph").read_text() == picture.source
    assert (tmp_path / "graph.png").read_bytes().startswith(PNG_MAGIC)

    out = picture.render(outfile=tmp_path / "other.svg", cleanup=True)
    assert out == str(tmp_path / "other.svg")
    assert "<svg" in (tmp_path / "other.svg").read_text()
    assert not (tmp_path / "other.gv").exists()


def test_view_renders_and_opens_the_picture(tmp_path, monkeypatch):
    opened = []
    picture = draw_graph(small_graph(), rankdir="TB")
    monkeypatch.setattr(picture, "_view", lambda path, format, quiet: opened.append((path, format)))
    out = picture.view(tmp_path / "g")
    assert opened == [(tmp_path / "g.svg", "svg")]
    assert out == str(tmp_path / "g.svg") and "<svg" in (tmp_path / "g.svg").read_text()


def test_save_picks_the_format_from_the_suffix(tmp_path):
    picture = draw_graph(small_graph())
    assert "<svg" in save(picture, tmp_path / "g.svg").read_text()
    assert save(picture, tmp_path / "g.png").read_bytes().startswith(PNG_MAGIC)
    assert save(picture, tmp_path / "g.dot").read_text() == picture.source
    assert save(picture, tmp_path / "g.gv").read_text() == picture.source
    with pytest.raises(ValueError, match="suffix"):
        save(picture, tmp_path / "g")


def test_renderer_failure_is_reported_with_its_stderr():
    with pytest.raises(RenderError, match="-Tnot-a-format"):
        draw_graph(small_graph()).pipe(format="not-a-format")


def test_graphviz_dot_env_var_chooses_the_renderer(monkeypatch):
    program = find_renderer()
    monkeypatch.setenv("GRAPHVIZ_DOT", program)
    assert find_renderer() == program
    monkeypatch.setenv("GRAPHVIZ_DOT", "/no/such/dot")
    with pytest.raises(RendererNotFoundError, match="GRAPHVIZ_DOT='/no/such/dot'"):
        draw_graph(small_graph()).pipe()


# -- without any renderer ------------------------------------------------------------------------


@pytest.fixture
def no_renderer(monkeypatch, tmp_path):
    """An environment where neither graphviz-pure nor dot can be found."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.delenv("GRAPHVIZ_DOT", raising=False)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(sys, "executable", str(empty / "python"))
    with pytest.raises(RendererNotFoundError):
        find_renderer()


def test_without_renderer_building_works_and_jupyter_shows_the_source(no_renderer):
    picture = draw_graph(small_graph())
    assert len(node_lines(picture.source)) == 6
    with pytest.warns(UserWarning, match="pip install graphviz-pure"):
        bundle = picture._repr_mimebundle_()
    assert bundle == {"text/plain": picture.source}


def test_without_renderer_render_and_pipe_say_how_to_install_one(no_renderer, tmp_path):
    picture = draw_graph(small_graph())
    attempts = (picture.pipe, lambda: picture.render(tmp_path / "g"), picture._repr_image_svg_xml)
    for attempt in attempts:
        with pytest.raises(RuntimeError, match=r"pip install graphviz-pure.*Graphviz") as error:
            attempt()
        assert isinstance(error.value, RendererNotFoundError)
    assert not (tmp_path / "g").exists()  # nothing half-written
    assert save(picture, tmp_path / "g.dot").read_text() == picture.source


# -- deep and real graphs ------------------------------------------------------------------------


def test_deep_chain_draws_without_recursion_error():
    n = 20_000
    assert n > sys.getrecursionlimit()
    node = Node(0.0, label="x0")
    for i in range(1, n):
        node = Node(float(i), 1.0, (node,), "+1")
    source = draw_graph(node, max_nodes=None).source  # one box per node, never collapsed
    assert len(node_lines(source)) == n + (n - 1)
    assert len(edge_lines(source)) == 2 * (n - 1)
    assert "{ x0 | data 0.0000 | grad 0.0000 }" in source


def test_draws_an_autograd_value_graph():
    from autograd import Value

    a = Value(2.0, label="a")
    b = (a * a + 1).tanh()
    b.label = "b"
    b.backward()
    nodes = svg_nodes(draw_graph(b).pipe(format="svg", encoding="utf-8"))
    assert nodes["n0"][0] == ["b"]
    assert [["a"], ["data 2.0000"], [f"grad {a.grad:.4f}"]] in nodes.values()
    ops = sorted(v[0][0] for k, v in nodes.items() if k.endswith("_op"))
    assert ops == ["*", "+ 1", "tanh"]  # the constant 1 shows in its operation


def test_package_exports():
    assert viz.draw_graph is draw_graph
    assert issubclass(RendererNotFoundError, RuntimeError) and issubclass(RenderError, RuntimeError)
