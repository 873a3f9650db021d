"""manual_seed, Generator and the samplers: torch's numbers where it draws them the same way
(rand), torch's shapes, dtypes, distributions and errors everywhere."""

import numpy as np
import pytest
import torch

import autograd
import nn
from autograd import Generator, Tensor


@pytest.mark.parametrize("seed", [0, 7, 2**32 + 5, 2**63 - 1, -3])
@pytest.mark.parametrize("shape", [(1,), (3,), (4, 5), (1000,)])
@pytest.mark.parametrize("dtype", [(np.float32, torch.float32), (np.float64, torch.float64)])
def test_rand_draws_torchs_numbers_after_the_same_seed(seed, shape, dtype):
    autograd.manual_seed(seed)
    torch.manual_seed(seed)
    ours, theirs = autograd.rand(*shape, dtype=dtype[0]), torch.rand(*shape, dtype=dtype[1])
    assert ours.dtype == dtype[0] and ours.shape == shape
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert autograd.initial_seed() == torch.initial_seed()


def close_to_torch(ours: np.ndarray, theirs: np.ndarray) -> None:
    """Equal but for the last bits: torch's logarithms, cosines and fused multiply-adds are not
    numpy's, and differ by CPU."""
    eps = np.finfo(theirs.dtype).eps
    np.testing.assert_allclose(ours, theirs, rtol=8 * eps, atol=8 * eps)


@pytest.mark.parametrize("seed", [0, 5, 2**40])
@pytest.mark.parametrize("shape", [(), (1,), (3,), (15,), (16,), (17,), (4, 8), (33,), (1001,)])
@pytest.mark.parametrize("dtype", [(np.float32, torch.float32), (np.float64, torch.float64)])
def test_randn_draws_torchs_numbers_after_the_same_seed(seed, shape, dtype):
    # below 16 numbers torch makes normals in pairs and keeps the spare for the next call; from
    # 16 on it fills blocks of 16: both paths, and the spare across calls, as torch
    autograd.manual_seed(seed)
    torch.manual_seed(seed)
    for size in (shape, (3,), (1,), (20,)):
        ours, theirs = autograd.randn(size, dtype=dtype[0]), torch.randn(size, dtype=dtype[1])
        assert ours.dtype == dtype[0] and ours.shape == tuple(theirs.shape)
        close_to_torch(ours.data, theirs.numpy())


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.Linear(7, 5),
        lambda lib: lib.Conv2d(3, 4, 3),
        lambda lib: lib.Conv1d(2, 3, 5, bias=False),
        lambda lib: lib.Sequential(lib.Linear(4, 8), lib.ReLU(), lib.Linear(8, 2)),
    ],
)
def test_a_seeded_model_starts_from_torchs_weights(make):
    autograd.manual_seed(11)
    torch.manual_seed(11)
    ours, theirs = make(nn), make(torch.nn)
    state = theirs.state_dict()
    for name, value in ours.state_dict().items():
        close_to_torch(value.data, state[name].numpy())


@pytest.mark.parametrize("seed", [0, 3])
def test_randint_and_randperm_draw_torchs_numbers(seed):
    for args in [(10, (8,)), (-5, 5, (4, 5)), (0, 2**33, (6,)), (3, 1000, (100,))]:
        autograd.manual_seed(seed)
        torch.manual_seed(seed)
        np.testing.assert_array_equal(autograd.randint(*args).data, torch.randint(*args).numpy())
    for n in (0, 1, 2, 7, 100, 5000):
        autograd.manual_seed(seed)
        torch.manual_seed(seed)
        np.testing.assert_array_equal(autograd.randperm(n).data, torch.randperm(n).numpy())


def test_manual_seed_is_numpys_global_seed():
    autograd.manual_seed(3)
    a = np.random.random_sample(4)
    np.random.seed(3)
    np.testing.assert_array_equal(a, np.random.random_sample(4))
    np.random.seed(11)
    x = autograd.randn(5)
    autograd.manual_seed(11)
    np.testing.assert_array_equal(x.data, autograd.randn(5).data)


def test_manual_seed_makes_init_and_dropout_repeatable():
    def run():
        autograd.manual_seed(42)
        model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))
        return model(autograd.ones(3, 4)).data

    np.testing.assert_array_equal(run(), run())
    autograd.manual_seed(43)
    other = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))(autograd.ones(3, 4))
    assert not np.array_equal(run(), other.data)


