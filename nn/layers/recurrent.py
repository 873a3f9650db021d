"""Recurrent layers, PyTorch's: ``RNN`` (tanh or relu), ``LSTM`` and ``GRU``.

Each is a loop over time of one cell, written with ``F.linear``, ``sigmoid``, ``tanh`` and
slicing, so gradients (through time, to the inputs, the initial states and every weight) and
second derivatives come from those operations. The input projection of all the time steps is
one ``F.linear`` call before the loop; only the hidden-to-hidden product is per step.

Parameter names, shapes, gate order and initialisation are torch's, so state dicts load both
ways: for layer ``k`` (and direction suffix ``""`` or ``"_reverse"``) ``weight_ih_l{k}``
``(G, input)``, ``weight_hh_l{k}`` ``(G, H_out)``, ``bias_ih_l{k}``, ``bias_hh_l{k}`` ``(G,)``
and, for an LSTM with ``proj_size``, ``weight_hr_l{k}`` ``(proj_size, H)``; ``G`` is ``H``
(RNN), ``4H`` (LSTM: input, forget, cell, output gates) or ``3H`` (GRU: reset, update, new). All
are drawn from ``U(-1/sqrt(H), 1/sqrt(H))``.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from autograd import Tensor, cat, stack, zeros

from .. import functional as F
from .. import init
from ..functional._checks import tensor as tensor_argument
from ..module import Module
from ..parameter import Parameter
from ._factory import float_dtype

__all__ = ["GRU", "LSTM", "RNN", "RNNBase"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


class RNNBase(Module):
    """What ``RNN``, ``LSTM`` and ``GRU`` share: parameters, checks, the loop over layers.

    ``mode`` is torch's: ``"RNN_TANH"``, ``"RNN_RELU"``, ``"LSTM"`` or ``"GRU"``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> lstm = nn.LSTM(4, 8, num_layers=2, batch_first=True)
    >>> isinstance(lstm, nn.RNNBase), [name for name, _ in lstm.named_parameters()][:4]
    (True, ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'])
    """

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if mode not in _GATES:
            raise ValueError(f"Unrecognized RNN mode: {mode}")
        name = {"RNN_TANH": "RNN", "RNN_RELU": "RNN"}.get(mode, mode)
        dtype = float_dtype(dtype, device, name)
        if (
            not isinstance(dropout, numbers.Number)
            or isinstance(dropout, bool)
            or not 0 <= dropout <= 1
        ):
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of an "
                "element being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                "dropout expects num_layers greater than 1, but got "
                f"dropout={dropout} and num_layers={num_layers}",
                UserWarning,
                stacklevel=3,
            )
        for what, value in (("hidden_size", hidden_size), ("num_layers", num_layers)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{what} should be of type int, got: {type(value).__name__}")
            if value <= 0:
                raise ValueError(f"{what} must be greater than zero")
        if proj_size < 0:
            raise ValueError(
                "proj_size should be a positive integer or zero to disable projections"
            )
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        directions = 2 if bidirectional else 1
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names = []
        for layer in range(num_layers):
            for direction in range(directions):
                layer_input = input_size if layer == 0 else real_hidden * directions
                suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
                shapes = [
                    ("weight_ih", (gate_size, layer_input)),
                    ("weight_hh", (gate_size, real_hidden)),
                ]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size > 0:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                for stem, shape in shapes:
                    setattr(self, stem + suffix, Parameter(np.empty(shape, dtype=dtype)))
                    self._flat_weights_names.append(stem + suffix)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> gru = nn.GRU(2, 4)
        >>> gru.reset_parameters()
        >>> bool(gru.weight_hh_l0.abs().max() <= 0.5), gru.weight_ih_l0.shape
        (True, (12, 2))
        """
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text

    # -- the forward pass ------------------------------------------------------------------------

    def _layer_weights(self, layer: int, direction: int) -> dict:
        suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
        return {
            stem: getattr(self, stem + suffix, None)
            for stem in ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")
        }

    def _check_input(self, input) -> Tensor:
        input = tensor_argument(type(self).__name__, input)
        if input.ndim not in (2, 3):
            raise ValueError(
                f"{type(self).__name__}: Expected input to be 2D or 3D, got {input.ndim}D instead"
            )
        return input

    def _check_input_size(self, input: Tensor) -> None:
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                "input.size(-1) must be equal to input_size. Expected "
                f"{self.input_size}, got {input.shape[-1]}"
            )

    def _check_hidden(self, hx: Tensor, expected: tuple, message: str) -> None:
        if tuple(hx.shape) != expected:
            raise RuntimeError(message.format(expected, list(hx.shape)))

    def _run(self, x: Tensor, h0: Tensor, c0: Tensor | None):
        """Sequence-first ``x`` ``(L, N, I)``; returns output, and the final h (and c) stacked."""
        directions = 2 if self.bidirectional else 1
        layer_input, h_n, c_n = x, [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                weights = self._layer_weights(layer, direction)
                state = (h0[index], None if c0 is None else c0[index])
                sequence, (h, c) = self._direction(layer_input, state, weights, direction == 1)
                outputs.append(sequence)
                h_n.append(h)
                c_n.append(c)
            layer_input = outputs[0] if directions == 1 else cat(outputs, -1)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, True)
        return layer_input, stack(h_n, 0), (None if c0 is None else stack(c_n, 0))

    def _direction(self, x: Tensor, state: tuple, weights: dict, reverse: bool):
        """One layer in one direction over the sequence ``x`` ``(L, N, I)``."""
        projected = F.linear(x, weights["weight_ih"], weights["bias_ih"])  # (L, N, G), at once
        length = x.shape[0]
        outputs = [None] * length
        h, c = state
        for t in reversed(range(length)) if reverse else range(length):
            hidden = F.linear(h, weights["weight_hh"], weights["bias_hh"])
            h, c = self._cell(projected[t], hidden, h, c, weights)
            outputs[t] = h
        return stack(outputs, 0), (h, c)

    def _cell(self, gi: Tensor, gh: Tensor, h: Tensor, c, weights: dict):
        """One time step from the input part ``gi`` and the hidden part ``gh`` of the gates."""
        size = self.hidden_size
        if self.mode == "RNN_TANH":
            return (gi + gh).tanh(), None
        if self.mode == "RNN_RELU":
            return (gi + gh).relu(), None
        if self.mode == "LSTM":  # gates in torch's order: input, forget, cell, output
            gates = gi + gh
            i = gates[:, :size].sigmoid()
            f = gates[:, size : 2 * size].sigmoid()
            g = gates[:, 2 * size : 3 * size].tanh()
            o = gates[:, 3 * size :].sigmoid()
            c = f * c + i * g
            h = o * c.tanh()
            if weights["weight_hr"] is not None:
                h = F.linear(h, weights["weight_hr"])
            return h, c
        # GRU, torch's order reset, update, new: n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
        r = (gi[:, :size] + gh[:, :size]).sigmoid()
        z = (gi[:, size : 2 * size] + gh[:, size : 2 * size]).sigmoid()
        n = (gi[:, 2 * size :] + r * gh[:, 2 * size :]).tanh()
        return (h - n) * z + n, None  # (1 - z) * n + z * h, in torch's order of operations

    def _prepare(self, input: Tensor):
        """``input`` as sequence-first and batched; whether it was batched."""
        batched = input.ndim == 3
        if not batched:
            input = input.unsqueeze(1)
        elif self.batch_first:
            input = input.transpose(0, 1)
        return input, batched

    def _finish(self, output: Tensor, batched: bool) -> Tensor:
        if not batched:
            return output.squeeze(1)
        return output.transpose(0, 1) if self.batch_first else output

    def _state_shape(self, batch: int, size: int) -> tuple:
        return ((2 if self.bidirectional else 1) * self.num_layers, batch, size)

    def _initial(self, hx, batched: bool, batch: int, size: int, dtype, what: str, message: str):
        """The initial state (zeros when None), batched, its shape checked."""
        expected = self._state_shape(batch, size)
        if hx is None:
            return zeros(*expected, dtype=dtype)
        hx = tensor_argument(type(self).__name__, hx, what)
        if not batched:
            hx = hx.unsqueeze(1)
        self._check_hidden(hx, expected, message)
        return hx


