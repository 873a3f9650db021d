"""Find and run a program that turns DOT source into SVG or PNG.

Where a renderer comes from, in order:

1. ``$GRAPHVIZ_DOT``, if set: a program name or path with ``dot``'s command line.
2. ``graphviz-pure``: the pip-installable port of Graphviz (a dependency of this project). Its
   wheel puts one executable, ``graphviz-pure``, in the environment's scripts folder; it is
   looked up on ``PATH`` and next to the running Python, so a notebook kernel started without
   activating its virtual environment still finds it. It gives the same bytes on every platform.
3. ``dot`` from a system Graphviz on ``PATH``.

The program is run as ``<program> -K<engine> -T<format>`` with the DOT source on stdin.

Text width: ``graphviz-pure``, and a Graphviz built without cairo/pango, size labels from
Graphviz's built-in tables of character widths (Times, Helvetica, Courier and their metric
twins such as Tinos, Arimo, Cousine), which cover ASCII only; each byte of a non-ASCII character
(``θ``, ``∂``, ``中``) is measured as a space, and the renderer says so on stderr at every render
("no value for width of non-ASCII character 206"). No ``fontname`` gives it wider tables, and the
picture is right (the text is drawn in full; a box of wide CJK characters is about a quarter too
narrow), so :func:`run_renderer` does not pass on that one warning. Every other one goes through.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

INSTALL_HINT = (
    "install one with `pip install graphviz-pure` (into the same environment as this Python), "
    "or install Graphviz from https://graphviz.org/download/ so that `dot` is on PATH, "
    "or set GRAPHVIZ_DOT to the path of a dot-compatible program"
)


# The renderer's note that it measured a non-ASCII character as a space (see the module docstring).
_ASCII_WIDTHS_ONLY = re.compile(
    r"^(Warning: )+no value for width of non-ASCII character \d+\. "
    r"Falling back to width of space character\s*$"
)


class RendererNotFoundError(RuntimeError):
    """No program to render DOT source was found.

    Examples
    --------
    >>> import os
    >>> from viz import RendererNotFoundError, find_renderer
    >>> os.environ['GRAPHVIZ_DOT'] = 'no-such-program'
    >>> try:
    ...     find_renderer()
    ... except RendererNotFoundError as error:
    ...     print(str(error).split(';')[0])
    ... finally:
    ...     del os.environ['GRAPHVIZ_DOT']
    GRAPHVIZ_DOT='no-such-program' is not an executable program
    """


class RenderError(RuntimeError):
    """The renderer ran and failed; the message carries its stderr.

    Examples
    --------
    >>> from viz import Digraph, RenderError
    >>> broken = Digraph(body=['x -> ;'])
    >>> try:
    ...     broken.pipe(format='svg')
    ... except RenderError:
    ...     print('the renderer failed')
    the renderer failed
    """


def find_renderer() -> str:
    """Return the path of the program that renders DOT source.

    Raises
    ------
    RendererNotFoundError
        If ``$GRAPHVIZ_DOT`` names no executable, or no renderer is installed.

    Examples
    --------
    >>> import os
    >>> from viz import find_renderer
    >>> os.path.splitext(os.path.basename(find_renderer()))[0] in ('graphviz-pure', 'dot')
    True
    """
    configured = os.environ.get("GRAPHVIZ_DOT")
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise RendererNotFoundError(
                f"GRAPHVIZ_DOT={configured!r} is not an executable program; "
                f"fix or unset it, or {INSTALL_HINT}"
            )
        return found
    scripts = str(Path(sys.executable).parent)  # not resolved: a venv's python is a symlink
    search_path = os.pathsep.join(p for p in (os.environ.get("PATH"), scripts) if p)
    found = shutil.which("graphviz-pure", path=search_path) or shutil.which("dot")
    if found is None:
        raise RendererNotFoundError(f"no Graphviz renderer found: {INSTALL_HINT}")
    return found


def run_renderer(source: str, format: str, engine: str = "dot", quiet: bool = False) -> bytes:
    """Render DOT ``source`` to ``format`` (``"svg"``, ``"png"``, ...) and return the bytes.

    The renderer's warnings go to ``sys.stderr`` unless ``quiet`` (all but its note that
    non-ASCII text was measured as spaces, see the module docstring); a failure raises
    :class:`RenderError` with all of them.
    """
    program = find_renderer()
    proc = subprocess.run(
        [program, f"-K{engine}", f"-T{format}"],
        input=source.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", errors="replace").strip()
        raise RenderError(
            f"{program} -K{engine} -T{format} failed with exit status {proc.returncode}: {stderr}"
        )
    if proc.stderr and not quiet:
        lines = proc.stderr.decode("utf-8", errors="replace").splitlines(keepends=True)
        sys.stderr.write("".join(line for line in lines if not _ASCII_WIDTHS_ONLY.match(line)))
    return proc.stdout
