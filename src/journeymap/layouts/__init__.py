"""Layout: a pure function from a `Journey` and a theme to positioned geometry."""

from journeymap.layouts.geometry import Box, Group, Icon, Layout, Line, Marker, Path, Rect, Text, num
from journeymap.layouts.grid import compute_layout

__all__ = ["Box", "Group", "Icon", "Layout", "Line", "Marker", "Path", "Rect", "Text", "compute_layout", "num"]
