"""Draw the pictures the README shows, into docs/ (run from the repository root).

    python examples/readme_pictures.py

1. docs/graph.svg: one neuron, tanh(x1*w1 + x2*w2 + b), after backward();
2. docs/moons_loss.svg: the loss graph of micrograd's demo (8,000 nodes), collapsed per layer
   and coloured by gradient magnitude;
3. docs/network.svg: the trained network as the course draws it;
4. docs/decision_boundary.png: its decision boundary on the moons.
"""

import random
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from sklearn.datasets import make_moons  # noqa: E402

import viz  # noqa: E402
from autograd import Value  # noqa: E402
from nn import MLP  # noqa: E402

DOCS = Path("docs")


def neuron_picture() -> None:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    viz.save(viz.draw_graph(o), DOCS / "graph.svg")


def moons_pictures() -> None:
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    y = y * 2 - 1
    model = MLP(2, [16, 16, 1])
    for k in range(100):
        scores = [model([Value(a), Value(b)]) for a, b in X]
        data_loss = sum((1 + -yi * s).relu() for yi, s in zip(y, scores)) * (1 / len(y))
        loss = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
    viz.save(viz.draw_graph(loss, params=model, color="grad"), DOCS / "moons_loss.svg")
    viz.save(viz.draw_network(model), DOCS / "network.svg")
    figure = viz.plot_decision_boundary(model, X, y)
    figure.savefig(DOCS / "decision_boundary.png", dpi=80, bbox_inches="tight")


if __name__ == "__main__":
    DOCS.mkdir(exist_ok=True)
    neuron_picture()
    moons_pictures()
    print("wrote", ", ".join(sorted(p.name for p in DOCS.iterdir())))
