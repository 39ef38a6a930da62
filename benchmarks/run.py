"""The benchmark: full builds without and with search, incremental rebuilds after one changed document,
the live preview's quick rebuild after a correction (corrections.py), the time of each stage, peak memory
and the median page weight, each time also as a ratio to the floor (benchmarks/floor.py) measured in the same
run on the same files.

    python benchmarks/run.py [--frus-docs PATH] [--synthetic N ...] [--processes 2] [--json FILE]

Each build runs in a process of its own, so that its peak memory is its own (os.wait4's resource usage).
Nothing here is a test: the figures go to the terminal (and to --json), for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from floor import floor, tei_files  # noqa: E402
from synthetic import generate  # noqa: E402

FRUS_DOCS = HERE.parent.parent / "shared" / "corpus" / "frus-docs"
FRUS_SETTINGS = 'title = "FRUS documents"\nschema = "none"\ntexts = "texts/**/*.xml"\n'


def build_once(project: Path, out: Path, search: bool) -> dict:
    """One build in this process (the child's side): what it did and how long each stage took."""
    from edition.build import build

    result = build(project, out, search_index=search)
    return {"exit": int(result.exit_code), "documents": result.documents, "remade": result.remade,
            "pages": result.pages,
            "seconds": result.seconds, "stages": result.stages.seconds,
            "errors": [d.format() for d in result.report.errors[:5]]}


# Corrections the preview makes in a row, in the benchmark: the figure is the median.
CORRECTIONS = 5


def preview_once(project: Path, out: Path) -> dict:
    """As `edition serve` works (the child's side): a build that keeps the edition, then corrections of one
    document in a row, each next to a name, each rebuilt quickly. The figures of the median one."""
    from edition.build import build
    import time

    from edition.corrections import correct, finish, prepare

    result = build(project, out, search_index=False, retain=True)
    if result.built is None:
        return {"exit": int(result.exit_code), "errors": [d.format() for d in result.report.errors[:5]]}
    prepare(result.built)  # as the preview does while it waits for a change
    quick, finishing = [], []
    for number in range(CORRECTIONS):
        changed = correct_next_to_a_name(project, number)
        corrected = correct(result.built, {changed})
        if corrected is None:
            return {"exit": 1, "errors": [f"{changed}: the change was not taken for a correction"]}
        quick.append(corrected)
        started = time.perf_counter()  # the zip and the state's name for the site, after the pages reloaded
        finish(result.built)
        finishing.append(time.perf_counter() - started)
    median = sorted(quick, key=lambda q: q.seconds)[len(quick) // 2]
    return {"exit": 0, "documents": median.documents, "remade": median.remade, "pages": median.pages,
            "seconds": median.seconds, "all_seconds": [q.seconds for q in quick],
            "stages": {**median.stages.seconds, "then zip (median)": statistics.median(finishing)},
            "errors": []}


def measured_build(project: Path, out: Path, search: bool, preview: bool = False) -> dict:
    """A build in a child process (with `preview`, the preview's corrections): its figures and its peak
    resident memory in MB."""
    command = [sys.executable, str(Path(__file__).resolve()), "--preview-once" if preview else "--build-once",
               str(project), str(out)]
    if search:
        command.append("--search")
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    figures = json.loads(output)
    if figures["exit"] != 0:
        raise SystemExit(f"the build of {project} failed: {figures['errors']}")
    figures["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return figures


def change_one_document(project: Path) -> Path:
    """Change one word of one document (the middle one), as an editor's correction does."""
    documents = sorted(p for p in (project / "texts").rglob("*.xml") if p.name != "registers.xml")
    document = documents[len(documents) // 2]
    text = document.read_text(encoding="utf-8")
    paragraph = re.compile(r"<p(?:\s[^>]*)?>").search(text, text.find("<body"))
    document.write_text(text[:paragraph.end()] + "CORRECTED " + text[paragraph.end():], encoding="utf-8")
    return document


def correct_next_to_a_name(project: Path, number: int) -> Path:
    """Add a word (numbered, so that each correction differs) next to the first name in the text of one
    document (the middle one): a correction that changes a passage, so that the pages of every entry showing
    the document's passages are made again too."""
    documents = sorted(p for p in (project / "texts").rglob("*.xml") if p.name != "registers.xml")
    document = documents[len(documents) // 2]
    text = document.read_text(encoding="utf-8")
    paragraph = re.compile(r"<p(?:\s[^>]*)?>").search(text, text.find("<body")).end()
    name = re.compile(r"<(persName|orgName|placeName|rs)\b").search(text, paragraph)
    at = name.start() if name else paragraph
    document.write_text(f"{text[:at]}CORRECTION{number} {text[at:]}", encoding="utf-8")
    return document


def median_page_kb(site: Path) -> float:
    sizes = [p.stat().st_size for p in (site / "documents").rglob("index.html")]
    return statistics.median(sizes) / 1024 if sizes else 0.0


def run_corpus(name: str, project: Path, processes: int) -> dict:
    files = tei_files([project / "texts"])
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    base = floor(files, processes)
    out = project.parent / "site"
    plain = measured_build(project, out, search=False)
    changed = change_one_document(project)
    incremental = measured_build(project, out, search=False)
    # The first rebuild after a full build writes its site into a new folder; from the second on, a rebuild
    # writes over the site before the last (the spare, write.Spare): the figure an editor sees while working.
    change_one_document(project)
    incremental_again = measured_build(project, out, search=False)
    corrected = measured_build(project, out, search=False, preview=True)
    with_search = measured_build(project, project.parent / "site-search", search=True)
    change_one_document(project)
    incremental_search = measured_build(project, project.parent / "site-search", search=True)
    report = {
        "corpus": name, "files": len(files), "megabytes": round(megabytes, 1),
        "floor": {"seconds": base["seconds"], "documents_per_second": base["documents_per_second"]},
        "build": plain, "build_with_search": with_search, "incremental": incremental,
        "incremental_again": incremental_again, "preview_correction": corrected,
        "incremental_with_search": incremental_search,
        "changed": changed.name, "median_page_kb": round(median_page_kb(out), 1),
    }
    for key in ("build", "build_with_search", "incremental", "incremental_again", "preview_correction",
                "incremental_with_search"):
        report[key]["ratio_to_floor"] = round(report[key]["seconds"] / base["seconds"], 1)
        report[key]["documents_per_second"] = round(len(files) / report[key]["seconds"], 1)
        report[key]["megabytes_per_second"] = round(megabytes / report[key]["seconds"], 2)
    return report


def print_report(report: dict) -> None:
    floor_seconds = report["floor"]["seconds"]
    print(f"\n## {report['corpus']}: {report['files']} files, {report['megabytes']} MB; "
          f"median document page {report['median_page_kb']} kB")
    print(f"floor: {floor_seconds:.2f} s ({report['floor']['documents_per_second']:.0f} documents/s)")
    for key, label in (("build", "full build, no search"), ("build_with_search", "full build with search"),
                       ("incremental", f"rebuild after changing {report['changed']}, no search"),
                       ("incremental_again", "rebuild after changing it again (over the spare site), no search"),
                       ("preview_correction", f"edition serve: a correction's pages rebuilt in place (median "
                                              f"of {CORRECTIONS}; peak of the preview's process)"),
                       ("incremental_with_search", "rebuild after changing it again, with search")):
        figures = report[key]
        print(f"{label}: {figures['remade']} of {figures['documents']} documents made, "
              f"{figures['seconds']:.2f} s = {figures['ratio_to_floor']}× the floor, "
              f"{figures['documents_per_second']} documents/s, {figures['megabytes_per_second']} MB/s, "
              f"peak {figures['peak_mb']:.0f} MB")
        stages = ", ".join(f"{stage} {seconds:.2f} s ({seconds / floor_seconds:.1f}×)"
                           for stage, seconds in figures["stages"].items())
        print(f"  stages: {stages}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frus-docs", type=Path, default=FRUS_DOCS)
    parser.add_argument("--synthetic", type=int, nargs="*", default=[1000])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--build-once", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--preview-once", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--search", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.build_once:
        print(json.dumps(build_once(*arguments.build_once, arguments.search)))
        return
    if arguments.preview_once:
        print(json.dumps(preview_once(*arguments.preview_once)))
        return
    reports = []
    with tempfile.TemporaryDirectory(prefix="edition-benchmark-") as scratch:
        if arguments.frus_docs.is_dir():
            project = Path(scratch) / "frus-docs" / "edition"
            shutil.copytree(arguments.frus_docs, project / "texts", ignore=shutil.ignore_patterns("*.md", "*.tsv"))
            (project / "edition.toml").write_text(FRUS_SETTINGS)
            reports.append(run_corpus("frus-docs", project, arguments.processes))
            print_report(reports[-1])
        else:
            print(f"{arguments.frus_docs} is absent: the FRUS documents are left out")
        for n in arguments.synthetic:
            project = Path(scratch) / f"synthetic-{n}" / "edition"
            generate(project, n)
            reports.append(run_corpus(f"synthetic, {n} documents", project, arguments.processes))
            print_report(reports[-1])
            # ignore_errors: the last site may still be being removed by the process its rebuild started
            shutil.rmtree(project.parent, ignore_errors=True)
    if arguments.json:
        arguments.json.write_text(json.dumps(reports, indent=2))


if __name__ == "__main__":
    main()