def test_a_generator_is_its_own_stream():
    g = Generator().manual_seed(5)
    autograd.manual_seed(5)
    a = autograd.rand(6, generator=g)
    autograd.rand(100)  # the global stream moves; g does not
    b = autograd.rand(6, generator=g)
    g2 = Generator().manual_seed(5)
    np.testing.assert_array_equal(a.data, autograd.rand(6, generator=g2).data)
    np.testing.assert_array_equal(b.data, autograd.rand(6, generator=g2).data)
    assert g.initial_seed() == 5 and not np.array_equal(a.data, b.data)


def test_generator_state_round_trips():
    g = Generator().manual_seed(1)
    autograd.randn(3, generator=g)
    state = g.get_state()
    assert state.dtype == np.uint8
    first = autograd.randn(10, generator=g)
    g.set_state(state)
    np.testing.assert_array_equal(first.data, autograd.randn(10, generator=g).data)
    with pytest.raises(RuntimeError, match="uint8 tensor"):
        g.set_state(Tensor([1.0, 2.0]))


def test_a_fresh_generator_has_no_known_seed_until_seeded():
    g = Generator()
    with pytest.raises(RuntimeError, match="manual_seed"):
        g.initial_seed()
    s = g.seed()
    assert g.initial_seed() == s


def test_seeds_are_checked():
    with pytest.raises(TypeError, match="seed must be an int"):
        autograd.manual_seed(1.5)
    with pytest.raises(RuntimeError, match="Overflow"):
        autograd.manual_seed(2**64)
    with pytest.raises(TypeError, match="autograd.Generator"):
        autograd.rand(2, generator=np.random.default_rng(0))


def test_rand_and_randn_dtypes_and_distributions():
    autograd.manual_seed(0)
    u = autograd.rand(200_000)
    assert u.dtype == np.float32 and 0.0 <= u.data.min() and u.data.max() < 1.0
    assert abs(u.data.mean() - 0.5) < 0.005 and abs(u.data.var() - 1 / 12) < 0.002
    z = autograd.randn(200_000, dtype=np.float64)
    assert z.dtype == np.float64
    assert abs(z.data.mean()) < 0.01 and abs(z.data.std() - 1.0) < 0.01
    like = autograd.randn_like(Tensor(np.zeros((2, 3))))
    assert like.shape == (2, 3) and like.dtype == np.float64
    assert autograd.rand_like(Tensor(np.zeros(4, np.float32))).dtype == np.float32
    with pytest.raises(TypeError, match="float dtype"):
        autograd.rand(3, dtype=np.int64)
    assert autograd.rand(2, 3, requires_grad=True).requires_grad


def test_randint_signatures_bounds_and_dtype():
    autograd.manual_seed(0)
    a = autograd.randint(10, (1000,))
    b = autograd.randint(-3, 4, (50, 20))
    c = autograd.randint(0, 5, size=(7,))
    assert a.dtype == np.int64 and a.shape == (1000,) and set(a.tolist()) == set(range(10))
    assert b.shape == (50, 20) and b.data.min() == -3 and b.data.max() == 3
    assert c.shape == (7,)
    assert torch.randint(10, (1000,)).dtype == torch.int64  # the same defaults
    with pytest.raises(RuntimeError, match="from=5 >= to=5"):
        autograd.randint(5, 5, (2,))
    with pytest.raises(TypeError, match="randint"):
        autograd.randint(5)


def test_randperm_is_a_permutation():
    autograd.manual_seed(1)
    p = autograd.randperm(50)
    assert p.dtype == np.int64 and sorted(p.tolist()) == list(range(50))
    assert p.tolist() != list(range(50))
    assert autograd.randperm(0).shape == (0,)


def test_multinomial_frequencies_and_shapes():
    autograd.manual_seed(2)
    probs = Tensor([0.1, 0.0, 0.6, 0.3], dtype=np.float64)
    draws = autograd.multinomial(probs, 20_000, replacement=True)
    assert draws.dtype == np.int64 and draws.shape == (20_000,)
    freq = np.bincount(draws.data, minlength=4) / 20_000
    np.testing.assert_allclose(freq, [0.1, 0.0, 0.6, 0.3], atol=0.015)
    rows = autograd.multinomial(Tensor([[1.0, 1.0, 1.0], [0.0, 2.0, 6.0]]), 2)
    assert rows.shape == (2, 2)
    for row in rows.tolist():
        assert len(set(row)) == 2  # without replacement: each category at most once
    assert 0 not in rows.tolist()[1]


