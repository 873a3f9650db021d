"""Train a small MLP on the two-moons data set, then draw the graph of one of its predictions.

This is micrograd's demo, run on chainrule: 100 points, an ``MLP(2, [16, 16, 1])`` of scalar
``Value``s, the SVM max-margin loss with a little L2 regularisation, and plain SGD whose
learning rate decays from 1.0 to 0.1. Usage::

    python examples/train_moons.py                 # 100 steps, writes moons_graph.svg
    python examples/train_moons.py --steps 20 --out /tmp/graph.svg
"""

import argparse
import random

from sklearn.datasets import make_moons

import viz
from autograd import Value
from nn import MLP


def loss_and_accuracy(model, X, y):
    """The mean max-margin loss over all points plus L2, and the fraction classified right."""
    scores = [model([Value(x1), Value(x2)]) for x1, x2 in X]
    data_loss = sum((1 + -yi * score).relu() for yi, score in zip(y, scores)) / len(y)
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    accuracy = sum((yi > 0) == (score.data > 0) for yi, score in zip(y, scores)) / len(y)
    return data_loss + reg_loss, accuracy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100, help="SGD steps (default 100)")
    parser.add_argument("--out", default="moons_graph.svg", help="where to write the graph")
    args = parser.parse_args(argv)

    random.seed(1337)  # the MLP's initial weights come from `random`
    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    y = y * 2 - 1  # labels -1 and +1
    model = MLP(2, [16, 16, 1])

    for k in range(args.steps):
        loss, accuracy = loss_and_accuracy(model, X, y)
        model.zero_grad()
        loss.backward()
        learning_rate = 1.0 - 0.9 * k / args.steps
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        if k % 10 == 0:
            print(f"step {k:3d}  loss {loss.data:.4f}  accuracy {accuracy:.0%}")

    _, accuracy = loss_and_accuracy(model, X, y)
    print(f"final accuracy: {accuracy:.0%}")

    # One prediction, for the first point, with the gradient of its score in every node.
    x = [Value(X[0][0], label="x1"), Value(X[0][1], label="x2")]
    score = model(x)
    score.label = "score"
    model.zero_grad()
    score.backward()
    path = viz.save(viz.draw_graph(score), args.out)
    print(f"computation graph of one prediction: {path}")


if __name__ == "__main__":
    main()
