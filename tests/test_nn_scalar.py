"""micrograd's Neuron, Layer and MLP, and its moons demo, on our engine."""

import random

import pytest

from autograd import Value
from nn import MLP, Layer, Module, Neuron


def test_neuron_computes_activation_of_w_dot_x_plus_b():
    random.seed(0)
    n = Neuron(3)
    n.b.data = 0.25
    x = [1.0, -2.0, 0.5]
    expected = sum(w.data * xi for w, xi in zip(n.w, x)) + 0.25
    assert n(x).data == pytest.approx(max(0.0, expected))
    assert Neuron(3, nonlin=False)(x).op == "linear"
    assert len(n.parameters()) == 4


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_activation_choice(activation):
    random.seed(1)
    n = Neuron(2, activation=activation)
    out = n([0.3, -0.7])
    assert out.op == {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid"}[activation]


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="'softsign'"):
        Neuron(2, activation="softsign")


def test_reprs_and_shapes_follow_micrograd():
    random.seed(2)
    model = MLP(2, [3, 1])
    assert repr(model) == (
        "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], "
        "Layer of [LinearNeuron(3)]]"
    )
    assert isinstance(model([1.0, 2.0]), Value)  # a single output is a Value
    assert len(Layer(2, 4)([1.0, 2.0])) == 4
    assert len(model.parameters()) == 3 * 3 + 4
    assert isinstance(model, Module)


def test_seeding_with_random_seed_reproduces_the_weights():
    random.seed(42)
    first = [p.data for p in MLP(2, [4, 1]).parameters()]
    random.seed(42)
    second = [p.data for p in MLP(2, [4, 1]).parameters()]
    assert first == second


def test_zero_grad():
    model = MLP(2, [2, 1])
    model([1.0, 1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_wrong_input_length_is_explained():
    with pytest.raises(ValueError, match="3 inputs but 2 weights"):
        Neuron(2)([1.0, 2.0, 3.0])


def micrograd_demo(steps=100):
    """micrograd's demo.ipynb, line for line, with our classes."""
    import numpy as np
    from sklearn.datasets import make_moons

    np.random.seed(1337)
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1
    model = MLP(2, [16, 16, 1])

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    for k in range(steps):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    return loss()


def test_micrograd_demo_reaches_97_percent():
    total_loss, accuracy = micrograd_demo()
    assert accuracy >= 0.97
    assert total_loss.data < 0.05
