"""Best-practice checks for journey maps, in the style of well-known linters.

    journeymap lint maps/          # every *.yaml below
    journeymap lint --rules        # the rules, their codes and what they ask for

Rules live in `rules.py`, settings in `config.py`, comments that turn rules off in
`directives.py`, and `runner.py` applies them.
"""

from journeymap.lint.config import ConfigError, LintConfig, load_config, parse_config
from journeymap.lint.rules import RULES, Rule
from journeymap.lint.runner import lint_file, run_rules

__all__ = ["RULES", "ConfigError", "LintConfig", "Rule", "lint_file", "load_config", "parse_config", "run_rules"]
