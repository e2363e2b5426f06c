"""Themes: a folder with `theme.yaml` (tokens) and Jinja2 SVG templates.

A theme may `extends:` another (a built-in name, or a folder relative to it);
a theme that names none extends `default`. Tokens merge key by key, templates
are looked up nearest folder first. Themes from a path are untrusted: tokens
are checked against schemas/theme.schema.json, and every template — built-in
or not — runs in Jinja2's sandbox with autoescaping on, through a loader that
cannot leave the theme folders.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

import jinja2
import jinja2.sandbox
import yaml

from journeymap import resources
from journeymap.diagnostics import Diagnostic, JourneyError

MAIN_TEMPLATE = "map.svg.j2"


class ThemeError(JourneyError):
    """A theme that cannot be used: bad YAML, a token failing the schema, a broken template."""


def _error(message: str, file: Path | str, line: int = 1, column: int = 1, code: str = "T001") -> ThemeError:
    return ThemeError([Diagnostic(message, file=str(file), line=line, column=column, code=code)])


@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    folders: tuple[Path, ...]  # this theme's folder, then every folder it extends
    tokens: Mapping[str, Any]
    env: jinja2.Environment

    def template(self, name: str = MAIN_TEMPLATE) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound as exc:
            raise _error(f"theme {self.name!r} has no template {exc.name!r}", self.folders[0], code="T004") from None
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from None


def _syntax_error(exc: jinja2.TemplateSyntaxError) -> ThemeError:
    return _error(f"template error: {exc.message}", exc.filename or exc.name or "<template>", exc.lineno or 1, code="T003")


@cache
def _schema_validator() -> Any:
    import jsonschema

    schema = json.loads((resources.schema_path().parent / "theme.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _line_of(node: yaml.Node | None, path: list[Any]) -> tuple[int, int]:
    """1-based line and column of the YAML node at `path` (the nearest existing ancestor)."""
    best = node
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            node = None
        if node is None:
            break
        best = node
    mark = best.start_mark if best is not None else None
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _read_tokens_file(folder: Path) -> dict[str, Any]:
    path = folder / "theme.yaml"
    if not _inside(path, (folder,)):
        raise _error("theme.yaml is a link to a file outside the theme folder", path, code="T002")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _error(f"cannot read theme file: {exc.strerror or exc}", path, code="T002") from None
    try:
        # libyaml when present (a theme file is parsed on every run); the pure-Python loader words any error.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        data = None
    try:
        if data is None:
            data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _error(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", path, line, col, code="T002") from None
    data = {} if data is None else data
    errors = sorted(_schema_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        where = ".".join(map(str, err.absolute_path)) or "theme"
        line, col = _line_of(yaml.compose(text, Loader=yaml.SafeLoader), list(err.absolute_path))
        raise _error(f"{where}: {err.message}", path, line, col, code="T005")
    return data


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, Mapping) and isinstance(out.get(key), Mapping) else value
    return out


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _resolve(name_or_path: str | os.PathLike[str]) -> Path:
    text = os.fspath(name_or_path)
    if "/" in text or "\\" in text or not isinstance(name_or_path, str) or Path(text).is_dir():
        folder = Path(text).expanduser()
    else:
        folder = resources.themes_dir() / text
        if not folder.is_dir():
            known = ", ".join(p.name for p in builtin_folders())
            raise _error(f"unknown theme {text!r}; built-in themes: {known}", text, code="T006")
    if not (folder / "theme.yaml").is_file():
        raise _error("not a theme folder: it has no theme.yaml", folder, code="T006")
    return folder.resolve()


def builtin_folders() -> list[Path]:
    return sorted(p for p in resources.themes_dir().iterdir() if (p / "theme.yaml").is_file())


def _inside(path: Path, folders: tuple[Path, ...]) -> bool:
    """True when `path`, with every symlink resolved, lies in one of `folders`."""
    real = path.resolve()
    return any(real.is_relative_to(folder.resolve()) for folder in folders)


class _ThemeLoader(jinja2.FileSystemLoader):
    """A file loader that also refuses symlinks pointing out of the theme folders."""

    def __init__(self, folders: tuple[Path, ...]):
        super().__init__([str(f) for f in folders], followlinks=False)
        self.folders = folders

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if filename is None or not _inside(Path(filename), self.folders):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


MAX_REPEAT = 1_000_000  # items or characters a template's `*` may produce
MAX_POWER = 1_000  # largest integer exponent a template's `**` may use


class _Sandbox(jinja2.sandbox.SandboxedEnvironment):
    """The Jinja2 sandbox, with a fast path for the layout's plain, frozen data classes.

    `*` and `**` are checked before they run: `'x' * 2000000000` or `10 ** 100000000` in an
    untrusted theme would otherwise take gigabytes or minutes.
    """

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                    raise jinja2.sandbox.SecurityError(
                        f"the result of '*' would be too large (over {MAX_REPEAT:,} items)")
        elif (operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1
              and right > MAX_POWER):
            raise jinja2.sandbox.SecurityError(f"the result of '**' would be too large (exponent over {MAX_POWER:,})")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        from journeymap.layouts import geometry

        if type(obj) in geometry.DATA_TYPES and not attr.startswith("_"):
            return True
        return super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The same answers as the sandbox's, sooner: templates read the layout's data classes and the theme's
        # frozen tokens thousands of times a map. Public attributes of the data classes are always safe (see
        # is_safe_attribute); a token key that is not a mapping method is an item, as the sandbox would find
        # after failing to read it as an attribute.
        kind = type(obj)
        if kind is MappingProxyType and attribute not in _MAPPING_ATTRS:
            try:
                return obj[attribute]
            except KeyError:
                pass
        elif kind in _data_types() and not attribute.startswith("_"):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)


_MAPPING_ATTRS = frozenset(dir(MappingProxyType))


@cache
def _data_types() -> frozenset[type]:
    """Types whose public attributes templates may read: the layout's data classes, an imported template's
    macros (`m.card`) and a loop's counters (`loop.index0`); the sandbox allows the same, more slowly."""
    from jinja2.environment import TemplateModule
    from jinja2.runtime import LoopContext

    from journeymap.layouts import geometry

    return frozenset(geometry.DATA_TYPES) | {TemplateModule, LoopContext}


