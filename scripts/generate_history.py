"""Write a large, realistic history.toml to look at: `--sessions 10000 --out DIR`.

It uses the benchmarks' generator (benchmarks/histories.py), so the file is laid out exactly as
the app writes it. Open the app on it with `RETROWALK_DATA_DIR=DIR uv run retrowalk`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import histories  # noqa: E402 (found through the line above)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, required=True, metavar="N", help="how many")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="data folder")
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=date.today() - timedelta(days=1),
        metavar="YYYY-MM-DD",
        help="date of the newest session (default: yesterday)",
    )
    parser.add_argument("--seed", type=int, default=histories.SEED, help="random seed")
    parser.add_argument("--force", action="store_true", help="replace an existing history.toml")
    args = parser.parse_args(argv)
    if args.sessions < 0:
        parser.error("--sessions must be 0 or more")
    target = args.out / "history.toml"
    if target.exists() and not args.force:
        print(f"{target} exists; pass --force to replace it", file=sys.stderr)
        return 2
    path = histories.write_history(args.out, args.sessions, end=args.end, seed=args.seed)
    size_mb = path.stat().st_size / 1e6
    print(f"wrote {args.sessions:,} sessions ({size_mb:.1f} MB) to {path}")
    print(f"open it with: RETROWALK_DATA_DIR={args.out} uv run retrowalk")
    return 0


if __name__ == "__main__":
    sys.exit(main())
