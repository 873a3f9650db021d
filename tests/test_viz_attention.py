"""A collapsed drawing of a transformer tells its story: one box per module with its shapes, the
residual adds and the attention's matmul / softmax / matmul as a few ovals, not hundreds of nodes.

The checks read the DOT source: which boxes exist, their fields (module, parameter count, in/out
shapes), the ovals between them, and the edges that join them.
"""

from __future__ import annotations

import re

import pytest
from drawing_oracle import edge_lines, node_lines

import autograd
import nn
import nn.functional as F
from viz import draw_graph

BATCH, LENGTH, WIDTH, HEADS, VOCAB = 2, 5, 8, 2, 11


class Block(nn.Module):
    """A pre-norm transformer block: ``x + attn(ln1(x))``, then ``x + mlp(ln2(x))``."""

    def __init__(self, width: int, heads: int) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(width)
        hidden = 4 * width
        self.mlp = nn.Sequential(nn.Linear(width, hidden), nn.GELU(), nn.Linear(hidden, width))

    def forward(self, x: autograd.Tensor) -> autograd.Tensor:  # (N, L, E) -> (N, L, E)
        y = self.ln1(x)
        causal = autograd.ones(x.shape[1], x.shape[1], dtype=bool).triu(1)
        x = x + self.attn(y, y, y, attn_mask=causal, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    """Embedding, transformer blocks, a last LayerNorm and the head: ``(N, L) -> (N, L, V)``."""

    def __init__(self, blocks: int) -> None:
        super().__init__()
        self.tok = nn.Embedding(VOCAB, WIDTH)
        self.blocks = nn.Sequential(*[Block(WIDTH, HEADS) for _ in range(blocks)])
        self.ln = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, VOCAB)

    def forward(self, idx: autograd.Tensor) -> autograd.Tensor:
        return self.head(self.ln(self.blocks(self.tok(idx))))


def gpt_loss(blocks: int):
    autograd.manual_seed(0)
    model = TinyGPT(blocks)
    idx = autograd.randint(0, VOCAB, (BATCH, LENGTH))
    loss = F.cross_entropy(model(idx).reshape(-1, VOCAB), idx.reshape(-1))
    loss.backward()
    return model, loss


def labels(source: str) -> dict[str, str]:
    """DOT name -> label of every box and oval."""
    return dict(re.findall(r'^\s*(\w+) \[label="((?:[^"\\]|\\.)*)"', source, flags=re.M))


def module_boxes(source: str) -> dict[str, list[str]]:
    """``'blocks.0.attn: MultiheadAttention'`` -> the fields of its box."""
    found = {}
    for label in labels(source).values():
        fields = label.split(" | ")
        if len(fields) > 1 and fields[1].endswith(" parameters"):
            found[fields[0]] = fields
    return found


def ovals(source: str) -> list[str]:
    """The labels of the operation ovals, ``'softmax\\nfloat32[4, 5, 5]'``."""
    return [
        re.search(r'label="((?:[^"\\]|\\.)*)"', line).group(1)
        for line in node_lines(source)
        if "shape=ellipse" in line
    ]


def edges(source: str) -> set[tuple[str, str]]:
    return {tuple(re.findall(r"\w+", line)[:2]) for line in edge_lines(source)}


def name_of(source: str, start: str) -> str:
    return next(name for name, label in labels(source).items() if label.startswith(start))


@pytest.fixture(scope="module")
def one_block():
    model, loss = gpt_loss(blocks=1)
    return model, loss, draw_graph(loss, params=model, max_nodes=60).source


def test_a_transformer_block_collapses_to_a_few_boxes(one_block):
    model, loss, source = one_block
    assert "collapsed" in source
    assert len(node_lines(source)) <= 20  # from 91 nodes (160 boxes one per node)
    assert list(module_boxes(source)) == [
        "tok: Embedding",
        "blocks.0.ln1: LayerNorm",
        "blocks.0.attn: MultiheadAttention",
        "blocks.0.attn.out_proj: NonDynamicallyQuantizableLinear",
        "blocks.0.ln2: LayerNorm",
        "blocks.0.mlp.0: Linear",
        "blocks.0.mlp.1: GELU",
        "blocks.0.mlp.2: Linear",
        "ln: LayerNorm",
        "head: Linear",
    ]


