"""A pytest plugin for the mutation run only (`-p tests.mutation_order` in pyproject.toml's
`[tool.mutmut]`): the tests mutmut selects for a mutant run in one fixed order, the rule
tables first, then `tests/test_checker.py` from top to bottom.

mutmut hands the tests over in the order of a Python set, which changes from run to run.
A fixed order makes each run reproducible, and puts first the tests that kill the most
mutants soonest (the rule tables, then the whole-output tests at the top of
`test_checker.py`), since a mutant stops at its first failing test.
"""

from __future__ import annotations

import pytest

FILES = ("tests/test_rule_tables.py", "tests/test_checker.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def key(item: pytest.Item) -> tuple[int, int, str]:
        path, line, _ = item.location
        rank = FILES.index(path) if path in FILES else len(FILES)
        return rank, line or 0, item.nodeid

    items.sort(key=key)
