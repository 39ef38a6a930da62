"""Rewrite the expected HTML of every golden case from the current stylesheets.

    python tests/regenerate_golden.py            # every case
    python tests/regenerate_golden.py signs      # the cases whose "module/case" name contains "signs"

Run it only after an intended change of rendering, then read `git diff tests/golden/`: each changed line
is a change of what the edition publishes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_golden import ROOT, golden_cases, normalise, render  # noqa: E402


def main(filters: list[str]) -> int:
    """Write each selected case's normalised rendering beside its TEI input; print what changed."""
    for source in golden_cases():
        name = f"{source.parent.name}/{source.stem}"
        if filters and not any(text in name for text in filters):
            continue
        expected_file = source.with_suffix(".html")
        rendering = normalise(render(source)) + "\n"
        previous = expected_file.read_text(encoding="utf-8") if expected_file.exists() else None
        if rendering != previous:
            expected_file.write_text(rendering, encoding="utf-8")
            print(f"wrote {expected_file.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
