"""First start: the Demo workspace is imported file by file with progress, once."""

from __future__ import annotations

from pathlib import Path

from salesops import demo
from salesops.store import get_engine
from salesops.store import workspaces as ws


def test_demo_imports_each_sample_file_with_progress_and_only_once(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'store.db'}")
    seen: list[tuple[float, str]] = []
    assert demo.needs_demo(engine)
    assert demo.ensure_demo(engine, lambda share, name: seen.append((share, name)))
    assert [name for _, name in seen] == list(demo.SAMPLE_FILES)
    assert [share for share, _ in seen] == sorted(share for share, _ in seen)
    assert seen[0][0] == 0.0
    assert seen[-1][0] < 1.0
    with engine.connect() as conn:
        workspace = ws.find(conn, demo.DEMO_WORKSPACE)
        assert workspace is not None
        assert ws.data_version(conn, workspace) >= len(demo.SAMPLE_FILES)
    assert not demo.needs_demo(engine)
    assert not demo.ensure_demo(engine, lambda share, name: seen.append((share, name)))
    assert len(seen) == len(demo.SAMPLE_FILES)
    engine.dispose()
