"""Every test with its own transactions also restores the migrated data (countries, SDGs,
content types) when it ends (``serialized_rollback=True``): a transactional test that only
flushes leaves the next one a database without them, or with content types created twice."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _transactional_marks_without_rollback() -> list[str]:
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("django_db")):
                continue
            given = {k.arg: ast.unparse(k.value) for k in node.keywords}
            if given.get("transaction") == "True" and given.get("serialized_rollback") != "True":
                found.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    return found


def test_every_transactional_test_restores_the_migrated_data():
    assert _transactional_marks_without_rollback() == []
