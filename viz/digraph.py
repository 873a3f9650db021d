"""A ``graphviz.Digraph`` that renders with whatever renderer :mod:`viz.renderer` finds.

The ``graphviz`` package builds DOT source well, but it renders by running a program named
``dot`` and nothing else, while the pip-installable renderer is called ``graphviz-pure``. This
subclass keeps everything that builds and saves source and reroutes the three ways out to a
picture: ``pipe()``, ``render()`` and Jupyter's ``_repr_mimebundle_()``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import graphviz

from .renderer import RendererNotFoundError, run_renderer


class Digraph(graphviz.Digraph):
    """A directed graph whose pictures come from ``graphviz-pure``, ``$GRAPHVIZ_DOT`` or ``dot``.

    Without any renderer, building and saving the DOT source still work, notebooks show the
    source with a warning, and ``pipe()``/``render()`` raise :class:`RendererNotFoundError`
    (a ``RuntimeError``) that says how to install one.

    Examples
    --------
    >>> from viz import Digraph
    >>> dot = Digraph()
    >>> dot.edge('x', 'y')
    >>> [line.strip() for line in dot.source.splitlines()]
    ['digraph {', 'x -> y', '}']
    """

    def pipe(
        self,
        format: str | None = None,
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op=None,
        quiet: bool = False,
        *,
        engine: str | None = None,
        encoding: str | None = None,
    ) -> bytes | str:
        """Return the picture as bytes, or as text if ``encoding`` is given.

        ``quiet`` silences the renderer's warnings (its stderr when it succeeds).

        Examples
        --------
        >>> from viz import Digraph
        >>> dot = Digraph()
        >>> dot.edge('x', 'y')
        >>> svg = dot.pipe(format='svg', encoding='utf-8')
        >>> '<svg' in svg
        True
        """
        if neato_no_op:
            raise ValueError("neato_no_op is not supported by viz.Digraph.pipe")
        output = ":".join(p for p in (format or self.format, renderer, formatter) if p)
        data = run_renderer(self.source, output, engine=engine or self.engine, quiet=quiet)
        return data if encoding is None else data.decode(encoding)

    def render(
        self,
        filename: str | os.PathLike | None = None,
        directory: str | os.PathLike | None = None,
        view: bool = False,
        cleanup: bool = False,
        format: str | None = None,
        *,
        outfile: str | os.PathLike | None = None,
        engine: str | None = None,
        quiet: bool = False,
        quiet_view: bool = False,
    ) -> str:
        """Save the source (``<name>.gv``), render it beside it and return the picture's path.

        As in ``graphviz``: the picture goes to ``outfile`` if given (its suffix picks the format),
        else to ``<source path>.<format>``; ``cleanup`` deletes the source afterwards.

        Examples
        --------
        >>> from viz import Digraph
        >>> dot = Digraph()
        >>> dot.edge('x', 'y')
        >>> import os, tempfile
        >>> path = dot.render(os.path.join(tempfile.mkdtemp(), 'xy'), format='svg')
        >>> os.path.basename(path)
        'xy.svg'
        """
        if outfile is not None:
            outfile = Path(outfile) if directory is not None else Path(self.directory, outfile)
            format = format or outfile.suffix.lstrip(".")
            if filename is None:
                filename = outfile.with_suffix(".gv").name
        format = format or self.format
        picture = self.pipe(format=format, engine=engine, quiet=quiet)  # before writing files
        source_path = Path(self.save(filename, directory=directory))
        out = outfile or source_path.with_name(f"{source_path.name}.{format}")
        out.write_bytes(picture)
        if cleanup:
            source_path.unlink()
        if view or quiet_view:
            self._view(out, format=format, quiet=quiet_view)
        return os.fspath(out)

    def __repr__(self) -> str:
        # stable across runs (no address), so saved notebook outputs do not churn
        return f"<viz.Digraph with {len(self.body)} DOT statements>"

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict:
        """Show the picture in Jupyter, or the DOT source (with a warning) if nothing renders."""
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except RendererNotFoundError as error:
            warnings.warn(f"showing DOT source instead of a picture: {error}", stacklevel=2)
            return {"text/plain": self.source}


def save(picture: graphviz.Digraph, path: str | os.PathLike) -> Path:
    """Write ``picture`` to ``path``; the suffix picks the format.

    ``.dot``/``.gv`` write the DOT source (no renderer needed); any other suffix (``.svg``,
    ``.png``, ...) is rendered in that format.

    Examples
    --------
    >>> from viz import Digraph
    >>> dot = Digraph()
    >>> dot.edge('x', 'y')
    >>> import os, tempfile
    >>> from viz import save
    >>> path = save(dot, os.path.join(tempfile.mkdtemp(), 'xy.svg'))
    >>> path.suffix, path.stat().st_size > 0
    ('.svg', True)
    """
    path = Path(path)
    format = path.suffix.lstrip(".").lower()
    if not format:
        raise ValueError(f"save: no suffix in {str(path)!r} to tell the format; use e.g. .svg")
    if format in ("dot", "gv"):
        path.write_text(picture.source, encoding="utf-8")
    else:
        path.write_bytes(picture.pipe(format=format))
    return path
