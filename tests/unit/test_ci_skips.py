"""With CI=true a test that needs ../shared/datasets or PostgreSQL fails when either is missing, never skips."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import require

TESTS = Path(__file__).resolve().parents[1]


def test_a_missing_prerequisite_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="datasets"):
        require(False, "../shared/datasets is not present")


@pytest.mark.parametrize("value", ["true", "True", "1"])
def test_a_missing_prerequisite_fails_under_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL"):
        require(False, "PostgreSQL is not answering")
    require(True, "present: nothing happens")


def _skips(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in {"skip", "skipif", "importorskip"}:
            found.append(f"{path.relative_to(TESTS)}:{node.lineno} {node.attr}")
    return found


def test_every_skip_goes_through_the_ci_aware_helper() -> None:
    skips = [s for path in sorted(TESTS.rglob("*.py")) if path.name != Path(__file__).name for s in _skips(path)]
    assert [s.split(":")[0] for s in skips] == ["conftest.py"], skips  # only require() itself skips
