"""Pictures of what autograd and nn build: computation graphs drawn with Graphviz."""

from .animation import animate_training
from .boundary import plot_decision_boundary
from .digraph import Digraph, save
from .graph import draw_graph
from .network import draw_network
from .playground import Playground
from .plots import plot_filters, plot_gradient_flow, plot_history, plot_optimizer_paths
from .renderer import RendererNotFoundError, RenderError, find_renderer

__all__ = [
    "Digraph",
    "Playground",
    "RenderError",
    "RendererNotFoundError",
    "animate_training",
    "draw_graph",
    "draw_network",
    "find_renderer",
    "plot_decision_boundary",
    "plot_filters",
    "plot_gradient_flow",
    "plot_history",
    "plot_optimizer_paths",
    "save",
]
