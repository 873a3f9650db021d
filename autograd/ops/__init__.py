"""The Tensor primitives, grouped by kind; each is a ``Function`` with forward and backward."""
