"""The transform on a pool of worker processes gives exactly what it gives on one process."""

from __future__ import annotations

import sys
import threading
import time

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


def test_the_workers_run_no_further_ahead_of_the_build_than_the_window(tmp_path, monkeypatch):
    # Each document a worker transforms is noted in a file (the workers are forked with the patched module);
    # while the build holds the first document and takes no more, the workers stop once the window is full.
    import edition.transform

    done = tmp_path / "transformed.txt"
    views = edition.transform._document_views

    def noted(edition_read, index):
        with open(done, "a") as file:
            file.write(f"{index}\n")
        return views(edition_read, index)

    monkeypatch.setattr(edition.transform, "_document_views", noted)
    monkeypatch.setattr(edition.transform, "IN_FLIGHT", 3)
    monkeypatch.setattr(edition.transform, "CHUNK", 1)
    generate(tmp_path / "edition", 120, seed=6)
    edition_read, report = read_valid_edition(tmp_path / "edition")
    assert edition_read is not None, [d.format() for d in report.errors]
    documents = edition.transform.transformed(edition_read, processes=2)
    next(documents)
    time.sleep(2)  # time enough for two workers to transform every document, were they let
    ahead = len(done.read_text().split())
    assert ahead <= 2 * 3 + 2, f"{ahead} documents transformed while the build held the first"
    assert len([next(documents) for _ in range(119)]) == 119
    assert len(done.read_text().split()) == 120
    documents.close()
    # A build that stops taking documents (an error) ends the workers, and is not kept waiting by the window.
    stopped_early = edition.transform.transformed(edition_read, processes=2)
    next(stopped_early)
    closing = threading.Thread(target=stopped_early.close, daemon=True)
    closing.start()
    closing.join(timeout=30)
    assert not closing.is_alive(), "the pool did not end when the build stopped taking documents"
