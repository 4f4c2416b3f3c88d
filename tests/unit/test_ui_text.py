"""User data shown through Markdown is literal text: no links, images, HTML, emphasis or LaTeX (catalogue H1)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from salesops.ui.common import plain

LINK_OR_IMAGE = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
TAG = re.compile(r"(?<!\\)<[a-zA-Z/]")


def test_known_payloads_are_inert() -> None:
    joiner = "\u2060"  # invisible: it only stops GitHub-flavoured Markdown from auto-linking a URL or e-mail address
    assert plain("[click](javascript:alert(1))") == r"\[click\](javascript\:alert(1))"
    assert plain("![](https://tracker.example/p.png)") == rf"\!\[\](h{joiner}ttps\://tracker.example/p.png)"
    assert plain("<img src=x onerror=alert(1)>") == r"\<img src=x onerror=alert(1)\>"
    assert plain("see www.evil.example or http://evil.example") == (
        rf"see w{joiner}ww\.evil.example or h{joiner}ttp\://evil.example"
    )
    assert plain("ann@example.com") == f"ann{joiner}@example.com"
    assert plain("$140k at $42k") == r"\$140k at \$42k"  # two dollar signs would render as LaTeX
    assert plain("Q3_export.csv") == r"Q3\_export.csv"


@given(st.text(max_size=60))
def test_no_markup_survives(text: str) -> None:
    escaped = plain(text)
    assert not LINK_OR_IMAGE.search(escaped)
    assert not TAG.search(escaped)
    # the characters a user sees are unchanged (line breaks become spaces, so a value stays on its line)
    shown = escaped.replace("\\", "").replace("\u2060", "")
    assert shown == " ".join(text.splitlines()).replace("\\", "").replace("\u2060", "")
