"""The built-in channel icons: one stroked path each on a 24 × 24 grid, drawn inline."""

from __future__ import annotations

from types import MappingProxyType

_CIRCLE = "a{r} {r} 0 1 1 -{d} 0a{r} {r} 0 1 1 {d} 0"


def _circle(cx: float, cy: float, r: float) -> str:
    return f"M{cx + r:g} {cy:g}" + _CIRCLE.format(r=f"{r:g}", d=f"{2 * r:g}")


ICONS = MappingProxyType({
    "web": _circle(12, 12, 9) + "M3 12h18M12 3c2.6 2.6 3.8 5.6 3.8 9s-1.2 6.4-3.8 9M12 3c-2.6 2.6-3.8 5.6-3.8 9s1.2 6.4 3.8 9",
    "app": "M8 3h8a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zM11 18h2",
    "email": "M4 6h16v12H4zM4 7l8 6 8-6",
    "phone": "M6.5 3.5h3l1.5 4.5-2 1.5c1 2.2 2.8 4 5 5l1.5-2 4.5 1.5v3a2 2 0 0 1-2 2C10.8 19 5 13.2 4.5 5.5a2 2 0 0 1 2-2z",
    "chat": "M4 5h16v11h-9l-5 4v-4H4zM8.5 10.5h.01M12 10.5h.01M15.5 10.5h.01",
    "sms": "M5 4h14a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1h-8l-5 4v-4H5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zM8 8.5h8M8 11.5h5",
    "social": _circle(18, 5.5, 2.5) + _circle(6, 12, 2.5) + _circle(18, 18.5, 2.5) + "M8.2 10.8l7.6-4.1M8.2 13.2l7.6 4.1",
    "store": "M4 9l1.5-5h13L20 9zM5 9v11h14V9M10 20v-5h4v5",
    "mail": "M3 8l9-5 9 5v8l-9 5-9-5zM3 8l9 5 9-5M12 13v8",
    "video": "M3 7h12v10H3zM15 10.5l6-3.5v10l-6-3.5",
    "in-person": _circle(12, 7.5, 4) + "M4.5 21a7.5 7.5 0 0 1 15 0",
    "generic": "M12 3l8 4.5v9L12 21l-8-4.5v-9z" + _circle(12, 12, 2.5),
    # Not a channel: the badge drawn where consecutive steps change channel.
    "switch": "M4 8h14M14 4l4 4-4 4M20 16H6M10 12l-4 4 4 4",
    # Not a channel: the badge drawn where the touchpoint's owner changes between consecutive steps.
    "handoff": "M3 12h11M10 8l4 4-4 4M18 5v14",
    # Lane markers, beside each lane's label.
    "lane-actions": "M4 12h15M13 6l6 6-6 6",
    "lane-thoughts": "M7.5 18h9a4 4 0 0 0 .6-7.95A6 6 0 0 0 5.6 11.2 3.4 3.4 0 0 0 7.5 18zM6 21.5h.01",
    "lane-touchpoints": _circle(12, 12, 9) + _circle(12, 12, 4.5) + "M12 12h.01",
    "lane-emotions": _circle(12, 12, 9) + "M8.5 14.5c1 1.3 2.2 2 3.5 2s2.5-.7 3.5-2M9 9.5h.01M15 9.5h.01",
    "lane-pains": "M12 3.5l9.5 16.5h-19zM12 10v4.5M12 17.3h.01",
    "lane-opportunities": "M9.5 18h5M10.5 21h3M12 3a6 6 0 0 0-3.6 10.8c.7.6 1.1 1.3 1.1 2.2h5c0-.9.4-1.6 1.1-2.2A6 6 0 0 0 12 3z",
    "lane-backstage": "M4 7h9M17 7h3M4 17h3M11 17h9" + _circle(15, 7, 2) + _circle(9, 17, 2),
    "lane-metrics": "M6 20v-8M12 20V5M18 20v-5M3.5 20h17",
})


def icon_path(name: str) -> str:
    return ICONS.get(name, ICONS["generic"])
