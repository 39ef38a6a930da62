"""The transform on a pool of worker processes gives exactly what it gives on one process."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from conftest import ROOT
from edition.build import build, read_valid_edition
from edition.diagnostics import ExitCode
from edition.load import ChangedFile
from edition.state import MANIFEST
from edition.transform import transform
from edition.workers import PARALLEL_FROM

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402


def test_parallel_transform_gives_the_serial_views_byte_for_byte(tmp_path, monkeypatch):
    import edition.workers

    pools = []
    in_workers = edition.workers._in_workers
    monkeypatch.setattr(edition.workers, "_in_workers",
                        lambda *args: pools.append(args[2]) or in_workers(*args))
    generate(tmp_path / "edition", PARALLEL_FROM + 16, seed=3)
    edition, report = read_valid_edition(tmp_path / "edition")
    assert edition is not None, [d.format() for d in report.errors]
    pools.clear()  # the files were validated on the workers: the transform's own pools are counted
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
    import edition.workers

    done = tmp_path / "transformed.txt"
    views = edition.transform._document_views

    def noted(edition_read, index):
        with open(done, "a") as file:
            file.write(f"{index}\n")
        return views(edition_read, index)

    monkeypatch.setattr(edition.transform, "_document_views", noted)
    monkeypatch.setattr(edition.workers, "IN_FLIGHT", 3)
    monkeypatch.setattr(edition.workers, "CHUNK", 1)
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


def _site(folder) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != MANIFEST}


def _counting_pools(monkeypatch) -> list[int]:
    import edition.workers

    pools = []
    in_workers = edition.workers._in_workers
    monkeypatch.setattr(edition.workers, "_in_workers", lambda *args: pools.append(args[2]) or in_workers(*args))
    return pools


def _on_one_process(monkeypatch) -> None:
    import edition.workers

    monkeypatch.setattr(edition.workers, "PARALLEL_FROM", 10**9)


def test_a_build_on_the_workers_makes_the_site_a_build_on_one_process_makes(tmp_path, monkeypatch):
    import edition.render

    generate(tmp_path / "edition", PARALLEL_FROM + 16, seed=4)
    pools = _counting_pools(monkeypatch)
    renderers = tmp_path / "renderers.txt"
    pages = edition.render.document_pages

    def noted(*args):  # which process renders each document's pages (forked workers inherit the patch)
        with open(renderers, "a") as file:
            file.write(f"{os.getpid()}\n")
        return pages(*args)

    monkeypatch.setattr(edition.render, "document_pages", noted)
    parallel = build(tmp_path / "edition", tmp_path / "parallel", search_index=False)
    assert parallel.exit_code == 0, [d.format() for d in parallel.report.errors]
    assert pools == [2, 2]  # the files validated, then the documents transformed and rendered
    assert str(os.getpid()) not in renderers.read_text().split()
    _on_one_process(monkeypatch)
    serial = build(tmp_path / "edition", tmp_path / "serial", search_index=False)
    assert pools == [2, 2]
    assert [d.format() for d in parallel.report.sorted()] == [d.format() for d in serial.report.sorted()]
    assert _site(tmp_path / "parallel") == _site(tmp_path / "serial")
    assert len(_site(tmp_path / "serial")) > 5 * (PARALLEL_FROM + 16)


def test_files_validated_on_the_workers_give_the_diagnostics_of_one_process(tmp_path, monkeypatch):
    generate(tmp_path / "edition", PARALLEL_FROM + 16, seed=5)
    texts = sorted((tmp_path / "edition" / "texts").rglob("*-0000[0-9][0-9].xml"))
    for text, (old, new) in zip(texts[10::30], [("<body>", "<body><unknown/>"),
                                                 ('ref="#', 'ref="#nowhere-'),
                                                 ("<pb ", '<gap reason="lost"/><pb ')]):
        source = text.read_text()
        assert old in source, text
        text.write_text(source.replace(old, new, 1))
    pools = _counting_pools(monkeypatch)
    parallel = build(tmp_path / "edition", tmp_path / "parallel", search_index=False)
    assert pools == [2]
    _on_one_process(monkeypatch)
    serial = build(tmp_path / "edition", tmp_path / "serial", search_index=False)
    found = [d.format() for d in parallel.report.sorted()]
    assert found == [d.format() for d in serial.report.sorted()]
    assert {"[schema]", "[pointer-resolves]", "[gap-reason-known]", "[gap-extent]"} <= \
           {line.rsplit(" ", 1)[-1] for line in found}
    assert parallel.exit_code == serial.exit_code == ExitCode.INVALID


def test_a_template_that_fails_on_the_workers_is_reported_as_on_one_process(tmp_path, monkeypatch):
    project = tmp_path / "edition"
    generate(project, PARALLEL_FROM + 16, seed=7)
    (project / "layout").mkdir()
    (project / "layout" / "document.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ document.metadata.title.no_such_thing() }}\n{% endblock %}\n')
    with (project / "edition.toml").open("a") as settings:
        settings.write('templates = "layout"\n')
    pools = _counting_pools(monkeypatch)
    parallel = build(project, tmp_path / "parallel", search_index=False)
    assert pools == [2, 2]
    _on_one_process(monkeypatch)
    serial = build(project, tmp_path / "serial", search_index=False)
    found = [d.format() for d in parallel.report.errors]
    assert found == [d.format() for d in serial.report.errors]
    assert len(found) == 1 and "no_such_thing" in found[0] and found[0].endswith("[template]")
    assert not (tmp_path / "parallel").exists()


def test_a_file_changed_while_a_worker_validates_it_stops_the_build_naming_it(tmp_path):
    project = tmp_path / "edition"
    generate(project, PARALLEL_FROM + 16, seed=8)
    changed = sorted((project / "texts").rglob("*.xml"))[-3]

    def saved_by_an_editor():  # once the files are read, before they are validated
        if b"<!-- saved -->" not in changed.read_bytes():
            changed.write_bytes(changed.read_bytes() + b"<!-- saved -->\n")

    with pytest.raises(ChangedFile) as raised:
        read_valid_edition(project, settle=saved_by_an_editor)
    assert raised.value.path == changed
    result = build(project, tmp_path / "site", search_index=False)
    assert result.exit_code == ExitCode.OK
