"""Sphinx configuration of the API reference.

Build: ``python -m sphinx -W -b html docs/api docs/api/_build``. The pages are generated from
the docstrings (autodoc, numpydoc for the Parameters/Returns/Examples sections), so the
reference is the code's own text; ``tests/test_docs.py`` builds it with warnings as errors.
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

project = "chainrule"
author = "chainrule developers"
extensions = ["sphinx.ext.autodoc", "numpydoc"]
numpydoc_show_class_members = False  # autodoc documents the members; numpydoc would repeat them
autodoc_default_options = {"members": True, "undoc-members": False}
html_theme = "alabaster"
exclude_patterns = ["_build"]
