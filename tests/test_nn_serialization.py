"""nn.save / nn.load: round trips of state dicts and nested state, and refusal of anything else.

A weights file is an ``.npz`` read with ``allow_pickle=False``: the malicious files below would
create a marker file if anything in them were unpickled, and the tests check it never appears.
"""

import io
import json
import math
import os
import pickle
import random
import tracemalloc
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
import torch

import nn
from autograd import Tensor
from nn import MLP, Module, Parameter, Sequential
from nn.serialization import METADATA_KEY


class Linear(Module):
    def __init__(self, i, o):
        super().__init__()
        self.weight = Parameter(np.random.randn(o, i).astype(np.float32))
        self.bias = Parameter(np.random.randn(o).astype(np.float32))


class Stats(Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("running_mean", Tensor(np.arange(3, dtype=np.float32)))
        self.register_buffer("num_batches_tracked", Tensor(np.array(7, dtype=np.int64)))


class CreatesMarker:
    """Unpickling this calls ``open(marker, "w")``, which creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def assert_same(a, b):
    assert type(a) is type(b) or (isinstance(b, Tensor) and type(a) is Tensor)
    if isinstance(b, Tensor):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a.data, b.data)
    elif isinstance(b, dict):
        assert list(a) == list(b)
        for key in b:
            assert_same(a[key], b[key])
    elif isinstance(b, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(b, float) and math.isnan(b):
        assert math.isnan(a)
    else:
        assert a == b


# -- round trips ---------------------------------------------------------------------------------


def test_state_dict_round_trip_into_a_fresh_model(tmp_path):
    model = Sequential(Linear(3, 4), Stats(), Linear(4, 2))
    path = tmp_path / "model.weights"
    nn.save(model.state_dict(), path)
    assert os.listdir(tmp_path) == ["model.weights"]  # written where asked, no suffix added
    loaded = nn.load(path)
    assert isinstance(loaded, OrderedDict)
    assert list(loaded) == list(model.state_dict())
    assert all(type(v) is Tensor for v in loaded.values())
    assert loaded["1.num_batches_tracked"].dtype == np.int64
    assert loaded["1.num_batches_tracked"].shape == ()

    fresh = Sequential(Linear(3, 4), Stats(), Linear(4, 2))
    fresh.load_state_dict(loaded)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[key].data, value.data)


def test_file_is_a_plain_npz_with_readable_names(tmp_path):
    path = str(tmp_path / "w.npz")
    nn.save({"0.weight": np.eye(2, dtype=np.float32), "0.bias": np.zeros(2)}, path)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["0.bias", "0.weight", METADATA_KEY]
        np.testing.assert_array_equal(archive["0.weight"], np.eye(2))
        meta = json.loads(str(archive[METADATA_KEY]))
    assert meta["magic"] == "chainrule.nn.save" and meta["version"] == 1


def test_scalar_mlp_state_dict_round_trip(tmp_path):
    random.seed(0)
    model = MLP(2, [3, 1])
    nn.save(model.state_dict(), tmp_path / "mlp.npz")
    random.seed(1)
    other = MLP(2, [3, 1])
    other.load_state_dict(nn.load(tmp_path / "mlp.npz"))
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]


def test_nested_optimizer_like_state_round_trips():
    state = {
        "state": {
            0: {"step": Tensor(np.array(3.0, np.float32)), "exp_avg": np.ones((2, 2))},
            1: {"momentum_buffer": None},
        },
        "param_groups": [
            {
                "lr": 0.001,
                "betas": (0.9, 0.999),
                "eps": 1e-8,
                "weight_decay": 0,
                "amsgrad": False,
                "name": "body",
                "params": [0, 1],
                "max_norm": float("inf"),
                "unset": float("nan"),
            }
        ],
        "keys/with%odd/names": Parameter([1.0, 2.0]),
        "file": np.zeros(1),  # np.savez's own argument names
        "allow_pickle": np.ones(1),
        METADATA_KEY: np.full(1, 2.0),
        "flags": np.array([True, False]),
        "big": 2**70,
        "scalar": np.float64(2.5),
    }
    buffer = io.BytesIO()
    nn.save(state, buffer)
    buffer.seek(0)
    loaded = nn.load(buffer)
    expected = dict(state)
    expected["state"] = {
        0: {"step": state["state"][0]["step"], "exp_avg": Tensor(np.ones((2, 2)))},
        1: {"momentum_buffer": None},
    }
    expected["file"] = Tensor(np.zeros(1))
    expected["allow_pickle"] = Tensor(np.ones(1))
    expected[METADATA_KEY] = Tensor(np.full(1, 2.0))
    expected["flags"] = Tensor(np.array([True, False]))
    expected["scalar"] = Tensor(np.array(2.5))
    expected["keys/with%odd/names"] = Tensor(np.array([1.0, 2.0], np.float32))
    assert_same(loaded, expected)
    assert list(loaded["state"]) == [0, 1]  # int keys stay ints
    assert isinstance(loaded["param_groups"][0]["betas"], tuple)
    assert type(loaded) is dict


def test_save_refuses_what_would_need_a_pickle():
    with pytest.raises(TypeError, match="array of Python objects"):
        nn.save({"w": np.array([object()], dtype=object)}, io.BytesIO())
    with pytest.raises(TypeError, match="cannot save Linear at model"):
        nn.save({"model": Linear(1, 1)}, io.BytesIO())
    with pytest.raises(TypeError, match="keys must be str or int"):
        nn.save({("a", 1): np.zeros(1)}, io.BytesIO())


# -- refusals ------------------------------------------------------------------------------------


def test_a_pickle_with_a_malicious_reduce_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "weights.pt"
    with open(path, "wb") as f:
        pickle.dump({"0.weight": CreatesMarker(marker)}, f)
    with pytest.raises(ValueError, match="not a chainrule weights file.*looks like a pickle"):
        nn.load(path)
    assert not marker.exists()
    # the same payload inside an npz's object array, with valid metadata pointing at it
    crafted = tmp_path / "crafted.npz"
    meta = json.dumps({"magic": "chainrule.nn.save", "version": 1, "structure": {"array": "w"}})
    with open(crafted, "wb") as f:
        np.savez(f, **{METADATA_KEY: np.array(meta), "w": np.array([CreatesMarker(marker)])})
    with pytest.raises(ValueError, match="not a chainrule weights file.*Object arrays"):
        nn.load(crafted)
    assert not marker.exists()
    # ... and as the metadata entry itself
    with open(crafted, "wb") as f:
        np.savez(f, **{METADATA_KEY: np.array([CreatesMarker(marker)], dtype=object)})
    with pytest.raises(ValueError, match="not a chainrule weights file"):
        nn.load(crafted)
    assert not marker.exists()
    with open(crafted, "rb") as f:  # the payload really is live: numpy would run it if asked
        np.load(f, allow_pickle=True)[METADATA_KEY][0].close()
    assert marker.exists()


def test_an_npz_with_an_object_array_is_refused(tmp_path):
    path = tmp_path / "objects.npz"
    meta = json.dumps({"magic": "chainrule.nn.save", "version": 1, "structure": {"array": "w"}})
    with open(path, "wb") as f:
        np.savez(f, **{METADATA_KEY: np.array(meta), "w": np.array([{"a": 1}, None])})
    with pytest.raises(ValueError, match="entry 'w'.*Object arrays cannot be loaded"):
        nn.load(path)


def test_a_truncated_file_is_refused(tmp_path):
    path = tmp_path / "w.npz"
    nn.save({"w": np.random.randn(50, 50)}, path)
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 10):
        path.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="truncated or corrupt"):
            nn.load(path)


def test_random_bytes_and_empty_files_are_refused(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "noise.bin"
    path.write_bytes(rng.bytes(4096))
    with pytest.raises(ValueError, match="not a chainrule weights file.*not a zip archive"):
        nn.load(path)
    path.write_bytes(b"PK\x03\x04" + rng.bytes(4096))  # a zip header, then noise
    with pytest.raises(ValueError, match="truncated or corrupt"):
        nn.load(path)
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="it is empty"):
        nn.load(path)
    with open(path, "wb") as f:  # a .npy file
        np.save(f, np.zeros(3))
    with pytest.raises(ValueError, match="single .npy array"):
        nn.load(path)


def test_other_zip_files_are_refused(tmp_path):
    plain = tmp_path / "plain.npz"
    with open(plain, "wb") as f:
        np.savez(f, weight=np.zeros(2))
    with pytest.raises(ValueError, match=f"no '{METADATA_KEY}' entry"):
        nn.load(plain)
    torch_file = tmp_path / "model.pt"
    torch.save(torch.nn.Linear(2, 2).state_dict(), torch_file)
    with pytest.raises(ValueError, match="not a chainrule weights file"):
        nn.load(torch_file)
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ValueError, match="not a chainrule weights file"):
        nn.load(tmp_path / "other.zip")


@pytest.mark.parametrize(
    "meta, match",
    [
        ({"magic": "something.else", "version": 1, "structure": None}, "wrong magic"),
        ({"magic": "chainrule.nn.save", "version": 99, "structure": None}, "version 99"),
        ({"magic": "chainrule.nn.save", "version": 1, "structure": {"array": "x"}}, "missing"),
        ({"magic": "chainrule.nn.save", "version": 1, "structure": {"eval": "1"}}, "unreadable"),
    ],
)
def test_bad_metadata_is_refused(tmp_path, meta, match):
    path = tmp_path / "bad.npz"
    with open(path, "wb") as f:
        np.savez(f, **{METADATA_KEY: np.array(json.dumps(meta))})
    with pytest.raises(ValueError, match=match):
        nn.load(path)


# -- crafted files: refused by size before anything large is allocated ---------------------------

CLAIMED_ELEMENTS = 10**13  # 80 TB of float64


def _meta(structure) -> bytes:
    """The bytes of a ``__chainrule__.npy`` member holding valid metadata for ``structure``."""
    out = io.BytesIO()
    meta = {"magic": "chainrule.nn.save", "version": 1, "structure": structure}
    np.save(out, np.array(json.dumps(meta)))
    return out.getvalue()


def _npy_header(shape, descr="<f8") -> bytes:
    out = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(out, header)
    return out.getvalue()


def _peak_bytes_of(call) -> tuple[int, str]:
    """Run ``call``, which must raise ValueError; return tracemalloc's peak and the message."""
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as caught:
            call()
        return tracemalloc.get_traced_memory()[1], str(caught.value)
    finally:
        tracemalloc.stop()


def test_a_header_claiming_terabytes_is_refused_without_allocating(tmp_path):
    path = tmp_path / "claims.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(METADATA_KEY + ".npy", _meta({"array": "w"}))
        z.writestr("w.npy", _npy_header((CLAIMED_ELEMENTS,)) + bytes(1024))
    assert path.stat().st_size < 3000
    peak, message = _peak_bytes_of(lambda: nn.load(path))
    assert peak < 10**7
    assert "entry 'w' claims shape (10000000000000,)" in message
    assert "max_bytes=268,435,456" in message
    # under a huge limit the header still cannot claim more than the member holds
    peak, message = _peak_bytes_of(lambda: nn.load(path, max_bytes=10**15))
    assert peak < 10**7
    assert "not a chainrule weights file" in message and "declares 1,024 bytes" in message


def test_a_zip_member_declaring_gigabytes_is_refused_before_decompressing(tmp_path):
    # a 389 KB deflated member that inflates to 400 MB of zeros: a real float64 array of 50e6
    path = tmp_path / "bomb.npz"
    n = 50_000_000
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(METADATA_KEY + ".npy", _meta({"array": "w"}))
        with z.open("w.npy", "w", force_zip64=True) as member:
            member.write(_npy_header((n,)))
            chunk = bytes(1 << 22)
            for _ in range(8 * n // len(chunk)):
                member.write(chunk)
            member.write(bytes(8 * n % len(chunk)))
    assert path.stat().st_size < 500_000
    peak, message = _peak_bytes_of(lambda: nn.load(path))
    assert peak < 10**7
    assert "entry 'w' is declared as 400,000,128 bytes uncompressed" in message
    assert "max_bytes" in message


def test_max_bytes_counts_all_arrays_and_can_be_raised(tmp_path):
    path = tmp_path / "w.npz"
    weights = {"a": np.ones(1000), "b": np.ones(1000)}  # 8,000 bytes each
    nn.save(weights, path)
    with pytest.raises(ValueError, match=r"entry 'b' claims shape \(1000,\).*max_bytes=12,000"):
        nn.load(path, max_bytes=12_000)
    loaded = nn.load(path, max_bytes=17_000)
    np.testing.assert_array_equal(loaded["b"].data, weights["b"])
    with pytest.raises(ValueError, match="max_bytes must be a non-negative int"):
        nn.load(path, max_bytes=-1)


def test_a_fortran_ordered_member_loads_in_its_order(tmp_path):
    path = tmp_path / "f.npz"
    array = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    nn.save({"w": array}, path)
    np.testing.assert_array_equal(nn.load(path)["w"].data, array)


@pytest.mark.parametrize("key", [[1, 2], {"a": 1}, True, 1.5, None])
def test_a_metadata_dict_key_that_is_not_str_or_int_is_refused(tmp_path, key):
    path = tmp_path / "key.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(METADATA_KEY + ".npy", _meta({"dict": [[key, 1]]}))
    with pytest.raises(ValueError, match="not a chainrule weights file.*a dict key"):
        nn.load(path)
