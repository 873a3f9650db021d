"""nn.data: Dataset, TensorDataset, Subset, random_split and DataLoader (PyTorch semantics)."""

import doctest
import warnings

import numpy as np
import pytest

import nn.data
from autograd import Tensor
from nn.data import DataLoader, Dataset, Subset, TensorDataset, random_split


def make_xy(n=10):
    X = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n, dtype=np.int64)
    return X, y


def epoch_ids(loader):
    """The sample ids (the y values) in the order one epoch visits them."""
    return np.concatenate([yb.data for _, yb in loader]).tolist()


# -- TensorDataset ------------------------------------------------------------------------------


def test_tensor_dataset_items_are_tuples_of_tensors():
    X, y = make_xy()
    ds = TensorDataset(Tensor(X), y)
    assert len(ds) == 10
    x3, y3 = ds[3]
    assert isinstance(ds[3], tuple)
    assert isinstance(x3, Tensor) and isinstance(y3, Tensor)
    np.testing.assert_array_equal(x3.data, X[3])
    assert y3.data.dtype == np.int64 and y3.item() == 3
    assert ds[-1][1].item() == 9
    assert all(isinstance(t, Tensor) for t in ds.tensors)


def test_tensor_dataset_keeps_array_dtypes_and_converts_lists():
    ds = TensorDataset(np.zeros((4, 2), np.float64), [[1.0], [2.0], [3.0], [4.0]], [0, 1, 0, 1])
    a, b, c = ds.tensors
    assert a.dtype == np.float64  # an ndarray keeps its dtype, as torch.from_numpy
    assert b.dtype == np.float32 and c.dtype == np.int64  # lists follow Tensor's defaults


def test_tensor_dataset_size_mismatch_names_the_sizes():
    with pytest.raises(ValueError, match=r"Size mismatch between tensors.*100, 99.*\(100, 2\)"):
        TensorDataset(np.zeros((100, 2)), np.zeros(99))


def test_tensor_dataset_rejects_no_tensors_and_0d():
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()
    with pytest.raises(ValueError, match="tensor 1 is 0-d"):
        TensorDataset(np.zeros(3), np.float32(1.0))


def test_dataset_base_requires_getitem_and_len():
    class Empty(Dataset):
        pass

    with pytest.raises(NotImplementedError, match="Empty must define __getitem__"):
        Empty()[0]
    with pytest.raises(NotImplementedError, match="__len__"):
        len(Empty())


# -- DataLoader ---------------------------------------------------------------------------------


def test_loader_batch_shapes_dtypes_and_partial_last_batch():
    X, y = make_xy(10)
    loader = DataLoader(TensorDataset(X, y), batch_size=4)
    batches = list(loader)
    assert len(loader) == len(batches) == 3
    assert [xb.shape for xb, _ in batches] == [(4, 3), (4, 3), (2, 3)]
    for xb, yb in batches:
        assert isinstance(xb, Tensor) and isinstance(yb, Tensor)
        assert xb.dtype == np.float32 and yb.dtype == np.int64
        assert not xb.requires_grad
    assert isinstance(batches[0], list)  # as torch's default collate
    np.testing.assert_array_equal(np.concatenate([xb.data for xb, _ in batches]), X)
    assert epoch_ids(loader) == list(range(10))


