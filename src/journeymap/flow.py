"""Journeys that are not a straight line: alternative paths, loops and drop-offs.

A step may offer `paths` (alternatives that branch off after it and `rejoin` a later
step of the main path, or end), `next` (the step that follows instead of the next
one, e.g. a loop back) and `exit` (a drop-off). From every step the customer must
be able to reach an end: the last step of the main path, an exit, or the end of a
path that does not rejoin. A loop made with `next` is fine as long as some step in
it offers a way out.

`check` runs on the raw (possibly schema-invalid) document, so it checks every shape
it relies on and skips what the schema reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from journeymap.messages import DocPath, Issue, as_list, did_you_mean, short
from journeymap.model import _Ids

END = "\0end"  # the node every step must reach


@dataclass
class _Node:
    id: str
    path: DocPath
    data: dict[str, Any]
    main_index: int | None  # position on the main path; None inside a path
    following: str | None  # the default next step (None: the end)


def _ids(steps: list[tuple[DocPath, Any]]) -> dict[DocPath, str]:
    """Each step's id as the model derives it (explicit ids first, derived ones in document order)."""
    explicit = {s["id"] for _, s in steps if isinstance(s, dict) and isinstance(s.get("id"), str)}
    ids = _Ids(explicit)
    out: dict[DocPath, str] = {}
    for path, step in steps:
        if isinstance(step, str) and step:
            out[path] = ids.derive(step)
        elif isinstance(step, dict):
            if isinstance(step.get("id"), str):
                out[path] = step["id"]
            elif isinstance(step.get("action"), str):
                out[path] = ids.derive(step["action"])
    return out


def _nodes(steps: list[tuple[DocPath, Any]]) -> dict[str, _Node]:
    ids = _ids(steps)
    # Steps grouped by the list they are in (the main path, or one path), in order: linear, not quadratic.
    lists: dict[DocPath, list[DocPath]] = {}
    for p, _ in steps:
        if p in ids:
            lists.setdefault(p[:-1] if len(p) > 4 else ("main",), []).append(p)
    by_path = dict(steps)
    position = {p: (key, k) for key, members in lists.items() for k, p in enumerate(members)}
    nodes: dict[str, _Node] = {}
    for path, step in steps:
        if path not in ids:
            continue
        data = step if isinstance(step, dict) else {}
        key, k = position[path]
        members = lists[key]
        if k + 1 < len(members):
            following: str | None = ids[members[k + 1]]
        else:
            following = None if len(path) == 4 else _rejoin_of(by_path, path)
        nodes.setdefault(ids[path], _Node(ids[path], path, data, k if len(path) == 4 else None, following))
    return nodes


def _rejoin_of(by_path: dict[DocPath, Any], path: DocPath) -> str | None:
    parent = by_path.get(path[:-4])
    branches = parent.get("paths") if isinstance(parent, dict) else None
    k = path[-3]
    if isinstance(branches, list) and isinstance(k, int) and k < len(branches) and isinstance(branches[k], dict):
        rejoin = branches[k].get("rejoin")
        return rejoin if isinstance(rejoin, str) else None
    return None


def _successors(node: _Node, nodes: dict[str, _Node], ids_by_path: dict[DocPath, str]) -> list[str]:
    data = node.data
    out: list[str] = []
    if data.get("exit") is True:
        out.append(END)
    elif isinstance(data.get("next"), str):
        if data["next"] in nodes:
            out.append(data["next"])
    elif node.following is None:
        out.append(END)
    elif node.following in nodes:
        out.append(node.following)
    for k, branch in enumerate(as_list(data.get("paths"))):
        first = ids_by_path.get(node.path + ("paths", k, "steps", 0))
        if isinstance(branch, dict) and first:
            out.append(first)
    return out


def check(data: dict[str, Any], steps: list[tuple[DocPath, Any]]) -> Iterable[Issue]:
    """Issues with paths, `next`, `rejoin` and `exit` in a document; `steps` as semantic._steps yields them."""
    nodes = _nodes(steps)
    ids_by_path = {n.path: n.id for n in nodes.values()}
    known = list(nodes)
    main = sorted((n for n in nodes.values() if n.main_index is not None), key=lambda n: n.main_index or 0)
    issues: list[Issue] = []
    for path, step in steps:
        if not isinstance(step, dict):
            continue
        me = ids_by_path.get(path, "")
        nxt = step.get("next")
        if isinstance(nxt, str):
            if nxt not in nodes:
                issues.append(Issue("E211", f"next: unknown step '{short(nxt)}'{did_you_mean(nxt, known)}",
                                    path + ("next",)))
            elif nxt == me:
                issues.append(Issue("E213", "next cannot name the step itself", path + ("next",)))
            if step.get("exit") is True:
                issues.append(Issue("E216", "a step that exits cannot also have 'next'", path + ("next",), at_key=True))
        if "exit_reason" in step and step.get("exit") is not True:
            issues.append(Issue("E214", "exit_reason needs 'exit: true'", path + ("exit_reason",), at_key=True))
        node = nodes.get(me)
        if step.get("exit") is True and node and node.main_index is not None and node.main_index < len(main) - 1:
            issues.append(Issue("E215", f"only a step in a path, or the last step of the journey, can exit: the main "
                                f"path goes on after '{short(me)}'; move the drop-off into a path",
                                path + ("exit",)))
        for k, branch in enumerate(as_list(step.get("paths"))):
            rejoin = branch.get("rejoin") if isinstance(branch, dict) else None
            if not isinstance(rejoin, str):
                continue
            where = path + ("paths", k, "rejoin")
            target = nodes.get(rejoin)
            if target is None:
                issues.append(Issue("E211", f"rejoin: unknown step '{short(rejoin)}'{did_you_mean(rejoin, known)}",
                                    where))
            elif target.main_index is None:
                issues.append(Issue("E212", f"rejoin must name a step on the main path; '{short(rejoin)}' is in a "
                                    "path", where))
            elif node is None or node.main_index is None or target.main_index <= node.main_index:
                issues.append(Issue("E212", f"rejoin must name a step after '{short(me)}' on the main path; to loop "
                                    "back, use 'next' on the path's last step", where))
    issues.extend(_dead_loops(nodes, ids_by_path))
    return issues


def _dead_loops(nodes: dict[str, _Node], ids_by_path: dict[DocPath, str]) -> list[Issue]:
    """One issue per `next` that leads into steps from which no end can be reached."""
    preds: dict[str, list[str]] = {}
    for n in nodes.values():
        for target in _successors(n, nodes, ids_by_path):
            preds.setdefault(target, []).append(n.id)
    # Walk back from the end: linear in the steps (growing a set until it stops changing was quadratic).
    reaches, todo = {END}, [END]
    while todo:
        for nid in preds.get(todo.pop(), ()):
            if nid not in reaches:
                reaches.add(nid)
                todo.append(nid)
    issues = []
    for node in nodes.values():
        nxt = node.data.get("next")
        if (node.id not in reaches and isinstance(nxt, str) and nxt in nodes and nxt != node.id
                and node.data.get("exit") is not True):  # a step naming itself is E213 already
            issues.append(Issue("E217", f"'next: {short(nxt)}' makes a loop with no way out: from '{short(node.id)}' "
                                "the customer can never reach the end of the journey; give a step in the loop a "
                                "path out, or an exit", node.path + ("next",)))
    return issues

