"""Pictures of what autograd and nn build: computation graphs drawn with Graphviz."""

from .digraph import Digraph, save
from .graph import draw_graph
from .renderer import RendererNotFoundError, RenderError, find_renderer

__all__ = ["Digraph", "RenderError", "RendererNotFoundError", "draw_graph", "find_renderer", "save"]
