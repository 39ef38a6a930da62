"""The transform on a pool of worker processes gives exactly what it gives on one process."""

from __future__ import annotations

import sys

from conftest import ROOT
from edition.build import read_valid_edition
from edition.transform import PARALLEL_FROM, transform

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402


def test_parallel_transform_gives_the_serial_views_byte_for_byte(tmp_path, monkeypatch):
    import edition.transform

    pools = []
    in_workers = edition.transform._transform_in_workers
    monkeypatch.setattr(edition.transform, "_transform_in_workers",
                        lambda *args: pools.append(args[2]) or in_workers(*args))
    generate(tmp_path / "edition", PARALLEL_FROM + 16, seed=3)
    edition, report = read_valid_edition(tmp_path / "edition")
    assert edition is not None, [d.format() for d in report.errors]
    serial_messages = transform(edition, processes=1)
    assert pools == []
    serial = [dict(d.views) for d in edition.documents]
    for document in edition.documents:
        document.views.clear()
    parallel_messages = transform(edition, processes=2)
    assert pools == [2]
    assert [dict(d.views) for d in edition.documents] == serial
    assert all(views["reading"] and views["diplomatic"] for views in serial)
    assert parallel_messages == serial_messages
