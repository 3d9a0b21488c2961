"""The package dependency rule: import-linter's contracts in pyproject.toml ([tool.importlinter]).

One test per contract, so a broken contract is named in the test's id and the others still pass.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _contract_ids() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [contract["id"] for contract in config["tool"]["importlinter"]["contracts"]]


def test_contracts_are_declared() -> None:
    assert _contract_ids(), "pyproject.toml declares no import-linter contracts"


@pytest.mark.parametrize("contract", _contract_ids())
def test_contract_is_kept(contract: str) -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", "--contract", contract],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(result.stdout + result.stderr, pytrace=False)
