"""Render the views of docs/views.md to docs/images/view-*.png (each kept under 400 KB).

    python docs/make_view_images.py

The diff compares retail-purchase.yaml with an earlier version made here in memory: the
agent's fix used to leave her neutral, there was no call-back, and the review stage did not exist.
"""

from __future__ import annotations

from make_images import OUT, ROOT, shrink

from journeymap import views
from journeymap.api import load
from journeymap.diff import compare, diff_layout
from journeymap.export import convert
from journeymap.render.svg import render_layout
from journeymap.render.theme import load_theme

EXAMPLES = ROOT / "examples"


def earlier_retail() -> str:
    """retail-purchase.yaml as it was before the follow-up stage and the hold-time fix."""
    text = (EXAMPLES / "retail-purchase.yaml").read_text(encoding="utf-8")
    text = text.replace("action: Books a delivery slot by text", "action: Books a slot by text")
    text = text.replace("        feeling: relieved\n        emotion: 1\n", "        feeling: relieved\n        emotion: 0\n")
    text = text.replace("          - Agent cannot see the delivery crew's notes\n",
                        "          - Agent cannot see the delivery crew's notes\n          - No call-back option\n")
    return text[:text.index("  - id: use\n")]  # the review stage came later


def write(name: str, svg: str, theme: object) -> None:
    png = shrink(convert(svg, "png", theme_dirs=theme.folders, scale=1))  # type: ignore[attr-defined]
    target = OUT / f"view-{name}.png"
    target.write_bytes(png)
    print(f"{target.relative_to(ROOT)}  {len(png) // 1000} KB")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    theme = load_theme("default")
    clinic = load(EXAMPLES / "clinic-visit.yaml")
    write("personas", render_layout(views.compute(clinic, theme), theme, embed_fonts=False), theme)
    write("blueprint", render_layout(views.compute(clinic, theme, view="blueprint", show={"confidence"}), theme,
                                     embed_fonts=False), theme)
    retail = load(EXAMPLES / "retail-purchase.yaml")
    write("paths", render_layout(views.compute(retail, theme, summary=True), theme, embed_fonts=False), theme)
    old = load(earlier_retail())
    layout = diff_layout(old, retail, compare(old, retail), theme, "main:examples/retail-purchase.yaml")
    write("diff", render_layout(layout, theme, embed_fonts=False), theme)


if __name__ == "__main__":
    main()