def test_loader_drop_last():
    ds = TensorDataset(*make_xy(10))
    loader = DataLoader(ds, batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [xb.shape[0] for xb, _ in loader] == [4, 4]
    assert len(DataLoader(ds, batch_size=5, drop_last=True)) == 2  # exact fit drops nothing
    assert len(DataLoader(ds, batch_size=11, drop_last=True)) == 0
    assert list(DataLoader(ds, batch_size=11, drop_last=True)) == []
    assert len(DataLoader(ds, batch_size=11)) == 1
    assert len(DataLoader(ds)) == 10


def test_loader_batches_do_not_alias_the_dataset():
    X, y = make_xy(6)
    xb, _ = next(iter(DataLoader(TensorDataset(X, y), batch_size=3)))
    xb.data[...] = -1
    assert X.min() == 0


def test_shuffle_visits_every_sample_once_per_epoch_in_new_orders():
    ds = TensorDataset(*make_xy(50))
    loader = DataLoader(ds, batch_size=8, shuffle=True, seed=0)
    epochs = [epoch_ids(loader) for _ in range(3)]
    for ids in epochs:
        assert sorted(ids) == list(range(50))
    assert epochs[0] != epochs[1] != epochs[2]
    assert epochs[0] != list(range(50))


def test_shuffle_is_deterministic_given_the_seed():
    ds = TensorDataset(*make_xy(50))
    a = DataLoader(ds, batch_size=8, shuffle=True, seed=123)
    b = DataLoader(ds, batch_size=8, shuffle=True, seed=123)
    c = DataLoader(ds, batch_size=8, shuffle=True, seed=124)
    first_a, first_b = [epoch_ids(a) for _ in range(2)], [epoch_ids(b) for _ in range(2)]
    assert first_a == first_b
    assert epoch_ids(c) != first_a[0]
    g1, g2 = np.random.default_rng(7), np.random.default_rng(7)
    assert epoch_ids(DataLoader(ds, 5, shuffle=True, seed=g1)) == epoch_ids(
        DataLoader(ds, 5, shuffle=True, seed=g2)
    )


def test_shuffle_with_drop_last_drops_a_different_remainder():
    ds = TensorDataset(*make_xy(10))
    loader = DataLoader(ds, batch_size=3, shuffle=True, drop_last=True, seed=1)
    seen = [epoch_ids(loader) for _ in range(5)]
    assert all(len(ids) == 9 and len(set(ids)) == 9 for ids in seen)
    assert len({tuple(sorted(ids)) for ids in seen}) > 1


def test_loader_over_generic_dataset_stacks_items():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": np.full((2, 2), i, np.float64), "i": i, "s": float(i) ** 2}

    batches = list(DataLoader(Squares(), batch_size=2))
    assert len(batches) == 3
    first = batches[0]
    assert first["x"].shape == (2, 2, 2) and first["x"].dtype == np.float64
    assert first["i"].dtype == np.int64 and first["i"].tolist() == [0, 1]
    assert first["s"].dtype == np.float32 and first["s"].tolist() == [0.0, 1.0]
    assert batches[-1]["x"].shape == (1, 2, 2)


def test_loader_over_tuple_items_of_tensors_and_a_python_list():
    items = [(Tensor([float(i), 0.0]), i % 2) for i in range(7)]
    xb, yb = next(iter(DataLoader(items, batch_size=7)))
    assert xb.shape == (7, 2) and xb.dtype == np.float32
    assert yb.tolist() == [0, 1, 0, 1, 0, 1, 0] and yb.dtype == np.int64


def test_loader_generic_ragged_items_give_a_clear_error():
    items = [np.zeros(2), np.zeros(3)]
    with pytest.raises(ValueError, match=r"shapes differ.*\(2,\).*\(3,\)"):
        next(iter(DataLoader(items, batch_size=2)))


def test_loader_fast_path_matches_generic_path():
    X, y = make_xy(23)

    class Plain(Dataset):  # same items, no fast path
        def __len__(self):
            return len(y)

        def __getitem__(self, i):
            return Tensor(X[i]), Tensor(y[i])

    assert nn.data._tensor_arrays(Plain()) is None
    assert nn.data._tensor_arrays(TensorDataset(X, y)) is not None
    fast = DataLoader(TensorDataset(X, y), batch_size=5, shuffle=True, seed=3)
    slow = DataLoader(Plain(), batch_size=5, shuffle=True, seed=3)
    for (xf, yf), (xs, ys) in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(xf.data, xs.data)
        np.testing.assert_array_equal(yf.data, ys.data)
        assert xf.dtype == xs.dtype and yf.dtype == ys.dtype


def test_loader_over_subsets_uses_the_right_rows():
    X, y = make_xy(30)
    base = TensorDataset(X, y)
    inner = Subset(base, list(range(29, -1, -1)))  # reversed
    outer = Subset(inner, [0, 5, 7])
    assert nn.data._tensor_arrays(outer) is not None
    xb, yb = next(iter(DataLoader(outer, batch_size=3)))
    assert yb.tolist() == [29, 24, 22]
    np.testing.assert_array_equal(xb.data, X[[29, 24, 22]])


def test_loader_rejects_bad_batch_size():
    ds = TensorDataset(*make_xy(4))
    with pytest.raises(ValueError, match="positive integer.*batch_size=0"):
        DataLoader(ds, batch_size=0)
    with pytest.raises(TypeError, match="positive integer"):
        DataLoader(ds, batch_size=2.5)


# -- Subset and random_split --------------------------------------------------------------------


def test_subset_indexes_through():
    ds = TensorDataset(*make_xy(10))
    sub = Subset(ds, [4, 0, 2])
    assert len(sub) == 3
    assert sub[1][1].item() == 0
    assert [item[1].item() for item in sub[[0, 2]]] == [4, 2]


def test_random_split_sizes_disjoint_and_complete():
    ds = TensorDataset(*make_xy(100))
    parts = random_split(ds, [70, 20, 10], seed=0)
    assert [len(p) for p in parts] == [70, 20, 10]
    assert all(isinstance(p, Subset) and p.dataset is ds for p in parts)
    ids = [i for p in parts for i in p.indices]
    assert sorted(ids) == list(range(100))
    assert ids != list(range(100))  # shuffled


def test_random_split_is_deterministic_given_the_seed():
    ds = range(50)
    a = [p.indices for p in random_split(ds, [25, 25], seed=5)]
    b = [p.indices for p in random_split(ds, [25, 25], seed=5)]
    c = [p.indices for p in random_split(ds, [25, 25], seed=6)]
    assert a == b and a != c


def test_random_split_fractions_as_torch():
    # floor(frac * n) each, then the remainder round-robin from the first split: torch 2.x
    assert [len(p) for p in random_split(range(10), [0.8, 0.2], seed=0)] == [8, 2]
    assert [len(p) for p in random_split(range(30), [0.3, 0.3, 0.4], seed=0)] == [9, 9, 12]
    assert [len(p) for p in random_split(range(11), [0.5, 0.5], seed=0)] == [6, 5]
    assert [len(p) for p in random_split(range(7), [1 / 3, 1 / 3, 1 / 3], seed=0)] == [3, 2, 2]


def test_random_split_fraction_sizes_match_torch():
    import torch.utils.data

    for n, fracs in [
        (10, [0.8, 0.2]),
        (30, [0.3, 0.3, 0.4]),
        (101, [0.1, 0.2, 0.7]),
        (7, [0.5] * 2),
    ]:
        ours = [len(p) for p in random_split(range(n), fracs, seed=0)]
        theirs = [len(p) for p in torch.utils.data.random_split(range(n), fracs)]
        assert ours == theirs, (n, fracs)


def test_random_split_warns_on_an_empty_split():
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        parts = random_split(range(1), [0.5, 0.5], seed=0)
    assert [len(p) for p in parts] == [1, 0]


def test_random_split_errors_name_the_lengths():
    with pytest.raises(ValueError, match=r"Sum of input lengths.*\[3, 4\].*sum 7.*length 10"):
        random_split(range(10), [3, 4])
    with pytest.raises(ValueError, match=r"\[0.5, 0.3\]"):
        random_split(range(10), [0.5, 0.3])
    with pytest.raises(ValueError, match=r"non-negative sample counts.*\[12, -2\]"):
        random_split(range(10), [12, -2])
    with pytest.raises(ValueError, match=r"fraction at index 0 \(1.5\) is not between 0 and 1"):
        random_split(range(10), [1.5, -0.5])


def test_random_split_then_loader():
    X, y = make_xy(40)
    train, test = random_split(TensorDataset(X, y), [0.75, 0.25], seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        train_ids = epoch_ids(DataLoader(train, batch_size=7, shuffle=True, seed=0))
        test_ids = epoch_ids(DataLoader(test, batch_size=7))
    assert len(train_ids) == 30 and len(test_ids) == 10
    assert sorted(train_ids + test_ids) == list(range(40))
    assert test_ids == list(test.indices)


def test_docstring_examples():
    assert doctest.testmod(nn.data).failed == 0
