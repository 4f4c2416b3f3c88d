"""Write the bundled sample CRM exports to data/sample/*.csv from ``salesops.sampledata.generate``.

Deterministic: running it twice gives byte-identical files, so the committed CSVs only change when the generator
does. Usage: ``python scripts/make_sample_data.py [--seed 7] [--out data/sample]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script from a checkout, without installing the package

from salesops.sampledata import generate  # noqa: E402


def write_sample(out_dir: Path, seed: int = 7) -> dict[str, Path]:
    """Write one UTF-8, comma-separated CSV per entity into ``out_dir``; return the paths by entity."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for entity, frame in generate(seed).items():
        path = out_dir / f"{entity}.csv"
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        paths[entity] = path
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "sample")
    args = parser.parse_args()
    for entity, path in write_sample(args.out, args.seed).items():
        print(f"{entity:<11} {path.stat().st_size / 1e6:6.2f} MB  {path}")


if __name__ == "__main__":
    main()