@pytest.mark.parametrize(
    "weights, n, replacement, message",
    [
        ([0.5, 0.5], 3, False, "without replacement"),
        ([0.0, 0.0], 1, True, "sum of probabilities <= 0"),
        ([-1.0, 2.0], 1, True, "element < 0"),
        ([float("nan"), 1.0], 1, True, "nan"),
    ],
)
def test_multinomial_refuses_what_torch_refuses(weights, n, replacement, message):
    with pytest.raises(RuntimeError, match=message):
        autograd.multinomial(Tensor(weights), n, replacement)
    with pytest.raises(RuntimeError):
        torch.multinomial(torch.tensor(weights), n, replacement)


def test_multinomial_without_replacement_takes_zero_weights_only_after_the_others_as_torch():
    # torch does not raise when zero weights must be drawn: they come after every positive one
    # (their order among themselves is torch's topk's, which it does not document)
    for weights, n in [([1.0, 0.0, 0.0], 3), ([0.0, 3.0, 0.0, 0.0], 4), ([0.0, 2.0, 5.0], 3)]:
        positive = {i for i, w in enumerate(weights) if w > 0}
        for draw in (
            autograd.multinomial(Tensor(weights), n).tolist(),
            torch.multinomial(torch.tensor(weights), n).tolist(),
        ):
            assert set(draw[: len(positive)]) == positive and sorted(draw) == list(range(n))


def test_bernoulli():
    autograd.manual_seed(3)
    p = Tensor(np.full(50_000, 0.25))
    draws = autograd.bernoulli(p)
    assert draws.dtype == np.float64 and set(np.unique(draws.data)) <= {0.0, 1.0}
    assert abs(draws.data.mean() - 0.25) < 0.01
    assert autograd.bernoulli(Tensor(np.zeros(5, np.float32)), 1.0).tolist() == [1.0] * 5
    with pytest.raises(RuntimeError, match="p_in >= 0"):
        autograd.bernoulli(Tensor([1.5]))


@pytest.mark.parametrize(
    "init",
    [
        "uniform_",
        "normal_",
        "xavier_uniform_",
        "xavier_normal_",
        "kaiming_uniform_",
        "kaiming_normal_",
    ],
)
def test_nn_init_takes_a_generator_as_torch(init):
    def draw(seed):
        w = autograd.zeros(8, 5)
        getattr(nn.init, init)(w, generator=Generator().manual_seed(seed))
        return w.data

    autograd.manual_seed(0)
    a = draw(1)
    autograd.rand(10)  # the global stream moves; the generator's does not
    np.testing.assert_array_equal(a, draw(1))
    assert not np.array_equal(a, draw(2)) and a.std() > 0
    getattr(torch.nn.init, init)(torch.zeros(8, 5), generator=torch.Generator().manual_seed(1))


def test_data_loader_visits_samples_in_torchs_order_after_the_same_seed():
    data = np.arange(23, dtype=np.float32)
    for shuffle in (True, False):
        autograd.manual_seed(4)
        torch.manual_seed(4)
        ours = nn.DataLoader(nn.TensorDataset(data), batch_size=5, shuffle=shuffle)
        theirs = torch.utils.data.DataLoader(torch.tensor(data), batch_size=5, shuffle=shuffle)
        for _ in range(3):  # three epochs: a new order each
            assert [b[0].tolist() for b in ours] == [b.tolist() for b in theirs]
        # the loops left the global stream where torch's left it
        np.testing.assert_array_equal(autograd.rand(3).data, torch.rand(3).numpy())
    g, tg = autograd.Generator().manual_seed(8), torch.Generator().manual_seed(8)
    ours = nn.DataLoader(nn.TensorDataset(data), batch_size=23, shuffle=True, generator=g)
    theirs = torch.utils.data.DataLoader(
        torch.tensor(data), batch_size=23, shuffle=True, generator=tg
    )
    for _ in range(2):
        assert next(iter(ours))[0].tolist() == next(iter(theirs)).tolist()
    seeded = nn.DataLoader(nn.TensorDataset(data), batch_size=23, shuffle=True, seed=0)
    again = nn.DataLoader(nn.TensorDataset(data), batch_size=23, shuffle=True, seed=0)
    assert next(iter(seeded))[0].tolist() == next(iter(again))[0].tolist()  # seed= as before