def _environment(folders: tuple[Path, ...]) -> jinja2.Environment:
    from journeymap.layouts.geometry import num
    from journeymap.render.icons import icon_path

    env = _Sandbox(
        loader=_ThemeLoader(folders),
        autoescape=True,  # explicit: select_autoescape() would not cover .svg.j2
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["n"] = num
    env.globals["icon_path"] = icon_path
    env.bytecode_cache = _bytecode_cache()
    return env


@cache
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs, like Python's .pyc files: compiling the default theme takes
    longer than drawing a map. Jinja2 keeps them in a folder only this user can write (None if it cannot
    make one) and recompiles a template whose source changed."""
    try:
        return jinja2.FileSystemBytecodeCache(pattern="__journeymap_%s.cache")
    except (OSError, RuntimeError):
        return None


def _check_templates(env: jinja2.Environment, folders: tuple[Path, ...]) -> None:
    """Compile every template now, so a syntax error names its file and line before any drawing.

    The built-in themes' templates ship with journeymap and are tested with it: only others are checked."""
    builtin = resources.themes_dir().resolve()
    for folder in folders:
        if folder.resolve().parent == builtin:
            continue
        for path in sorted(folder.rglob("*.j2")):
            if not _inside(path, folders):
                continue  # a symlink out of the theme: the loader will refuse it too
            try:
                env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
            except jinja2.TemplateSyntaxError as exc:
                raise _syntax_error(exc) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise _error(f"cannot read template: {exc}", path, code="T003") from None


def load_theme(name_or_path: str | os.PathLike[str] | Theme) -> Theme:
    """The theme called `name_or_path` (built-in) or stored in that folder."""
    if isinstance(name_or_path, Theme):
        return name_or_path
    folder = _resolve(name_or_path)
    # Keyed on the files' modification times so that an edited theme is reloaded (watch mode).
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file())
    return _load(folder, stamp)


@cache
def _load(folder: Path, _stamp: tuple[tuple[str, int], ...]) -> Theme:
    chain: list[tuple[Path, dict[str, Any]]] = []
    current: Path | None = folder
    while current is not None:
        if current in (f for f, _ in chain):
            raise _error("themes extend each other in a loop", current / "theme.yaml", code="T007")
        data = _read_tokens_file(current)
        chain.append((current, data))
        parent = data.get("extends")
        if parent is None and current != (resources.themes_dir() / "default").resolve():
            parent = "default"
        if parent is None:
            current = None
        elif "/" in parent or parent.startswith("."):
            current = (current / parent).resolve()
            if not (current / "theme.yaml").is_file():
                raise _error(f"extends {parent!r}: not a theme folder", chain[-1][0] / "theme.yaml", code="T006")
        else:
            current = _resolve(parent)
    tokens: dict[str, Any] = {}
    for _, data in reversed(chain):
        tokens = _merge(tokens, data.get("tokens") or {})
    folders = tuple(f for f, _ in chain)
    env = _environment(folders)
    _check_templates(env, folders)
    first = chain[0][1]
    return Theme(
        name=str(first.get("name") or folder.name),
        description=str(first.get("description") or ""),
        folders=folders,
        tokens=_freeze(tokens),
        env=env,
    )
