"""Rendering: themes (tokens + Jinja2 templates) turn a layout into SVG."""

from journeymap.render.svg import render_svg

__all__ = ["render_svg"]
