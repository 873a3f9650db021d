"""nn.datasets: the Playground generators, make_moons, the shipped digits and the MNIST reader."""

import doctest
import gzip
import struct

import numpy as np
import pytest

import nn.datasets.digits
import nn.datasets.moons
import nn.datasets.playground
from nn import datasets
from nn.datasets import (
    load_digits,
    load_mnist,
    make_circle,
    make_gaussian,
    make_moons,
    make_spiral,
    make_xor,
    read_idx,
)

PLAYGROUND = [make_circle, make_xor, make_gaussian, make_spiral]
GENERATORS = PLAYGROUND + [make_moons]


def radius(X):
    return np.hypot(X[:, 0].astype(np.float64), X[:, 1].astype(np.float64))


# -- what every generator shares ----------------------------------------------------------------


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n", [0, 1, 7, 200])
def test_shapes_and_dtypes(make, n):
    X, y = make(n, noise=0.1, seed=0)
    assert X.shape == (n, 2) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(y.tolist()) <= {0, 1}
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make", GENERATORS)
def test_seed_determinism(make):
    a, b, c = make(100, 0.2, 1), make(100, 0.2, 1), make(100, 0.2, 2)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    rng1, rng2 = np.random.default_rng(9), np.random.default_rng(9)
    np.testing.assert_array_equal(make(50, 0.2, rng1)[0], make(50, 0.2, rng2)[0])


@pytest.mark.parametrize("make", GENERATORS)
def test_pm1_labels_are_the_01_labels_mapped(make):
    X01, y01 = make(60, noise=0.3, seed=4)
    Xpm, ypm = make(60, noise=0.3, seed=4, labels="pm1")
    np.testing.assert_array_equal(X01, Xpm)
    np.testing.assert_array_equal(ypm, 2 * y01 - 1)
    assert ypm.dtype == np.int64


@pytest.mark.parametrize("make", GENERATORS)
def test_shuffle_mixes_the_classes(make):
    _, y_sorted = make(100, seed=0, shuffle=False)
    _, y_mixed = make(100, seed=0)
    assert sorted(y_sorted.tolist()) == sorted(y_mixed.tolist())
    assert not np.array_equal(y_sorted, y_mixed)


@pytest.mark.parametrize("make", GENERATORS)
def test_bad_arguments(make):
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make(10, noise=-0.1)
    with pytest.raises(ValueError, match="labels must be '01' or 'pm1'"):
        make(10, labels="+-")
    with pytest.raises(TypeError, match="n_samples must be an int"):
        make(10.5)
    with pytest.raises(ValueError, match="n_samples must be >= 0"):
        make(-1)


@pytest.mark.parametrize("make", [make_circle, make_gaussian, make_spiral])
def test_balanced_classes_positive_takes_the_odd_one(make):
    assert make(200, seed=0)[1].sum() == 100
    assert make(201, seed=0)[1].sum() == 101
    _, y = make(201, seed=0, shuffle=False)
    assert y[:101].all() and not y[101:].any()


def test_xor_classes_roughly_balanced():
    _, y = make_xor(4000, seed=0)
    assert 0.45 < y.mean() < 0.55


# -- the geometry of each Playground set ---------------------------------------------------------


def test_circle_geometry_without_noise():
    X, y = make_circle(2000, seed=0)
    r = radius(X)
    assert (r[y == 1] < 2.5).all()
    assert ((r[y == 0] >= 3.5 - 1e-5) & (r[y == 0] <= 5 + 1e-5)).all()
    assert r[y == 1].max() > 2.3 and r[y == 0].min() < 3.6  # the bands are filled


def test_circle_noise_flips_labels_but_does_not_move_points():
    X, y = make_circle(2000, noise=0.5, seed=0)
    r = radius(X)
    assert ((r < 2.5) | ((r >= 3.5 - 1e-5) & (r <= 5 + 1e-5))).all()  # the same two bands
    disagree = (r < 2.5) != (y == 1)
    assert 0.05 < disagree.mean() < 0.5


def test_xor_geometry_without_noise():
    X, y = make_xor(2000, seed=0)
    assert (np.abs(X) >= 0.3 - 1e-6).all() and (np.abs(X) <= 5.3 + 1e-5).all()
    np.testing.assert_array_equal(y == 1, X[:, 0] * X[:, 1] >= 0)
    for sx in (-1, 1):
        for sy in (-1, 1):
            assert ((np.sign(X[:, 0]) == sx) & (np.sign(X[:, 1]) == sy)).sum() > 400


def test_xor_noise_flips_labels_but_does_not_move_points():
    X, y = make_xor(2000, noise=0.5, seed=0)
    assert (np.abs(X) >= 0.3 - 1e-6).all()
    disagree = (X[:, 0] * X[:, 1] >= 0) != (y == 1)
    assert 0.05 < disagree.mean() < 0.5


