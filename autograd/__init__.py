"""chainrule's engine: reverse-mode automatic differentiation on scalars and tensors.

autograd/README.md is the one page that explains it: node protocol, rule table (rules.py),
walk (graph.py), fused-rule registry (fused.py), and how to add an operation.
"""

from . import functional, parameters
from .creation import (
    arange,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    linspace,
    logspace,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from .dtypes import (  # torch's dtype names; not in __all__, which would shadow builtins
    bool,
    device,
    double,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    short,
    uint8,
)
from .function import Context, Function
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck
from .graph import grad, topological_order
from .ops.elementwise import maximum, minimum, where
from .ops.joining import cat, pad, stack
from .ops.window import fold_windows, sliding_window
from .randomness import (
    Generator,
    bernoulli,
    default_generator,
    initial_seed,
    manual_seed,
    multinomial,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    seed,
)
from .tensor import Tensor, from_numpy
from .value import Value, linear

__all__ = [
    "Context",
    "Generator",
    "arange",
    "bernoulli",
    "default_generator",
    "device",
    "get_default_dtype",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "initial_seed",
    "linspace",
    "logspace",
    "manual_seed",
    "multinomial",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "randperm",
    "seed",
    "tensor",
    "zeros",
    "zeros_like",
    "Function",
    "GradcheckError",
    "Tensor",
    "Value",
    "cat",
    "fold_windows",
    "functional",
    "parameters",
    "maximum",
    "minimum",
    "pad",
    "sliding_window",
    "stack",
    "where",
    "enable_grad",
    "from_numpy",
    "grad",
    "gradcheck",
    "linear",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "topological_order",
]
