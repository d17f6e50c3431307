"""Renderers of a `CheckReport` for reviewers and CI systems, one pure function per format.

Text, JSON and GitHub annotations are the issue renderers of `govern.cli.output`, shared
with `govern lint`; Markdown (a pull-request comment) and JUnit XML live here.
"""

from govern.report.junit import render_junit
from govern.report.markdown import render_markdown

__all__ = ["render_junit", "render_markdown"]