class _SimpleRecurrent(RNNBase):
    """``RNN`` and ``GRU``: one hidden state ``hx``."""

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        input = self._check_input(input)
        if hx is not None:
            hx = tensor_argument(type(self).__name__, hx, "hx")
            wanted = 3 if input.ndim == 3 else 2
            if hx.ndim != wanted:
                kind = "batched 3-D" if wanted == 3 else "unbatched 2-D"
                raise RuntimeError(
                    f"For {kind} input, hx should also be {wanted}-D but got {hx.ndim}-D tensor"
                )
        self._check_input_size(input)
        x, batched = self._prepare(input)
        h0 = self._initial(
            hx, batched, x.shape[1], self.hidden_size, x.dtype, "hx",
            "Expected hidden size {}, got {}",
        )  # fmt: skip
        output, h_n, _ = self._run(x, h0, None)
        return self._finish(output, batched), (h_n if batched else h_n.squeeze(1))


class RNN(_SimpleRecurrent):
    """An Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` (or relu).

    Parameters
    ----------
    input_size, hidden_size : int
        The widths of ``x_t`` and of ``h_t``.
    num_layers : int
        Stacked layers, each fed the previous one's outputs (default 1).
    nonlinearity : str
        ``"tanh"`` (default) or ``"relu"``; fourth positional argument, as in torch.
    bias : bool
        Learn ``bias_ih``/``bias_hh`` (default True).
    batch_first : bool
        Input and output ``(N, L, *)`` instead of ``(L, N, *)`` (not the hidden state).
    dropout : float
        Dropout on each layer's outputs but the last, while training.
    bidirectional : bool
        Also run each layer from the end to the start; outputs are concatenated.
    device, dtype
        As in torch.

    Notes
    -----
    input ``(L, N, input_size)`` (or batch first, or unbatched ``(L, input_size)``); ``hx``
    ``(D * num_layers, N, hidden_size)``, zeros when omitted (D = 2 if bidirectional else 1).
    Returns ``(output, h_n)``: output ``(L, N, D * hidden_size)``, the last layer's ``h_t`` for
    every t; ``h_n`` ``(D * num_layers, N, hidden_size)``, each layer's final state.

    Examples
    --------
    >>> import autograd
    >>> rnn = RNN(10, 20, 2)
    >>> output, h_n = rnn(autograd.randn(5, 3, 10))
    >>> output.shape, h_n.shape
    ((5, 3, 20), (2, 3, 20))
    """

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(
                f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        super().__init__(mode, *args, **kwargs)
        self.nonlinearity = nonlinearity


class GRU(_SimpleRecurrent):
    """A gated recurrent unit, torch's equations and gate order (reset, update, new)::

        r_t = sigmoid(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
        z_t = sigmoid(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
        n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
        h_t = (1 - z_t) * n_t + z_t * h_{t-1}

    Parameters, shapes and returns as ``RNN`` (without ``nonlinearity``); the weights stack
    the three gates: ``weight_ih_l0`` is ``(3 * hidden_size, input_size)``.

    Examples
    --------
    >>> import autograd
    >>> gru = GRU(10, 20, batch_first=True, bidirectional=True)
    >>> output, h_n = gru(autograd.randn(3, 5, 10))
    >>> output.shape, h_n.shape
    ((3, 5, 40), (2, 3, 20))
    """

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


class LSTM(RNNBase):
    """Long short-term memory, torch's equations and gate order (input, forget, cell, output)::

        i_t = sigmoid(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
        f_t = sigmoid(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
        g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
        o_t = sigmoid(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
        c_t = f_t * c_{t-1} + i_t * g_t
        h_t = o_t * tanh(c_t)            (then h_t W_hr^T with proj_size > 0)

    Parameters as ``RNN`` (without ``nonlinearity``), plus ``proj_size`` (default 0: none),
    the width of the projected ``h_t``.

    Notes
    -----
    input as ``RNN``; ``hx`` a tuple ``(h_0, c_0)`` of ``(D * num_layers, N, H_out)`` and
    ``(D * num_layers, N, hidden_size)`` (``H_out`` is ``proj_size`` or ``hidden_size``), zeros
    when omitted. Returns ``(output, (h_n, c_n))``, output ``(L, N, D * H_out)``.

    Examples
    --------
    >>> import autograd
    >>> lstm = LSTM(10, 20, 2)
    >>> output, (h_n, c_n) = lstm(autograd.randn(5, 3, 10))
    >>> output.shape, h_n.shape, c_n.shape
    ((5, 3, 20), (2, 3, 20), (2, 3, 20))
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input: Tensor, hx: tuple | None = None):
        input = self._check_input(input)
        if hx is not None:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise TypeError(
                    f"LSTM: hx must be a tuple (h_0, c_0) of Tensors, got {type(hx).__name__}"
                )
            h, c = (tensor_argument("LSTM", t, "hx") for t in hx)
            wanted = 3 if input.ndim == 3 else 2
            if h.ndim != wanted or c.ndim != wanted:
                kind = "batched 3-D" if wanted == 3 else "unbatched 2-D"
                raise RuntimeError(
                    f"For {kind} input, hx and cx should also be {wanted}-D but got "
                    f"({h.ndim}-D, {c.ndim}-D) tensors"
                )
            hx = (h, c)
        self._check_input_size(input)
        x, batched = self._prepare(input)
        batch, dtype = x.shape[1], x.dtype
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        h0 = self._initial(
            None if hx is None else hx[0], batched, batch, real_hidden, dtype, "hx",
            "Expected hidden[0] size {}, got {}",
        )  # fmt: skip
        c0 = self._initial(
            None if hx is None else hx[1], batched, batch, self.hidden_size, dtype, "hx",
            "Expected hidden[1] size {}, got {}",
        )  # fmt: skip
        output, h_n, c_n = self._run(x, h0, c0)
        if not batched:
            h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)
        return self._finish(output, batched), (h_n, c_n)
