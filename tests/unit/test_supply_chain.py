"""Supply chain (catalogue H10): the pins are at or past the fixed versions of the advisories in
../shared/reference/reliability-security.md §1.1, and what is installed is what is pinned.

No advisory service is reachable from the build machines, so this test is the gate here; teams with network run
``pip-audit --strict -r requirements.txt`` (README, "Reliability and security").
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
# Advisory -> (package, first fixed version), from the reference's table of Streamlit CVEs.
FIXED = {
    "CVE-2022-35918 / GHSA-v4hr-4jpx-56gc (component path traversal)": ("streamlit", "1.11.1"),
    "GHSA-8qw9-gf7w-42x5 (follow-up of CVE-2022-35918)": ("streamlit", "1.30.0"),
    "CVE-2023-27494 / GHSA-9c6g-qpgj-rvxw (reflected XSS)": ("streamlit", "0.81.0"),
    "CVE-2024-42474 / GHSA-rxff-vr5r-8cj5 (Windows static-file path traversal)": ("streamlit", "1.37.0"),
    "CVE-2026-33682 / GHSA-7p48-42j8-8846 (Windows SSRF / NTLM leak)": ("streamlit", "1.54.0"),
    "CVE-2026-10804 / GHSA-vqwp-45wm-r9r5 (weak cache hash)": ("streamlit", "1.53.1"),
}


def pins() -> dict[str, str]:
    """Package -> pinned version from requirements.txt (lower-cased names, extras dropped)."""
    found = {}
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;#]+)", line.strip())
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


@pytest.mark.parametrize("advisory", sorted(FIXED))
def test_pin_is_at_or_past_the_fixed_version(advisory: str) -> None:
    package, fixed = FIXED[advisory]
    assert Version(pins()[package]) >= Version(fixed), f"{package} pinned below the fix of {advisory}"


def test_every_runtime_dependency_is_pinned_and_installed_at_its_pin() -> None:
    lines = [
        line.strip()
        for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "-r"))
    ]
    assert all("==" in line for line in lines), lines
    for package, pinned in pins().items():
        assert version(package) == pinned, f"{package} installed {version(package)}, pinned {pinned}"


def test_readme_documents_the_audit_command_for_teams_with_network() -> None:
    assert "pip-audit --strict -r requirements.txt" in (REPO / "README.md").read_text(encoding="utf-8")
