"""How long ``viz.draw_graph`` takes on a big graph: micrograd's demo loss, built and rendered.

The graph is the loss of micrograd's ``demo.ipynb``: ``MLP(2, [16, 16, 1])`` over 100 moons
points (``random.seed(1337)``, labels mapped to +-1), SVM max-margin loss
``(1 + -yi*scorei).relu()`` averaged, plus L2 regularisation ``1e-4 * sum(p*p)``, after
``backward()``. In this engine a neuron's ``w . x + b`` is one ``linear`` node, so the graph has
about 8,000 nodes (micrograd's has about 60,000). It is drawn collapsed, since it is far over
``max_nodes``: with the model (one box per layer), without it (operations grouped by name and
depth), and with ``color="grad"``. Each drawing is timed twice: building the DOT source, and
rendering it to SVG (and PNG) with whatever renderer :func:`viz.find_renderer` finds.

Target: building and rendering to SVG in under 20 s, with at most a few hundred boxes.

Usage::

    python bench/viz_big_graph.py
    python bench/viz_big_graph.py --points 300 --out /tmp/demo   # also writes /tmp/demo-*.png
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import nn  # noqa: E402
from autograd import Value  # noqa: E402
from nn.datasets import make_moons  # noqa: E402
from viz import draw_graph, find_renderer  # noqa: E402

TARGET_SECONDS = 20.0
TARGET_BOXES = 300


def demo_loss(points: int):
    """micrograd's demo loss after backward(), and its model."""
    X, y = make_moons(points, noise=0.1, seed=1)
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


def count_nodes(root) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        for parent in stack.pop().parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def count_boxes(picture) -> int:
    """DOT node statements, the legend left out."""
    return sum(
        1
        for line in picture.body
        if "[label=" in line and "->" not in line and not line.lstrip().startswith("legend")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=100, help="moons points (default 100)")
    parser.add_argument("--out", help="write the pictures as OUT-<variant>.png")
    args = parser.parse_args()

    start = time.perf_counter()
    model, loss = demo_loss(args.points)
    built = time.perf_counter() - start
    nodes = count_nodes(loss)
    print(f"renderer: {find_renderer()}")
    print(f"graph: micrograd demo loss over {args.points} points, {nodes:,} nodes")
    print(f"       (forward + backward {built:.2f} s, not counted below)")
    print()
    print(f"{'drawing':<22} {'boxes':>6} {'build s':>8} {'svg s':>7} {'total s':>8} {'png s':>7}")
    variants = {
        "params=model": dict(params=model),
        "no params": dict(),
        "params=model, grad": dict(params=model, color="grad"),
    }
    worst = 0.0
    most_boxes = 0
    for name, kwargs in variants.items():
        t0 = time.perf_counter()
        picture = draw_graph(loss, **kwargs)
        t1 = time.perf_counter()
        svg = picture.pipe(format="svg", quiet=True)
        t2 = time.perf_counter()
        png = picture.pipe(format="png", quiet=True)
        t3 = time.perf_counter()
        assert svg.lstrip().startswith(b"<") and png.startswith(b"\x89PNG")
        boxes = count_boxes(picture)
        worst = max(worst, t2 - t0)
        most_boxes = max(most_boxes, boxes)
        times = f"{t1 - t0:>8.3f} {t2 - t1:>7.3f} {t2 - t0:>8.3f} {t3 - t2:>7.3f}"
        print(f"{name:<22} {boxes:>6} {times}")
        if args.out:
            slug = name.replace("=", "-").replace(", ", "-").replace(" ", "-")
            with open(f"{args.out}-{slug}.png", "wb") as file:
                file.write(png)
    print()
    ok = worst < TARGET_SECONDS and most_boxes <= TARGET_BOXES
    print(
        f"slowest build + SVG render: {worst:.3f} s (target < {TARGET_SECONDS:.0f} s); "
        f"most boxes: {most_boxes} (target <= {TARGET_BOXES}): {'OK' if ok else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
