"""Renderers of a `ReplayReport`, one pure function per format."""

from govern.replay.render.json import render_json, replay_data
from govern.replay.render.markdown import render_markdown
from govern.replay.render.text import render_text

RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}

__all__ = ["RENDERERS", "render_json", "render_markdown", "render_text", "replay_data"]