@pytest.mark.parametrize("noise, variance", [(0.0, 0.5), (0.25, 2.25), (0.5, 4.0)])
def test_gaussian_centres_and_variance(noise, variance):
    X, y = make_gaussian(20000, noise=noise, seed=0)
    for label, centre in [(1, 2.0), (0, -2.0)]:
        part = X[y == label].astype(np.float64)
        np.testing.assert_allclose(part.mean(axis=0), [centre, centre], atol=0.06)
        np.testing.assert_allclose(part.var(axis=0), [variance, variance], rtol=0.05)


def test_spiral_points_follow_the_formula_without_noise():
    m = 50
    X, y = make_spiral(2 * m, seed=0, shuffle=False)
    i = np.arange(m)
    r, t = 5 * i / m, 1.75 * 2 * np.pi * i / m
    positive = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    negative = np.stack([r * np.sin(t + np.pi), r * np.cos(t + np.pi)], axis=1)
    np.testing.assert_allclose(X, np.concatenate([positive, negative]), atol=1e-5)
    np.testing.assert_allclose(X[y == 0], -X[y == 1], atol=1e-5)  # the arms are point mirrors
    assert radius(X).max() < 5


def test_spiral_seed_only_shuffles_without_noise():
    a, b = make_spiral(100, seed=0), make_spiral(100, seed=1)
    key = lambda X, y: sorted(zip(X[:, 0].tolist(), X[:, 1].tolist(), y.tolist()))  # noqa: E731
    assert key(*a) == key(*b)


def test_spiral_noise_moves_points_within_the_box():
    clean, _ = make_spiral(200, seed=0, shuffle=False)
    noisy, _ = make_spiral(200, noise=0.5, seed=0, shuffle=False)
    shift = np.abs(noisy - clean)
    assert shift.max() <= 0.5 + 1e-5 and shift.mean() > 0.1


# -- make_moons against scikit-learn ------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 99, 100, (30, 70)])
def test_moons_equal_sklearn_without_noise(n):
    import sklearn.datasets as sk_datasets

    X_sk, y_sk = sk_datasets.make_moons(n, shuffle=False)
    X, y = make_moons(n, shuffle=False)
    np.testing.assert_array_equal(X, X_sk.astype(np.float32))
    np.testing.assert_array_equal(y, y_sk)
    X_shuffled, y_shuffled = make_moons(n, seed=3)  # the same points, in another order
    order_a = np.lexsort((X[:, 1], X[:, 0], y))
    order_b = np.lexsort((X_shuffled[:, 1], X_shuffled[:, 0], y_shuffled))
    np.testing.assert_array_equal(X[order_a], X_shuffled[order_b])
    np.testing.assert_array_equal(y[order_a], y_shuffled[order_b])


def test_moons_noise_is_gaussian_with_that_std():
    clean, _ = make_moons(20000, shuffle=False)
    noisy, _ = make_moons(20000, noise=0.2, seed=0, shuffle=False)
    diff = (noisy - clean).astype(np.float64)
    assert abs(diff.mean()) < 0.01
    np.testing.assert_allclose(diff.std(axis=0), [0.2, 0.2], rtol=0.03)


def test_moons_tuple_sizes():
    _, y = make_moons((3, 8), seed=0)
    assert len(y) == 11 and y.sum() == 8
    with pytest.raises(ValueError, match="two-element tuple"):
        make_moons((1, 2, 3))


# -- load_digits --------------------------------------------------------------------------------


def test_digits_equal_sklearn_exactly():
    import sklearn.datasets as sk_datasets

    sk = sk_datasets.load_digits()
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    np.testing.assert_array_equal(X.astype(np.float64), sk.data)
    np.testing.assert_array_equal(y, sk.target)
    images, y2 = load_digits(images=True)
    assert images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(images.astype(np.float64), sk.images)
    np.testing.assert_array_equal(y2, y)


def test_digits_file_is_small_and_plain():
    path = nn.datasets.digits._PATH
    assert path.parent.name == "datasets" and path.is_file()
    assert path.stat().st_size < 100_000
    with np.load(path, allow_pickle=False) as archive:  # no pickles: loads without trust
        assert sorted(archive.files) == ["images", "target"]
        assert archive["images"].dtype == np.uint8


def test_digits_are_fresh_arrays():
    X, y = load_digits()
    X[:] = -1
    assert load_digits()[0].min() == 0


# -- MNIST: read_idx and load_mnist -------------------------------------------------------------


def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    dtype = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    header = struct.pack(">BBBB", 0, 0, code, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=dtype).tobytes()


