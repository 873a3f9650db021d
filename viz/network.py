"""Draw a network as on a course slide: units and weighted arrows, or one box per layer.

Two pictures, chosen by what the model holds:

- **Units and weights** for fully connected networks: micrograd's scalar ``nn.MLP`` (and a
  single ``nn.Layer`` or ``nn.Neuron``), a single ``nn.Linear``, and ``nn.Sequential`` stacks
  of ``nn.Linear`` with activations between them (nested Sequentials too). Every unit is a
  circle, every weight an arrow to the next layer: blue when positive, orange when negative
  (TensorFlow Playground's colours, which colour-blind readers tell apart), thicker and
  darker the larger it is next to the largest weight of its layer. A caption under each
  layer names it, counts its units and names its activation (``ReLU``). Layers wider than
  ``max_units`` show their first and last units and one dashed circle that stands for the
  rest ("+14"); arrows join only the units shown. Units sit at fixed positions (Graphviz's
  ``neato`` engine with pinned nodes), so the layers read left to right, in order, on every
  renderer. Hovering over an arrow in the SVG shows its weight, over a unit its bias.
- **Blocks** for everything else, convolutional networks in particular: one box per layer
  from left to right with its type, its hyperparameters (filters, kernel, stride, padding,
  units), its parameter count and, given ``input_shape``, the shape of its output. The shapes
  come from one forward pass of a zero tensor under ``no_grad()`` in ``eval()`` mode, module by
  module through the ``Sequential``. Activations and dropout join the box before them. A
  module that is not a ``Sequential`` gets blocks even when it holds only ``Linear`` layers:
  its ``forward`` may apply functions (``F.relu``) that no module shows.

Every label is escaped (user text may hold ``< > & " { } |``). Only public APIs are read:
``Module.named_modules``/``children``/``parameters``, the layers' PyTorch attributes
(``in_features``, ``out_channels``, ``kernel_size``, ...) and micrograd's ``layer.neurons``,
``neuron.w`` and ``neuron.b``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from graphviz import nohtml

from autograd import Tensor, no_grad, parameters
from nn import MLP, Layer, Module, Neuron, Sequential

from .digraph import Digraph
from .palette import NEGATIVE, POSITIVE, ZERO

FONT = "Helvetica"

# Modules that act elementwise (or not at all) on their input: drawn as a caption of a layer of
# units, or as a line in the box of the layer before them.
ELEMENTWISE = frozenset(
    """AlphaDropout CELU Dropout Dropout1d Dropout2d Dropout3d ELU GELU GLU Hardshrink Hardsigmoid
    Hardswish Hardtanh Identity LeakyReLU LogSigmoid LogSoftmax Mish PReLU ReLU ReLU6 RReLU SELU
    SiLU Sigmoid Softmax Softmin Softplus Softshrink Softsign Tanh Tanhshrink""".split()
)

# Fill colours of the boxes, by the kind of layer.
_BOX_COLOURS = {
    "conv": "#d6e6f5",
    "pool": "#dcefd9",
    "linear": "#fde3cc",
    "norm": "#e8e1f3",
    "io": "#ffffff",
    "other": "#eeeeee",
}

_SCALAR_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def draw_network(
    model: Module,
    max_units: int = 10,
    input_shape: Sequence[int] | None = None,
    *,
    style: str = "auto",
) -> Digraph:
    """Return a :class:`viz.Digraph` picture of ``model``'s architecture.

    Parameters
    ----------
    model
        A scalar ``nn.MLP``, ``nn.Layer`` or ``nn.Neuron``; an ``nn.Sequential`` (nested ones
        too) of ``nn.Linear`` and activation modules; or any ``nn.Module``, convolutional
        networks included.
    max_units
        In the picture of units, the most units drawn per layer; a wider layer shows its first
        ``ceil(max_units / 2)`` and last ``floor(max_units / 2)`` units and a dashed circle
        "+n" for the rest. At least 2.
    input_shape
        The shape of an input batch, e.g. ``(1, 1, 28, 28)``. In the block picture, each box
        then shows its output shape, from a forward pass of zeros (under ``no_grad``, in
        ``eval()`` mode, training flags restored after). For a ``Sequential`` the shapes are
        those after each module; for another module, whose ``forward`` may do anything, they
        are shown only where feeding its leaf modules one after another in registration order
        ends in the shape that ``model`` itself returns, else only the input and output.
    style
        ``"auto"`` (units for fully connected networks, blocks for the rest), ``"units"`` or
        ``"blocks"``.

    Returns
    -------
    Digraph
        Shown by Jupyter; ``viz.save(picture, "net.svg")`` or ``.png`` writes a file, and
        ``picture.source`` is the DOT text.

    Examples
    --------
    >>> import nn
    >>> picture = draw_network(nn.MLP(2, [4, 4, 1]))
    >>> lenet = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    ...                       nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    ...                       nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 10))
    >>> picture = draw_network(lenet, input_shape=(1, 1, 28, 28))
    """
    if isinstance(max_units, bool) or not isinstance(max_units, int) or max_units < 2:
        raise ValueError(f"draw_network: max_units must be an int >= 2, got {max_units!r}")
    if style not in ("auto", "units", "blocks"):
        raise ValueError(f"draw_network: style must be 'auto', 'units' or 'blocks', got {style!r}")
    if not isinstance(model, Module):
        raise TypeError(
            f"draw_network: expected an nn.Module (nn.MLP, nn.Sequential, ...), "
            f"got {type(model).__name__}"
        )
    dense = None if style == "blocks" else _dense_layers(model)
    if dense is not None:
        return _draw_units(model, dense, max_units)
    if style == "units":
        raise ValueError(
            f"draw_network: cannot draw {type(model).__name__} as units and weights: that "
            "picture needs nn.MLP or a Sequential of Linear layers (with activations); "
            "use style='blocks'"
        )
    return _draw_blocks(model, input_shape)


# -- fully connected networks: extraction ----------------------------------------------------------


class _Dense:
    """A fully connected network as arrays: weights[l] is (units of l+1, units of l)."""

    def __init__(self) -> None:
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray | None] = []
        self.activations: list[list[str]] = []  # per layer after the input
        self.input_notes: list[str] = []  # modules before the first Linear (Flatten, ...)

    @property
    def sizes(self) -> list[int]:
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]


def _dense_layers(model: Module) -> _Dense | None:
    """The model as a fully connected network, or None if it is not one."""
    if isinstance(model, (MLP, Layer, Neuron)):
        return _scalar_dense(model)
    if not _is_sequential(model):
        return None  # its forward may apply functions we cannot see (F.relu): draw blocks
    dense = _Dense()
    for module in _leaves(model):
        if _kind(module) == "linear":
            weight = np.asarray(module.weight.data, dtype=np.float64)
            if dense.weights and dense.weights[-1].shape[0] != weight.shape[1]:
                return None  # widths do not chain: not a plain stack
            bias = getattr(module, "bias", None)
            dense.weights.append(weight)
            dense.biases.append(None if bias is None else np.asarray(bias.data, np.float64))
            dense.activations.append([])
        elif _kind(module) in ("conv", "pool") or any(
            np.ndim(p.data) > 1 for p in module.parameters()
        ):
            return None
        else:
            notes = dense.activations[-1] if dense.weights else dense.input_notes
            notes.append(type(module).__name__)
    return dense if dense.weights else None


def _scalar_dense(model) -> _Dense:
    if isinstance(model, MLP):
        layers = [layer.neurons for layer in model.layers]
    elif isinstance(model, Layer):
        layers = [model.neurons]
    else:
        layers = [[model]]
    dense = _Dense()
    for neurons in layers:
        dense.weights.append(np.array([[w.data for w in n.w] for n in neurons], dtype=np.float64))
        dense.biases.append(np.array([n.b.data for n in neurons], dtype=np.float64))
        first = neurons[0]
        if getattr(first, "nonlin", True):
            name = getattr(first, "activation", "relu")
            dense.activations.append([_SCALAR_ACTIVATIONS.get(name, str(name))])
        else:
            dense.activations.append([])
    return dense


def _leaves(model: Module) -> list[Module]:
    """The modules that compute, in registration order: containers opened, recursively.

    A module with parameters of its own stays whole even if it has children.
    """
    out, stack = [], [model]
    while stack:
        module = stack.pop()
        children = list(module.children())
        if not children or any(True for _ in module.parameters(recurse=False)):
            out.append(module)
        else:
            stack.extend(reversed(children))
    return out


def _kind(module: Module) -> str:
    name = type(module).__name__
    if "Pool" in name:
        return "pool"
    if name.startswith(("Conv", "LazyConv")) or (
        hasattr(module, "out_channels") and hasattr(module, "kernel_size")
    ):
        return "conv"
    weight = getattr(module, "weight", None)
    if (
        hasattr(module, "in_features")
        and hasattr(module, "out_features")
        and isinstance(weight, Tensor)
        and weight.ndim == 2
    ):
        return "linear"
    if "Norm" in name:
        return "norm"
    if name in ELEMENTWISE:
        return "elementwise"
    return "other"


# -- fully connected networks: the picture ---------------------------------------------------------

_COLUMN_GAP = 2.2  # inches between layers
_ROW_GAP = 0.6  # inches between units
_UNIT_SIZE = 0.42


def _draw_units(model: Module, dense: _Dense, max_units: int) -> Digraph:
    dot = Digraph(
        format="svg",
        engine="neato",  # positions pinned below: layers left to right, units in order
        graph_attr={
            "rankdir": "LR",
            "splines": "false",
            "outputorder": "edgesfirst",
            "fontname": FONT,
            "fontsize": "12",
            "labelloc": "b",
            "label": _legend(),
            "pad": "0.3",
        },
        node_attr={"fontname": FONT, "fontsize": "12"},
        edge_attr={"arrowsize": "0.45"},
    )
    sizes = dense.sizes
    shown = [_shown_units(n, max_units) for n in sizes]
    rows = [len(units) + (1 if n > len(units) else 0) for n, units in zip(sizes, shown)]
    top = (max(rows) - 1) * _ROW_GAP / 2
    last = len(sizes) - 1

    for layer, (n, units) in enumerate(zip(sizes, shown)):
        x = layer * _COLUMN_GAP
        y = (rows[layer] - 1) * _ROW_GAP / 2  # centre each column
        hidden = n - len(units)
        for k, unit in enumerate(units):
            if hidden and k == (max_units + 1) // 2:
                dot.node(
                    f"L{layer}_more",
                    f"+{hidden}",
                    shape="circle",
                    style="dashed",
                    color=ZERO,
                    fontcolor="#616161",
                    fontsize="10",
                    width=str(_UNIT_SIZE),
                    fixedsize="true",
                    pos=_pos(x, y),
                    tooltip=f"{hidden} more units not drawn",
                )
                y -= _ROW_GAP
            attrs = _unit_attrs(dense, layer, unit, n, last)
            dot.node(_unit(layer, unit), pos=_pos(x, y), **attrs)
            y -= _ROW_GAP
        caption = _caption(dense, layer, n, last)
        dot.node(
            f"L{layer}_caption",
            caption,
            shape="plaintext",
            pos=_pos(x, -top - 0.75),
        )
        if layer == 0:
            continue
        weight = dense.weights[layer - 1]
        scale = float(np.max(np.abs(weight))) or 1.0
        thickest = 3.5 if len(units) * len(shown[layer - 1]) <= 40 else 2.5  # fewer, bolder
        for j in units:
            for i in shown[layer - 1]:
                attrs = _edge_attrs(float(weight[j, i]), scale, thickest, i, j)
                dot.edge(_unit(layer - 1, i), _unit(layer, j), **attrs)
    return dot


def _shown_units(n: int, max_units: int) -> list[int]:
    if n <= max_units:
        return list(range(n))
    head = (max_units + 1) // 2
    tail = max_units // 2
    return list(range(head)) + list(range(n - tail, n))


def _unit(layer: int, index: int) -> str:
    return f"L{layer}_{index}"


def _pos(x: float, y: float) -> str:
    return f"{x:.3f},{y:.3f}!"


def _unit_attrs(dense: _Dense, layer: int, unit: int, n: int, last: int) -> dict:
    attrs = {
        "shape": "circle",
        "style": "filled",
        "width": str(_UNIT_SIZE),
        "fixedsize": "true",
        "color": "#424242",
    }
    if layer == 0:
        attrs.update(label=f"x{unit + 1}", fillcolor="#f5f5f5", tooltip=f"input {unit + 1}")
        return attrs
    bias = dense.biases[layer - 1]
    tip = f"unit {unit + 1}" + ("" if bias is None else f", bias {bias[unit]:+.4g}")
    if layer == last:
        attrs.update(label="y" if n == 1 else f"y{unit + 1}", fillcolor="#fff8e1")
    else:
        attrs.update(label="", fillcolor="#ffffff")
    attrs["tooltip"] = tip
    return attrs


def _edge_attrs(w: float, scale: float, thickest: float, i: int, j: int) -> dict:
    size = min(abs(w) / scale, 1.0)
    colour = POSITIVE if w > 0 else NEGATIVE if w < 0 else ZERO
    alpha = int(round(255 * (0.3 + 0.7 * size)))
    return {
        "color": f"{colour}{alpha:02x}",
        "penwidth": f"{0.3 + (thickest - 0.3) * size:.2f}",
        "tooltip": f"w[{j + 1},{i + 1}] = {w:+.4g}",
    }


def _caption(dense: _Dense, layer: int, n: int, last: int) -> str:
    if layer == 0:
        title, notes = "Input", dense.input_notes
    else:
        title = "Output" if layer == last else f"Hidden {layer}"
        notes = dense.activations[layer - 1] or ["linear"]
    unit_text = f"{n} unit" + ("" if n == 1 else "s")
    lines = [f"<b>{_html(title)}</b>", _html(unit_text)]
    lines += [f'<font color="#555555">{_html(note)}</font>' for note in notes]
    return "<" + "<br/>".join(lines) + ">"


def _legend() -> str:
    return (
        f'<<font point-size="10"><font color="{POSITIVE}">blue</font>: positive weight, '
        f'<font color="{NEGATIVE}">orange</font>: negative; '
        "thickness: |weight| next to the largest in its layer</font>>"
    )


# -- everything else: blocks -----------------------------------------------------------------------


class _Block:
    def __init__(self, module: Module, name: str) -> None:
        self.modules = [module]
        self.names = [name]
        self.shape: tuple | None = None


def _draw_blocks(model: Module, input_shape) -> Digraph:
    names = {id(m): name for name, m in model.named_modules()}
    leaves = _leaves(model)
    shapes, output_shape = _shapes(model, leaves, input_shape)

    blocks: list[_Block] = []
    for module, shape in zip(leaves, shapes):
        if blocks and _kind(module) == "elementwise":
            blocks[-1].modules.append(module)
            blocks[-1].names.append(names.get(id(module), ""))
        else:
            blocks.append(_Block(module, names.get(id(module), "")))
        blocks[-1].shape = shape

    total = sum(_count(p) for p in model.parameters())
    dot = Digraph(
        format="svg",
        graph_attr={
            "rankdir": "LR",
            "fontname": FONT,
            "fontsize": "12",
            "labelloc": "b",
            "label": _html_label([f"{_html(type(model).__name__)}: {total:,} parameters"]),
            "nodesep": "0.25",
            "ranksep": "0.35",
        },
        node_attr={"fontname": FONT, "fontsize": "11", "shape": "box", "style": "rounded,filled"},
        edge_attr={"arrowsize": "0.6", "color": "#616161"},
    )
    input_lines = ["<b>Input</b>"]
    if input_shape is not None:
        input_lines.append(_shape_text(tuple(input_shape)))
    dot.node("input", _html_label(input_lines), fillcolor=_BOX_COLOURS["io"])
    previous = "input"
    for k, block in enumerate(blocks):
        node = f"b{k}"
        head = block.modules[0]
        kind = _kind(head)
        lines = [f'<font point-size="13"><b>{_html(type(head).__name__)}</b></font>']
        lines += [_html(text) for text in _details(head)]
        lines += [f"<i>{_html(_short(m))}</i>" for m in block.modules[1:]]
        params = sum(_count(p) for m in block.modules for p in m.parameters())
        if params:
            lines.append(f'<font color="#616161">{params:,} params</font>')
        if block.shape is not None:
            lines.append(f'<font color="#1a237e">{_html(_shape_text(block.shape))}</font>')
        tooltip = "; ".join(f"{n or '(model)'}: {m!r}" for n, m in zip(block.names, block.modules))
        dot.node(
            node,
            _html_label(lines),
            fillcolor=_BOX_COLOURS.get(kind, _BOX_COLOURS["other"]),
            tooltip=nohtml(_plain(tooltip)),
        )
        dot.edge(previous, node)
        previous = node
    if output_shape is not None and (not blocks or blocks[-1].shape is None):
        dot.node(
            "output",
            _html_label(["<b>Output</b>", _html(_shape_text(output_shape))]),
            fillcolor=_BOX_COLOURS["io"],
        )
        dot.edge(previous, "output")
    return dot


def _shapes(model: Module, leaves: list[Module], input_shape):
    """(shape after each leaf or None, the model's output shape or None)."""
    if input_shape is None:
        return [None] * len(leaves), None
    try:
        input_shape = tuple(int(d) for d in input_shape)
    except TypeError:
        raise TypeError(
            f"draw_network: input_shape must be a tuple of ints such as (1, 1, 28, 28), "
            f"got {input_shape!r}"
        ) from None
    x = Tensor(np.zeros(input_shape, dtype=np.float32))
    with evaluating(model):
        if _is_sequential(model):
            shapes = []
            for module in leaves:
                x = _run(module, x, f" (from input_shape={input_shape})")
                shapes.append(tuple(x.shape))
            return shapes, tuple(x.shape)
        # any other forward may do anything: trust the leaves one after another only if they
        # end where the model does
        output_shape = tuple(_run(model, x, "").shape)
        shapes = []
        try:
            for module in leaves:
                x = module(x)
                shapes.append(tuple(x.shape))
        except Exception:
            shapes = []
        if not shapes or shapes[-1] != output_shape:
            shapes = [None] * len(leaves)
        return shapes, output_shape


def _run(module: Module, x: Tensor, where: str) -> Tensor:
    try:
        return module(x)
    except Exception as error:
        raise ValueError(
            f"draw_network: {type(module).__name__} failed on an input of shape "
            f"{tuple(x.shape)}{where}: {error}"
        ) from error


@contextmanager
def evaluating(model: Callable[..., Any]) -> Iterator[None]:
    """Run the block in ``eval()`` mode under ``no_grad()``, then put every training flag back.

    ``model`` may be any callable; only an ``nn.Module`` has flags to switch.
    """
    flags = [(m, m.training) for m in model.modules()] if isinstance(model, Module) else []
    if flags:
        model.eval()
    try:
        with no_grad():
            yield
    finally:
        for module, flag in flags:
            module.training = flag


def _is_sequential(model: Module) -> bool:
    """True if every container from ``model`` down is a Sequential (so order = data flow)."""
    stack = [model]
    while stack:
        module = stack.pop()
        children = list(module.children())
        if children and not any(True for _ in module.parameters(recurse=False)):
            if not isinstance(module, Sequential):
                return False
            stack.extend(children)
    return True


def _details(module: Module) -> list[str]:
    """One or two short lines of hyperparameters, as a slide would show them."""
    kind = _kind(module)
    nd = _dims(module)
    if kind == "conv":
        lines = [f"{module.out_channels} filters {_kernel(module.kernel_size, nd)}"]
        extras = []
        for attr, label, default in (
            ("stride", "stride", 1),
            ("padding", "pad", 0),
            ("dilation", "dilation", 1),
            ("groups", "groups", 1),
        ):
            value = getattr(module, attr, default)
            if not _is_default(value, default):
                extras.append(f"{label} {_step(value)}")
        if extras:
            lines.append(", ".join(extras))
        return lines
    if kind == "pool":
        if hasattr(module, "output_size"):
            return [f"output {_kernel(module.output_size, nd)}"]
        kernel = getattr(module, "kernel_size", None)
        if kernel is None:
            return _extra(module)
        text = f"{_kernel(kernel, nd)}"
        stride = getattr(module, "stride", None)
        if stride is not None and _step(stride) != _step(kernel):
            text += f", stride {_step(stride)}"
        padding = getattr(module, "padding", 0)
        if not _is_default(padding, 0):
            text += f", pad {_step(padding)}"
        return [text]
    if kind == "linear":
        return [f"{module.in_features} to {module.out_features}"]
    if type(module).__name__ == "Flatten":
        return []
    return _extra(module)


def _extra(module: Module) -> list[str]:
    """``extra_repr()`` on one line, without PyTorch's ``inplace=False``, at most 40 characters."""
    text = module.extra_repr() if hasattr(module, "extra_repr") else ""
    parts = [p.strip() for p in " ".join(str(text).split()).split(",")]
    text = ", ".join(p for p in parts if p and p != "inplace=False")
    if len(text) > 40:
        text = text[:37] + "..."
    return [text] if text else []


def _short(module: Module) -> str:
    """``Dropout(p=0.5)``, ``ReLU``: the class name and its ``extra_repr``, if any."""
    extra = _extra(module)
    name = type(module).__name__
    return f"{name}({extra[0]})" if extra else name


def _dims(module: Module) -> int | None:
    """2 for ``Conv2d`` or ``MaxPool2d`` (from the name, else from the weight), else None."""
    name = type(module).__name__
    if len(name) >= 2 and name[-1] == "d" and name[-2].isdigit():
        return int(name[-2])
    weight = getattr(module, "weight", None)
    if isinstance(weight, Tensor) and weight.ndim >= 3:
        return weight.ndim - 2
    return None


def _kernel(value, nd: int | None) -> str:
    """A window size as on a slide: ``5x5`` (an int is repeated over the ``nd`` dims)."""
    if isinstance(value, (tuple, list)):
        return "x".join(str(v) for v in value)
    return "x".join([str(value)] * (nd or 1))


def _step(value) -> str:
    """A stride or padding: one number when every dim has the same, else ``1x2``."""
    if isinstance(value, (tuple, list)):
        if len(set(value)) == 1:
            return str(value[0])
        return "x".join(str(v) for v in value)
    return str(value)


def _is_default(value, default) -> bool:
    if isinstance(value, (tuple, list)):
        return all(v == default for v in value)
    return value == default


def _count(param) -> int:
    return parameters.numel(param)


def _shape_text(shape: tuple) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _html(text: str) -> str:
    return html.escape(str(text), quote=True)


def _html_label(lines: list[str]) -> str:
    return "<" + "<br/>".join(lines) + ">"


def _plain(text: str) -> str:
    """Text for a quoted DOT string: backslashes and quotes escaped."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"')
