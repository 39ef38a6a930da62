"""Rewrite the expected HTML of every golden case and every example of the encoding guidelines, in every view,
from the current stylesheets.

    python tests/regenerate_golden.py            # every case
    python tests/regenerate_golden.py signs      # the cases whose "module/case" name contains "signs"

Run it only after an intended change of rendering, then read `git diff tests/golden/`: each changed line
is a change of what the edition publishes.

It also rewrites the citations of `tests/golden/citations/` (plain text, CSL-JSON, BibTeX) from edition/cite.py;
`python tests/regenerate_golden.py citations` rewrites only those.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_golden import ROOT, VIEWS, expected_file, golden_cases, normalise, render  # noqa: E402
from test_guidelines import expected_file as example_file  # noqa: E402
from test_guidelines import guideline_examples, render_example  # noqa: E402
from test_cite import GOLDEN_CITATIONS, GOLDEN_NAMES, citation_goldens  # noqa: E402


def main(filters: list[str]) -> int:
    """Write each selected case's normalised rendering in each view beside its TEI input; print what changed."""
    for source in golden_cases():
        name = f"{source.parent.name}/{source.stem}"
        if filters and not any(text in name for text in filters):
            continue
        for view in VIEWS:
            path = expected_file(source, view)
            write(path, normalise(render(source, view=view)) + "\n")
    for example in guideline_examples():
        if filters and not any(text in f"guidelines/{example.name}" for text in filters):
            continue
        for view in VIEWS:
            write(example_file(example, view), normalise(render_example(example, view)) + "\n")
    cited = [name for name in GOLDEN_NAMES if not filters or any(text in f"citations/{name}" for text in filters)]
    if cited:
        citations = citation_goldens()
        for name in cited:
            write(GOLDEN_CITATIONS / name, citations[name])
    return 0


def write(path: Path, rendering: str) -> None:
    previous = path.read_text(encoding="utf-8") if path.exists() else None
    if rendering != previous:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendering, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