def test_each_module_box_has_its_parameter_count_and_shapes(one_block):
    _, _, source = one_block
    boxes = module_boxes(source)
    n, l, e, h = BATCH, LENGTH, WIDTH, HEADS
    tok = boxes["tok: Embedding"]
    assert tok[1:3] == [f"{VOCAB * e} parameters", f"out: float32[{n}, {l}, {e}]"]
    ln1 = boxes["blocks.0.ln1: LayerNorm"]
    assert ln1[1:3] == [f"{2 * e} parameters", f"in: float32[{n}, {l}, {e}]"]
    assert "sqrt" in ln1[4]  # its mean and variance are its own, not the embedding's
    assert ln1[3] == f"out: float32[{l}, {n}, {e}] x3"  # query, key and value, sequence first
    attn = boxes["blocks.0.attn: MultiheadAttention"]
    assert attn[1] == f"{3 * e * e + 3 * e} parameters"  # in_proj_weight and in_proj_bias
    assert "linear x3" in attn[4] and "matmul" not in attn[4] and "softmax" not in attn[4]
    out_proj = boxes["blocks.0.attn.out_proj: NonDynamicallyQuantizableLinear"]
    assert out_proj[1:4] == [
        f"{e * e + e} parameters",
        f"in: float32[{n * h}, {l}, {e // h}]",  # the heads, merged back by this box
        f"out: float32[{n}, {l}, {e}]",
    ]
    assert boxes["blocks.0.mlp.0: Linear"][1:4] == [
        f"{4 * e * e + 4 * e} parameters",
        f"in: float32[{n}, {l}, {e}]",
        f"out: float32[{n}, {l}, {4 * e}]",
    ]
    assert "erf" in boxes["blocks.0.mlp.1: GELU"][-1]
    assert boxes["head: Linear"][3] == f"out: float32[{n}, {l}, {VOCAB}]"


def test_the_attention_shows_as_matmul_softmax_matmul_between_its_boxes(one_block):
    _, _, source = one_block
    heads, l, d = BATCH * HEADS, LENGTH, WIDTH // HEADS
    shown = ovals(source)
    assert shown.count(f"matmul\\nfloat32[{heads}, {l}, {l}]") == 1  # q @ k^T
    assert shown.count(f"softmax\\nfloat32[{heads}, {l}, {l}]") == 1
    assert shown.count(f"matmul\\nfloat32[{heads}, {l}, {d}]") == 1  # weights @ v
    assert shown.count(f"+\\nfloat32[{heads}, {l}, {l}]") == 1  # the causal mask
    attn = name_of(source, "blocks.0.attn: ")
    out_proj = name_of(source, "blocks.0.attn.out_proj: ")
    scores = name_of(source, "matmul\\nfloat32[4, 5, 5]")
    weights = name_of(source, "softmax")
    mixed = name_of(source, "matmul\\nfloat32[4, 5, 4]")
    masked = name_of(source, "+\\nfloat32[4, 5, 5]")
    linked = edges(source)
    assert {(attn, scores), (scores, masked), (masked, weights), (weights, mixed)} <= linked
    assert {(attn, mixed), (mixed, out_proj)} <= linked  # v, then the heads to out_proj
    assert (out_proj, attn) not in linked and (mixed, attn) not in linked  # no way back


def test_the_residual_adds_are_ovals_joining_the_stream_and_the_branch(one_block):
    _, _, source = one_block
    residual = [name for name, label in labels(source).items() if label == "+\\nfloat32[2, 5, 8]"]
    assert len(residual) == 2
    first, second = residual
    linked = edges(source)
    tok = name_of(source, "tok: ")
    out_proj = name_of(source, "blocks.0.attn.out_proj: ")
    ln2 = name_of(source, "blocks.0.ln2: ")
    mlp = name_of(source, "blocks.0.mlp.2: ")
    ln = name_of(source, "ln: ")
    assert {(tok, first), (out_proj, first)} <= linked  # x + attn(ln1(x))
    assert {(first, ln2), (first, second), (mlp, second), (second, ln)} <= linked


def test_a_two_block_gpt_draws_by_default_in_under_thirty_boxes():
    model, loss = gpt_loss(blocks=2)
    source = draw_graph(loss, params=model).source
    match = re.search(r"collapsed ([\d,]+) nodes into (\d+) boxes", source)
    assert int(match.group(1).replace(",", "")) > 150 and int(match.group(2)) <= 30
    boxes = module_boxes(source)
    for block in ("blocks.0", "blocks.1"):
        for part in ("ln1: LayerNorm", "attn: MultiheadAttention", "ln2: LayerNorm"):
            assert f"{block}.{part}" in boxes
    shown = ovals(source)
    assert sum(label.startswith("softmax") for label in shown) == 2
    assert sum(label.startswith("matmul") for label in shown) == 4
    assert shown.count("+\\nfloat32[2, 5, 8]") == 4  # two residual adds per block


def test_attention_alone_on_an_input_keeps_its_landmarks():
    autograd.manual_seed(1)
    attention = nn.MultiheadAttention(WIDTH, HEADS)
    x = autograd.randn(LENGTH, BATCH, WIDTH, requires_grad=True)
    x.label = "x"
    out, _ = attention(x, x, x)
    out.sum().backward()
    source = draw_graph(out.sum(), params=attention, max_nodes=20).source
    assert list(module_boxes(source)) == [
        "(MultiheadAttention)",
        "out_proj: NonDynamicallyQuantizableLinear",
    ]
    shown = ovals(source)
    story = [label.split("\\n")[0] for label in shown if label.startswith(("softmax", "matmul"))]
    assert story == ["matmul", "softmax", "matmul"]
