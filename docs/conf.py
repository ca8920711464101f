"""Sphinx configuration for the anyio-net documentation (built by ``nox -s docs``)."""

from __future__ import annotations

import os
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))

import anyio_net  # noqa: E402
from anyio_net import _aliases  # noqa: E402

project = "anyio-net"
author = "anyio-net developers"
copyright = "anyio-net developers"
release = anyio_net.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]
# Pages written alongside these ones: listed in index.md, left out of the table of contents
# while they do not exist yet (see _only_existing_pages).
OPTIONAL_PAGES = {"streams", "multiprocess", "benchmarks", "differences"}

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"anyio-net {release}"

# -- API reference -------------------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# The house style's "Events:" section lists the events a call or a class emits.
napoleon_custom_sections = ["Events"]


def _skip_camel_case(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any) -> Any:
    """Leave the camelCase twins out of the reference: each is listed once, in its table."""
    if name in _aliases.MODULE_NODE_NAMES:
        return True
    for cls in (anyio_net.EventEmitter, anyio_net.Socket, anyio_net.Server):
        if name in _aliases.class_node_names(cls):
            return True
    return None


def _only_existing_pages(app: Any, docname: str, source: list[str]) -> None:
    if docname != "index":
        return
    kept = [
        line
        for line in source[0].splitlines()
        if line.strip() not in OPTIONAL_PAGES
        or os.path.exists(os.path.join(HERE, line.strip() + ".md"))
    ]
    source[0] = "\n".join(kept) + "\n"


def setup(app: Any) -> None:
    app.connect("autodoc-skip-member", _skip_camel_case)
    app.connect("source-read", _only_existing_pages)
