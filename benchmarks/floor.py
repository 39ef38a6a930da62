"""The floor of the benchmarks: the least any site build on this stack can cost. Each TEI file is read and
parsed with lxml, turned into HTML by a trivial XSLT 1.0 stylesheet and serialised, on a pool of processes.
The edition's figures are reported as ratios to these.

    python benchmarks/floor.py PATH... [--processes N] [--repeat R]

A PATH is a TEI file or a folder searched for *.xml.

The HTML is written to files in a temporary folder (deleted afterwards), one per document: a site build
writes every page, and a floor that skipped the writes would make the build look slower than it is.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

from lxml import etree

# All the stylesheet does is copy the document's text into a page: the least a transformation can do while
# still visiting every text node.
TRIVIAL_XSLT = b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><html><body><xsl:value-of select="."/></body></html></xsl:template>
</xsl:stylesheet>"""

MB = 1_000_000

# Each worker's stylesheet and output folder: a compiled XSLT cannot be sent to a process, so the pool's
# initializer compiles it once per worker and keeps it here for that worker's tasks.
_worker: dict = {}


def floor(files: list[Path], processes: int = 2) -> dict:
    """Parse, transform and serialise every file on `processes` workers; return what it took: documents,
    bytes read, seconds (wall clock, pool start included), documents and MB (10^6 bytes read) per second,
    and the peak resident memory of the largest worker in MB."""
    with tempfile.TemporaryDirectory(prefix="floor-") as output:
        started = time.perf_counter()
        with multiprocessing.Pool(processes, initializer=_start_worker, initargs=(output,)) as pool:
            results = pool.map(_page, enumerate(files), chunksize=16)
        seconds = time.perf_counter() - started
    read = sum(size for size, _ in results)
    return {
        "documents": len(files),
        "bytes": read,
        "seconds": seconds,
        "documents_per_second": len(files) / seconds,
        "mb_per_second": read / MB / seconds,
        "peak_worker_mb": max((peak for _, peak in results), default=0) / 1024,
    }


def _start_worker(output: str) -> None:
    _worker["stylesheet"] = etree.XSLT(etree.XML(TRIVIAL_XSLT))
    _worker["output"] = Path(output)


def _page(task: tuple[int, Path]) -> tuple[int, int]:
    """One file to one written page: the bytes read, and the worker's peak memory so far (kB)."""
    number, path = task
    data = path.read_bytes()
    # The same guarded parser settings as edition/load.py, so the floor parses no more cheaply than a build.
    parser = etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False)
    page = _worker["stylesheet"](etree.fromstring(data, parser))
    # Pages are numbered: files of different folders share names (d1.xml in every FRUS volume).
    (_worker["output"] / f"{number}.html").write_bytes(etree.tostring(page, method="html", encoding="utf-8"))
    return len(data), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def tei_files(paths: list[Path]) -> list[Path]:
    """The TEI files named, and those under the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.xml")) if path.is_dir() else [path])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the floor: lxml parse, trivial XSLT, serialise.")
    parser.add_argument("paths", nargs="+", type=Path, help="TEI files, or folders searched for *.xml")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--repeat", type=int, default=5, help="runs, of which the median is shown (default 5)")
    arguments = parser.parse_args()
    files = tei_files(arguments.paths)
    # A run over a few hundred files lasts a tenth of a second: one run alone can be off by half on a busy machine.
    runs = sorted((floor(files, arguments.processes) for _ in range(arguments.repeat)), key=lambda r: r["seconds"])
    figures = runs[len(runs) // 2]
    print(f"{figures['documents']:,} documents, {figures['bytes'] / MB:,.1f} MB in {figures['seconds']:.2f} s "
          f"(median of {len(runs)} runs) with {arguments.processes} worker{'s' * (arguments.processes != 1)}: "
          f"{figures['documents_per_second']:,.0f} documents/s, {figures['mb_per_second']:,.1f} MB/s, "
          f"peak {figures['peak_worker_mb']:,.0f} MB per worker")


if __name__ == "__main__":
    main()
