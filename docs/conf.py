"""Sphinx configuration. docs/build.py copies this beside the pages it generates and runs sphinx-build."""

project = "multiprocessing, Python 2 → 3"
author = "multiprocessing-twins"
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
html_theme = "furo"
html_title = "multiprocessing, Python 2 → 3"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_show_sourcelink = False
html_copy_source = False
pygments_style = "friendly"
pygments_dark_style = "monokai"
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header"]
html_show_copyright = False
