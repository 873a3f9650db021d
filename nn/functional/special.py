"""``erf``, ``log1p`` and ``expm1``: elementwise primitives of the engine, named here too.

They live in ``autograd/ops/special.py`` (their derivatives in ``autograd/rules.py``); this
module keeps ``nn.functional.special.erf`` and the others working.
"""

from autograd.ops.special import Erf, Expm1, Log1p, erf, expm1, log1p

__all__ = ["Erf", "Expm1", "Log1p", "erf", "expm1", "log1p"]