def write_mnist(folder, images, labels, prefix="train", gz=False):
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if gz else ""
    for name, data in [
        (f"{prefix}-images-idx3-ubyte", idx_bytes(images)),
        (f"{prefix}-labels-idx1-ubyte", idx_bytes(labels)),
    ]:
        (folder / (name + suffix)).write_bytes(gzip.compress(data) if gz else data)


def fake_digits(n, rows=28, columns=28, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, rows, columns), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n).astype(np.uint8)
    return images, labels


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist_reads_idx_files(tmp_path, gz):
    images, labels = fake_digits(5)
    write_mnist(tmp_path, images, labels, gz=gz)
    X, y = load_mnist(tmp_path)
    assert X.shape == (5, 28, 28) and X.dtype == np.uint8
    assert y.shape == (5,) and y.dtype == np.int64
    np.testing.assert_array_equal(X, images)
    np.testing.assert_array_equal(y, labels)
    X[0, 0, 0] ^= 1  # writable


def test_load_mnist_test_split_other_size_and_str_root(tmp_path):
    train, test = fake_digits(4, seed=1), fake_digits(3, rows=7, columns=5, seed=2)
    write_mnist(tmp_path, *train, gz=True)
    write_mnist(tmp_path, *test, prefix="t10k")
    X, y = load_mnist(str(tmp_path), train=False)
    assert X.shape == (3, 7, 5)
    np.testing.assert_array_equal(X, test[0])
    np.testing.assert_array_equal(y, test[1])
    assert load_mnist(tmp_path, train=True)[0].shape == (4, 28, 28)


def test_load_mnist_finds_the_torchvision_layout(tmp_path):
    images, labels = fake_digits(2)
    write_mnist(tmp_path / "MNIST" / "raw", images, labels, gz=True)
    np.testing.assert_array_equal(load_mnist(tmp_path)[0], images)


def test_load_mnist_missing_files_say_what_to_put_where(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        load_mnist(tmp_path / "data")
    message = str(info.value)
    assert "train-images-idx3-ubyte" in message and "train-labels-idx1-ubyte.gz" in message
    assert str(tmp_path / "data") in message
    assert "LeCun" in message and "mirror" in message
    images, labels = fake_digits(2)
    write_mnist(tmp_path, images, labels)
    (tmp_path / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match=r"cannot find train-labels-idx1-ubyte or"):
        load_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"t10k-images-idx3-ubyte.*t10k-labels"):
        load_mnist(tmp_path, train=False)


def test_corrupt_files_raise_clear_errors(tmp_path):
    images, labels = fake_digits(3)
    good = idx_bytes(images)
    path = tmp_path / "f"
    cases = [
        (good[:-10], r"truncated IDX file.*\(3, 28, 28\).*2352 bytes of data.*2342"),
        (good + b"\x00", r"holds 2353"),
        (b"\x08\x03" + good[2:], r"not an IDX file.*08 03 08 03"),
        (b"\x00\x00\x07\x03" + good[4:], r"not an IDX file"),
        (b"", r"missing \(empty file\)"),
        (good[:9], r"header announces 3 dimensions \(16 bytes of header\).*only 9 bytes"),
        (gzip.compress(good)[:-20], r"corrupt gzip file"),
    ]
    for content, pattern in cases:
        path.write_bytes(content)
        with pytest.raises(ValueError, match=pattern) as info:
            read_idx(path)
        assert str(path) in str(info.value)


def test_load_mnist_checks_images_against_labels(tmp_path):
    images, labels = fake_digits(3)
    write_mnist(tmp_path, images, labels[:2])
    with pytest.raises(ValueError, match="holds 3 images but train-labels-idx1-ubyte holds 2"):
        load_mnist(tmp_path)
    write_mnist(tmp_path, images[:, 0], labels)  # a 2-D "images" file
    with pytest.raises(ValueError, match=r"expected uint8 images of shape \(n, rows, columns\)"):
        load_mnist(tmp_path)


@pytest.mark.parametrize("code", [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E])
def test_read_idx_types_in_native_byte_order(tmp_path, code):
    array = np.arange(-6, 6).reshape(3, 4)
    if code == 0x08:
        array = array + 6
    path = tmp_path / "x.idx"
    path.write_bytes(idx_bytes(array, code))
    out = read_idx(path)
    assert out.dtype.isnative and out.shape == (3, 4)
    np.testing.assert_array_equal(out, array)


def test_docstring_examples():
    for module in (nn.datasets.playground, nn.datasets.moons, nn.datasets.digits):
        assert doctest.testmod(module).failed == 0, module.__name__
    assert sorted(datasets.__all__) == sorted(
        ["load_digits", "load_mnist", "make_circle", "make_gaussian", "make_moons"]
        + ["make_spiral", "make_xor", "read_idx"]
    )
