"""Themes: built-ins, contrast from the tokens, user themes, and every way a theme can be broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.layouts.style import contrast, mix
from journeymap.model import build_journey
from journeymap.render import render_svg
from journeymap.render.theme import ThemeError, load_theme
from journeymap.resources import themes_dir

BUILTIN = ["default", "dark", "print"]
MAP = build_journey({"journeymap": 1, "title": "T", "persona": {"name": "Ann"},
                     "stages": [{"name": "S", "steps": [{"action": "<script>alert(1)</script>", "emotion": 1,
                                                         "pains": ["p & q"], "touchpoints": ["web"]}]}]})

# (text colour token, background token) for every place the templates draw text.
TEXT_ON = {
    "text": ["background", "surface", "card", "lane_alt", "thought", "pain_bg", "opportunity_bg", "backstage",
             "badge_bg", "stage_tints"],
    "muted": ["background", "surface", "card", "lane_alt", "pain_bg", "opportunity_bg", "backstage",
              "stage_tints"],
    "moment": ["card"],
}


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_text_contrast_is_at_least_aa(name):
    tokens = load_theme(name).tokens
    colors = tokens["colors"]
    for fg, backgrounds in TEXT_ON.items():
        for bg in backgrounds:
            for colour in (colors[bg] if bg == "stage_tints" else (colors[bg],)):
                assert contrast(colors[fg], colour) >= 4.5, f"{name}: {fg} on {bg} {colour}"
                # Inside a moment-of-truth column the background is tinted by the moment colour.
                tinted = mix(colour, colors["moment"], tokens["opacity"]["moment"])
                assert contrast(colors[fg], tinted) >= 4.5, f"{name}: {fg} on {bg} in a moment column"


def test_contrast_formula_matches_wcag():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


def test_builtin_themes_extend_default_and_list_their_folders():
    dark = load_theme("dark")
    assert dark.folders == (themes_dir().resolve() / "dark", themes_dir().resolve() / "default")
    assert load_theme("default").folders == (themes_dir().resolve() / "default",)
    assert dark.tokens["sizes"] == load_theme("default").tokens["sizes"]  # inherited
    assert dark.tokens["colors"]["background"] != load_theme("default").tokens["colors"]["background"]


def test_themes_command_lists_every_builtin():
    result = CliRunner().invoke(app, ["themes"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == ["dark", "default", "print"]
    assert "greyscale" in result.output


def _theme(tmp_path: Path, yaml_text: str, templates: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text(yaml_text, encoding="utf-8")
    for name, text in (templates or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_user_theme_overrides_some_tokens_and_one_partial(tmp_path):
    folder = _theme(tmp_path, 'name: brand\nextends: default\ntokens:\n  colors:\n    background: "#FFFDF7"\n',
                    {"lane-pains.svg.j2": '<g id="brand-pains">{% for i in group.items %}{% if i.kind == "text" %}'
                                          '<text>{{ i.lines|join(" ") }}</text>{% endif %}{% endfor %}</g>\n'})
    theme = load_theme(folder)
    assert theme.folders == (folder.resolve(), themes_dir().resolve() / "default")
    svg = render_svg(MAP, theme, embed_fonts=False)
    assert ".canvas{fill:#FFFDF7}" in svg
    assert '<g id="brand-pains"><text>PAIN POINTS</text><text>p &amp; q</text></g>' in svg
    assert 'id="jm-lane-actions"' in svg  # the other lanes still come from default


def test_a_theme_path_string_with_a_slash_is_a_folder(tmp_path):
    folder = _theme(tmp_path, "name: brand\n")
    assert load_theme(str(folder)).name == "brand"
    with pytest.raises(ThemeError) as err:
        load_theme(str(tmp_path / "missing") + "/")
    assert "not a theme folder" in str(err.value)


def test_unknown_theme_names_the_builtins():
    with pytest.raises(ThemeError, match="unknown theme 'nope'; built-in themes: dark, default, print"):
        load_theme("nope")


@pytest.mark.parametrize("value, line", [
    ('"red; } svg { display:none"', 4),  # CSS injection through a colour
    ('"#12345"', 4),
    ('"url(https://example.com/x)"', 4),
])
def test_colours_must_be_hex(tmp_path, value, line):
    folder = _theme(tmp_path, f"name: brand\ntokens:\n  colors:\n    text: {value}\n")
    with pytest.raises(ThemeError) as err:
        load_theme(folder)
    (d,) = err.value.diagnostics
    assert (d.file, d.line, d.code) == (str(folder / "theme.yaml"), line, "T005")
    assert d.message.startswith("tokens.colors.text: ")


def test_font_families_cannot_inject_css(tmp_path):
    folder = _theme(tmp_path, "tokens:\n  fonts:\n    family: [Inter, \"x;}@import url(evil.css);\"]\n")
    with pytest.raises(ThemeError) as err:
        load_theme(folder)
    assert err.value.diagnostics[0].line == 3 and "tokens.fonts.family.1" in err.value.diagnostics[0].message


def test_sizes_must_be_numbers_and_unknown_tokens_are_refused(tmp_path):
    with pytest.raises(ThemeError, match="tokens.sizes.body: '13px' is not of type 'number'"):
        load_theme(_theme(tmp_path, "tokens:\n  sizes:\n    body: 13px\n"))
    other = tmp_path / "o"
    other.mkdir()
    (other / "theme.yaml").write_text("tokens:\n  colours: {}\n")
    with pytest.raises(ThemeError, match="Additional properties are not allowed"):
        load_theme(other)


def test_bad_yaml_names_file_and_line(tmp_path):
    folder = _theme(tmp_path, "name: brand\ntokens:\n  colors: [unclosed\n")
    with pytest.raises(ThemeError) as err:
        load_theme(folder)
    d = err.value.diagnostics[0]
    assert d.file == str(folder / "theme.yaml") and d.line == 4 and d.code == "T002"
    assert "invalid YAML" in d.message


def test_template_syntax_error_names_file_and_line(tmp_path):
    folder = _theme(tmp_path, "name: brand\n", {"lane-pains.svg.j2": "<g>\n{% for x in %}\n</g>\n"})
    with pytest.raises(ThemeError) as err:
        load_theme(folder)
    d = err.value.diagnostics[0]
    assert (d.file, d.line, d.code) == (str(folder / "lane-pains.svg.j2"), 2, "T003")


def test_missing_template_is_a_clear_error(tmp_path):
    folder = _theme(tmp_path, "name: brand\n", {"map.svg.j2": '<svg>\n{% include "nowhere.svg.j2" %}\n</svg>\n'})
    with pytest.raises(ThemeError) as err:
        render_svg(MAP, folder)
    d = err.value.diagnostics[0]
    assert d.code == "T004" and "nowhere.svg.j2" in d.message and d.file == str(folder / "map.svg.j2") and d.line == 2


def test_templates_cannot_leave_the_theme_folders(tmp_path):
    folder = _theme(tmp_path, "name: brand\n", {"map.svg.j2": '{% include "../../../../etc/passwd" %}'})
    with pytest.raises(ThemeError) as err:
        render_svg(MAP, folder)
    assert err.value.diagnostics[0].code == "T004"


def test_templates_run_in_a_sandbox(tmp_path):
    folder = _theme(tmp_path, "name: brand\n",
                    {"map.svg.j2": "<svg>\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n</svg>\n"})
    with pytest.raises(ThemeError) as err:
        render_svg(MAP, folder)
    d = err.value.diagnostics[0]
    assert d.code == "T003" and d.file == str(folder / "map.svg.j2") and d.line == 2


def test_user_templates_are_autoescaped(tmp_path):
    folder = _theme(tmp_path, "name: brand\n", {"map.svg.j2": "<svg>{{ layout.title }}</svg>"})
    journey = build_journey({"journeymap": 1, "title": "<script>alert('x')</script>", "stages": [{"name": "S", "steps": ["a"]}]})
    assert render_svg(journey, folder) == "<svg>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</svg>"


def test_themes_extending_each_other_in_a_loop_are_refused(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "theme.yaml").write_text("extends: ../b\n")
    (b / "theme.yaml").write_text("extends: ../a\n")
    with pytest.raises(ThemeError, match="loop"):
        load_theme(a)


def test_render_cli_reports_a_broken_theme_with_exit_1(tmp_path):
    folder = _theme(tmp_path, "tokens:\n  colors:\n    text: nope\n")
    m = tmp_path / "m.yaml"
    m.write_text("journeymap: 1\ntitle: T\nstages:\n  - name: S\n    steps: [a]\n")
    result = CliRunner().invoke(app, ["render", str(m), "-o", str(tmp_path / "o.svg"), "--theme", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'theme.yaml'}:3:" in result.output
    assert not (tmp_path / "o.svg").exists()


def test_a_symlink_out_of_the_theme_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    folder = _theme(tmp_path, "name: brand\n", {"map.svg.j2": '<svg>{% include "leak.svg.j2" %}</svg>'})
    (folder / "leak.svg.j2").symlink_to(secret)
    with pytest.raises(ThemeError) as err:
        render_svg(MAP, folder)
    assert err.value.diagnostics[0].code == "T004" and "TOP SECRET" not in str(err.value)


def css_rules(svg: str) -> dict[str, dict[str, str]]:
    """class -> {property: value} of the rendered stylesheet's one-class rules."""
    import re

    style = svg[svg.index("<style"):svg.index("</style>")]
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", style):
        props = dict(p.split(":", 1) for p in body.split(";") if ":" in p)
        for sel in selectors.split(","):
            if sel.strip().startswith("."):
                rules.setdefault(sel.strip()[1:], {}).update(props)
    return rules


@pytest.mark.parametrize("name", BUILTIN)
def test_borderless_cards_keep_an_edge_on_a_moment_column(name):
    tokens = load_theme(name).tokens
    colors = tokens["colors"]
    rules = css_rules(render_svg(MAP, name, embed_fonts=False))
    column = mix(colors["background"], colors["moment"], tokens["opacity"]["moment"])
    for cls in ("card-backstage", "card-pain", "card-opportunity"):
        rule = rules[cls]
        edge = mix(rule["fill"], rule["stroke"], float(rule.get("stroke-opacity", 1)))
        # The fill alone may equal the column's tint (backstage cards vanished there); the edge must not.
        assert contrast(edge, column) >= 1.2 and contrast(edge, rule["fill"]) >= 1.2, f"{name}: {cls}"
