"""Cross-renderer fidelity: each example's SVG looks the same in headless Chromium, in librsvg
(rsvg-convert) and through our own PNG path (cairosvg).

Needs Debian's `chromium` and `librsvg2-bin` (apt-get install -y chromium librsvg2-bin); without
them the tests skip and say which is missing. Set JOURNEYMAP_CHROMIUM to use another Chromium.

How "the same" is measured: both images are averaged over 32 × 32 pixel squares and the largest
difference of any square (0-255, grey) must stay under THRESHOLD. The three renderers shape text
with different engines (Chromium and Pango kern, cairo's text API does not), so glyphs land a pixel
apart and the same map differs by under 8 (the examples measure 2 to 6); a missing card, lane label
or curve is 30 or more. Text must be drawn by all three: each renderer's text ink (the difference its text makes to
the picture) is within a quarter of ours — an SVG whose text one renderer drops fails.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from journeymap.api import load, render_svg

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))
THRESHOLD = 12  # largest 32 × 32 block difference, 0-255
BLOCK = 32
INK_TOLERANCE = 0.25  # each renderer's text ink within ±25% of our PNG's

Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
ImageChops = pytest.importorskip("PIL.ImageChops", reason="Pillow is not installed")


def _chromium() -> str | None:
    return os.environ.get("JOURNEYMAP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def chromium() -> str:
    found = _chromium()
    if not found:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return found


@pytest.fixture(scope="module")
def rsvg() -> str:
    found = shutil.which("rsvg-convert")
    if not found:
        pytest.skip("rsvg-convert is not installed (apt-get install -y librsvg2-bin)")
    return found


def _size(svg: str) -> tuple[int, int]:
    match = re.search(r'<svg[^>]* width="([0-9.]+)" height="([0-9.]+)"', svg)
    assert match, "the SVG has no width and height"
    return math.ceil(float(match[1])), math.ceil(float(match[2]))


def _on_white(png: bytes, size: tuple[int, int]) -> "Image.Image":
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    white = Image.new("RGBA", image.size, "white")
    return Image.alpha_composite(white, image).convert("RGB").crop((0, 0, *size))


def screenshot(chromium: str, svg_file: Path, size: tuple[int, int], tmp: Path) -> bytes:
    shot = svg_file.with_suffix(".chromium.png")
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
         "--virtual-time-budget=3000",  # let the embedded @font-face load before the picture is taken
         f"--user-data-dir={tmp / 'chromium-profile'}", f"--screenshot={shot}", f"--window-size={size[0]},{size[1]}",
         svg_file.as_uri()],
        check=True, capture_output=True, timeout=120,
        # The browser as a user has it: not the private fontconfig our PNG path sets for this process
        # (with it, Chromium leaves out text runs that need a fallback font).
        env={k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"},
    )
    return shot.read_bytes()


def rsvg_png(rsvg: str, svg_file: Path) -> bytes:
    from journeymap.export.fonts import ensure_fontconfig

    # librsvg draws text through fontconfig and ignores @font-face: point it at the shipped Inter, as we do.
    env = {**os.environ, "FONTCONFIG_FILE": str(ensure_fontconfig())}
    return subprocess.run([rsvg, "--format=png", str(svg_file)], check=True, capture_output=True, env=env,
                          timeout=120).stdout


def worst_block(a: "Image.Image", b: "Image.Image") -> int:
    size = (min(a.width, b.width) // BLOCK, min(a.height, b.height) // BLOCK)
    box = (0, 0, size[0] * BLOCK, size[1] * BLOCK)
    small = [im.crop(box).resize(size, Image.BOX) for im in (a, b)]
    return ImageChops.difference(*small).convert("L").getextrema()[1]


def ink(with_text: "Image.Image", without_text: "Image.Image") -> float:
    """How much the text changes the picture: the mean grey difference over the whole image."""
    diff = ImageChops.difference(with_text, without_text).convert("L")
    return sum(i * n for i, n in enumerate(diff.histogram())) / (diff.width * diff.height)


def _without_text(svg: str) -> str:
    return re.sub(r"<text\b.*?</text>", "", svg, flags=re.S)


def _renders(svg: str, name: str, chromium: str, rsvg: str, tmp: Path) -> dict[str, "Image.Image"]:
    size = _size(svg)
    file = tmp / f"{name}.svg"
    file.write_text(svg, encoding="utf-8")
    from journeymap.export import convert

    ours = convert(re.sub(r"@font-face\{[^}]*\}", "", svg), "png")
    return {
        "ours": _on_white(ours, size),
        "chromium": _on_white(screenshot(chromium, file, size, tmp), size),
        "rsvg": _on_white(rsvg_png(rsvg, file), size),
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_svg_looks_the_same_in_chromium_librsvg_and_our_png(example: Path, chromium: str, rsvg: str,
                                                                 tmp_path: Path) -> None:
    svg = render_svg(load(example))  # the SVG as shipped: font subset embedded
    images = _renders(svg, example.stem, chromium, rsvg, tmp_path)
    for name in ("chromium", "rsvg"):
        diff = worst_block(images["ours"], images[name])
        if diff > THRESHOLD:
            for key, image in images.items():
                image.save(tmp_path / f"{example.stem}.{key}.png")
        assert diff <= THRESHOLD, f"{name} differs from our PNG by {diff} (threshold {THRESHOLD}); see {tmp_path}"

    # Text is drawn by all three, and about as much of it.
    bare = _renders(_without_text(svg), f"{example.stem}-no-text", chromium, rsvg, tmp_path)
    inks = {name: ink(images[name], bare[name]) for name in images}
    blocks = {name: worst_block(images["ours"], images[name]) for name in ("chromium", "rsvg")}
    print(f"\n{example.stem}: worst block {blocks}, text ink {inks}")
    assert inks["ours"] > 1, inks
    for name in ("chromium", "rsvg"):
        assert abs(inks[name] - inks["ours"]) <= INK_TOLERANCE * inks["ours"], inks


def test_the_comparison_catches_a_missing_lane(chromium: str, rsvg: str, tmp_path: Path) -> None:
    # The test can fail: an SVG whose pains lane is hidden in one renderer is clearly different.
    svg = render_svg(load(EXAMPLES[0]))
    ours = _renders(svg, "whole", chromium, rsvg, tmp_path)["ours"]
    broken = svg.replace('<g id="jm-lane-pains"', '<g id="jm-lane-pains" visibility="hidden"')
    assert broken != svg
    shot = _on_white(screenshot(chromium, _write(tmp_path / "broken.svg", broken), _size(svg), tmp_path), _size(svg))
    assert worst_block(ours, shot) > THRESHOLD


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
