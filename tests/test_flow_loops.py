"""Loops made with `next`: reported when no step in them leads to the end, in time linear in the steps."""

from __future__ import annotations

from journeymap.api import validate

LOOP = """\
journeymap: 1
title: Loop
stages:
  - name: Try
    steps:
      - id: a
        action: Start
      - id: b
        action: Retry
        next: a
{way_out}      - id: c
        action: Finish
"""
WAY_OUT = """\
        paths:
          - name: Gives up
            steps:
              - action: Leaves
                exit: true
"""


def test_a_loop_with_no_way_out_is_reported_at_its_next() -> None:
    [d] = validate(LOOP.format(way_out=""))
    assert (d.code, d.line, d.column) == ("E217", 10, 15)
    assert d.message == ("'next: a' makes a loop with no way out: from 'b' the customer can never reach the end of "
                         "the journey; give a step in the loop a path out, or an exit")


def test_a_loop_with_a_path_out_is_fine() -> None:
    assert validate(LOOP.format(way_out=WAY_OUT)) == []


def test_a_long_chain_that_loops_back_once() -> None:
    # 3,000 steps: the reachability walk is linear (a fixed-point loop over all steps was quadratic).
    steps = "".join(f"      - id: s{i}\n        action: Step {i}\n" for i in range(3000))
    text = f"journeymap: 1\ntitle: Long\nstages:\n  - name: All\n    steps:\n{steps}        next: s0\n"
    [d] = validate(text)
    assert d.code == "E217" and "from 's2999'" in d.message
