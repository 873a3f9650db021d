"""Version counters: PyTorch's check that a tensor saved for backward was not changed since.

Every Tensor has ``_version``, an int that each in-place operation (``+=``, ``add_``,
``__setitem__``, an optimizer step through ``parameters.assign_data``) adds one to. An operation
notes the version of each input (``Function.apply``) and of each tensor it saves
(``Context.save_for_backward``, ``Context.save_output``); backward compares them, one int each,
and raises the error below on a difference instead of differentiating at the changed values.
"""

from __future__ import annotations

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class ModifiedError(RuntimeError):
    """PyTorch's error for a tensor changed in place after an operation saved it.

    ``str()`` is torch's message: ``one of the variables needed for gradient computation has
    been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of
    ExpBackward, is at version 1; expected version 0 instead.``, then a hint. The walk fills
    ``op`` (the operation whose backward needed the tensor) when the context raised it.
    """

    def __init__(self, tensor, expected: int, role: str, op: str | None = None) -> None:
        self.tensor, self.expected, self.role, self.op = tensor, expected, role, op
        super().__init__(self._message())

    def with_op(self, op: str) -> ModifiedError:
        return ModifiedError(self.tensor, self.expected, self.role, op)

    def _message(self) -> str:
        tensor = self.tensor
        shape = ", ".join(str(n) for n in tensor.shape)
        where = f", which is {self.role} {self.op}Backward," if self.op else ""
        return (
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{_torch_type_name(tensor.dtype)} [{shape}]]{where} is at "
            f"version {tensor._version}; expected version {self.expected} instead. Hint: "
            "compute the changed value out of place (y = x + 1, not y += 1), or run backward "
            "before the in-place update."
        )


def _torch_type_name(dtype) -> str:
    names = {
        "float32": "Float",
        "float64": "Double",
        "float16": "Half",
        "int64": "Long",
        "int32": "Int",
        "int16": "Short",
        "int8": "Char",
        "uint8": "Byte",
        "bool": "Bool",
    }
    return f"torch.{names.get(str(dtype), str(dtype))}Tensor"
