"""Parameters by name, and the modules that own them: what ``draw_graph(params=...)`` is given.

``params`` is what torchviz's ``make_dot`` takes, ``dict(model.named_parameters())``, or the
model itself (anything with ``named_parameters()``, such as an ``nn.Module``: the tensor layers
and micrograd's scalar ``MLP`` alike), or an iterable of ``(name, parameter)`` pairs. Only names
and identities are read; a parameter is recognised in the graph by being the same object.

With a model, each parameter also has an owner: the module whose name is the longest prefix of
the parameter's name (``layers.0.neurons.1.w.0`` belongs to ``layers.0.neurons.1``). Collapsed
drawings group the owners to one depth of the module tree (see :meth:`ModuleTree.choose_depth`).
"""

from __future__ import annotations

STORY_MODULES = 12  # the most module boxes a collapsed picture shows when it picks a depth itself


def parameter_names(params) -> dict[int, str]:
    """``id(parameter) -> name`` (the first name wins when one parameter is listed twice)."""
    if params is None:
        return {}
    if hasattr(params, "named_parameters"):
        items = params.named_parameters()
    elif hasattr(params, "items"):
        items = params.items()
    else:
        items = params
    names: dict[int, str] = {}
    for name, parameter in items:
        names.setdefault(id(parameter), str(name))
    return names


class ModuleTree:
    """The modules of a model by dotted name, with their depth and the owner of each parameter.

    ``depth[""] == 0`` is the model itself; its children (``layers.0`` in an ``MLP``, ``fc1`` in
    a tensor model) have depth 1, and so on.
    """

    def __init__(self, model) -> None:
        modules = dict(model.named_modules())
        self.kind = {name: type(module).__name__ for name, module in modules.items()}
        self.parent: dict[str, str | None] = {}
        self.depth: dict[str, int] = {}
        for name in modules:  # named_modules lists a parent before its children
            parent = None if name == "" else self._longest_prefix(name, modules)
            self.parent[name] = parent
            self.depth[name] = 0 if parent is None else self.depth[parent] + 1
        self.owner: dict[int, str] = {}
        for name, parameter in model.named_parameters():
            self.owner.setdefault(id(parameter), self._longest_prefix(name, modules))
        self._direct_owners = set(self.owner.values())

    @staticmethod
    def _longest_prefix(name: str, modules) -> str:
        parts = name.split(".")
        for end in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:end])
            if prefix in modules:
                return prefix
        return ""

    def ancestor(self, name: str, depth: int) -> str:
        """The module containing ``name`` at ``depth`` (``name`` itself if it is shallower)."""
        while self.depth[name] > depth:
            name = self.parent[name]
        return name

    def box(self, name: str, depth: int) -> str:
        """The module drawn as the box of ``name`` when boxes are at ``depth``.

        ``ancestor(name, depth)``, except that a module with parameters of its own and
        submodules with parameters (a ``MultiheadAttention``: ``in_proj_weight`` and
        ``out_proj``) is drawn as its own box and one per such child, since what it does between
        them (the attention itself) is neither's.
        """
        box = self.ancestor(name, depth)
        if box == name or box not in self._direct_owners:
            return box
        return self.ancestor(name, self.depth[box] + 1)

    def choose_depth(self, owners, limit: int = STORY_MODULES) -> int:
        """The deepest level at which ``owners`` fall into at most ``limit`` modules (at least 1).

        Leaf modules when there are few of them, else the level above, and so on: for
        micrograd's ``MLP(2, [16, 16, 1])`` the 33 neurons are too many, so the three layers
        (``layers.0``, ``layers.1``, ``layers.2``) are drawn. A level with a single module (a
        ``ModuleList`` or ``Sequential`` holding everything) is skipped for the one below, however
        many modules that has: 40 ``Linear`` boxes in a chain still tell the story.
        """
        owners = set(owners)
        deepest = max((self.depth[o] for o in owners), default=1)
        depth = next((d for d in range(deepest, 1, -1) if self._count(owners, d) <= limit), 1)
        while depth < deepest and self._count(owners, depth) == 1:
            depth += 1  # a wrapper (``layers: ModuleList``) alone tells nothing
        return depth

    def _count(self, owners, depth: int) -> int:
        return len({self.ancestor(o, depth) for o in owners})

    def title(self, name: str) -> str:
        """``layers.0: Layer``; the model itself is ``(MLP)``."""
        return f"{name}: {self.kind[name]}" if name else f"({self.kind[name]})"
