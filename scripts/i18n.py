"""Translation catalogs, the Babel way: extract the messages, merge them into every language's .po, compile the .mo.

Run as ``make i18n`` after adding or changing user-facing text, and after a translator edits a ``.po`` file. The
app fills placeholders with ``str.format`` ({name}) and never with %-formatting, so the catalogs are compiled
without Babel's %-format check (it reads "30 % of" as a %o conversion and rejects good translations); the brace
placeholders of every translation are checked by tests/unit/test_i18n.py instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "salesops" / "locale"
TEMPLATE = LOCALE / "messages.pot"
KEYWORDS = ("t", "translate", "N_", "Wording")


def pybabel(*args: str) -> None:
    """Run one pybabel command in-process; stop on its failure."""
    code = CommandLineInterface().run(["pybabel", *args])
    if code:
        sys.exit(code)


def compile_catalogs() -> None:
    """Write each language's .mo from its .po (fuzzy entries left out, as gettext expects)."""
    for source in sorted(LOCALE.glob("*/LC_MESSAGES/messages.po")):
        with source.open("rb") as handle:
            catalog = read_po(handle)
        with source.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        done = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
        print(f"{source.relative_to(REPO)}: {done} of {sum(1 for m in catalog if m.id)} messages translated")


def main() -> None:
    """Extract, update every language, compile."""
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    pybabel("extract", "-F", str(REPO / "babel.cfg"), "--no-default-keywords", *keywords, "--no-location",
            "--sort-output", "--project", "Sales Ops Planner", "-o", str(TEMPLATE), str(REPO))  # fmt: skip
    pybabel(
        "update", "-i", str(TEMPLATE), "-d", str(LOCALE), "-D", "messages", "--no-fuzzy-matching", "--ignore-obsolete"
    )
    compile_catalogs()


if __name__ == "__main__":
    main()
