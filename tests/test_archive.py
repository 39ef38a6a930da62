"""The edition's zip (archive.py): read by standard readers, the same bytes with or without the last zip, and
the compressed data of unchanged files copied from a last zip only when this writer wrote it."""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import edition.render
from conftest import ROOT
from edition.archive import MARK, Member, _Entry, _central_header, _local_header, write_archive
from edition.build import build

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402

BUILT = (2024, 5, 17, 0, 0, 0)


def texts(count: int, changed: int | None = None) -> list[tuple[str, bytes]]:
    """TEI-like files, each different; `changed` names one whose text is amended."""
    members = []
    for n in range(count):
        body = "".join(f'<p n="{n}.{p}"><persName ref="#p{(n * p) % 97}">Gesandter {n}</persName> an den Hof.</p>\n'
                       for p in range(40))
        if n == changed:
            body = body.replace("an den Hof", "an den Kaiser", 1)
        text = f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{body}</TEI>\n'
        members.append((f"texts/letter-{n:04}.xml", text.encode()))
    return members


def written(members, previous: Path | None = None) -> tuple[bytes, int]:
    file = io.BytesIO()
    result = write_archive(file, members, BUILT, previous)
    assert result.members == len(members)
    return file.getvalue(), result.reused


def test_the_zip_reads_back_names_bytes_and_dates(tmp_path):
    members = texts(3) + [("texts/Münster-Friede.xml", "<TEI>Friede zu Münster, 1648</TEI>".encode()),
                          ("registers/empty.xml", b"")]
    data, _ = written(members)
    path = tmp_path / "edition-tei.zip"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [name for name, _ in members]
        assert [archive.read(name) for name, _ in members] == [text for _, text in members]
        assert {info.date_time for info in archive.infolist()} == {BUILT}
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
        assert [info.flag_bits & 0x800 for info in archive.infolist()] == [0, 0, 0, 0x800, 0]
        assert {info.external_attr for info in archive.infolist()} == {0o100644 << 16}
        assert archive.comment == MARK
    assert_unzip_tests(path)


def test_a_last_zip_of_this_writer_is_copied_from_and_the_bytes_are_the_same(tmp_path):
    last = tmp_path / "last.zip"
    last.write_bytes(written(texts(50))[0])
    members = texts(50, changed=7)
    members.insert(20, ("texts/new.xml", b"<TEI>new</TEI>"))
    del members[40]
    clean, reused_clean = written(members)
    incremental, reused = written(members, last)
    assert reused_clean == 0
    assert reused == 48  # 50, less the amended one and the one gone; the new one compressed
    assert incremental == clean


def test_a_member_of_the_same_name_crc_and_size_but_other_bytes_is_compressed_again(tmp_path):
    # CRC and size can agree by chance: here the last zip's member is given the compressed data of another
    # text of the same length, its directory left saying the old CRC and size.
    members = [("texts/a.xml", b"<TEI>" + b"a" * 200 + b"</TEI>")]
    data, _ = written(members)
    other = zipfile_member_data(data, "texts/a.xml")
    forged = data.replace(other, written_member(b"<TEI>" + b"b" * 200 + b"</TEI>"))
    assert len(forged) == len(data) and forged != data
    last = tmp_path / "last.zip"
    last.write_bytes(forged)
    assert written(members, last) == (data, 0)


@pytest.mark.parametrize("damage", ["another writer", "truncated", "garbage", "member data damaged", "folder"])
def test_a_last_zip_not_to_be_trusted_is_not_copied_from_and_raises_nothing(tmp_path, damage):
    members = texts(20)
    clean, _ = written(members)
    last = tmp_path / "last.zip"
    if damage == "another writer":
        with zipfile.ZipFile(last, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in members:
                archive.writestr(zipfile.ZipInfo(name, date_time=BUILT), text, compress_type=zipfile.ZIP_DEFLATED)
    elif damage == "truncated":
        last.write_bytes(clean[:len(clean) * 2 // 3])
    elif damage == "garbage":
        last.write_bytes(b"PK\x05\x06" + b"\xff" * 200)
    elif damage == "member data damaged":
        start = clean.index(zipfile_member_data(clean, members[3][0]))
        last.write_bytes(clean[:start + 5] + bytes(b ^ 0x5A for b in clean[start + 5:start + 25]) + clean[start + 25:])
    else:
        last.mkdir()
    incremental, reused = written(members, last)
    assert incremental == clean
    assert reused == (19 if damage == "member data damaged" else 0)


def keyed(members, unreadable: set[str] = frozenset()) -> list[Member]:
    """The members with the key of their bytes; reading one named in `unreadable` fails the test."""
    def reader(name, text):
        def read():
            assert name not in unreadable, f"{name} was read though its key is unchanged"
            return text
        return read
    return [Member(name, reader(name, text), hashlib.sha256(text).hexdigest()) for name, text in members]


def test_a_member_whose_key_is_unchanged_is_copied_unread_and_the_bytes_are_the_same(tmp_path):
    last = tmp_path / "last.zip"
    last.write_bytes(written(keyed(texts(30)))[0])
    members = texts(30, changed=4)
    unchanged = {name for name, _ in members if name != members[4][0]}
    clean, _ = written(keyed(members))
    incremental, reused = written(keyed(members, unreadable=unchanged), last)
    assert (incremental, reused) == (clean, 29)
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        assert [archive.read(name) for name, _ in members] == [text for _, text in members]
        assert all(info.extra.endswith(hashlib.sha256(text).hexdigest().encode())
                   for info, (_, text) in zip(archive.infolist(), members))
    (tmp_path / "keyed.zip").write_bytes(clean)
    assert_unzip_tests(tmp_path / "keyed.zip")


def test_a_member_whose_key_changed_is_read_and_compressed_again(tmp_path):
    # The last zip's member says another key: its data is not copied, even unchecked.
    members = keyed(texts(3))
    last = tmp_path / "last.zip"
    last.write_bytes(written([Member(m.name, m.read, "0" * 64) for m in members])[0])
    assert written(members, last) == (written(members)[0], 3)  # copied only once the bytes were compared
    read = []
    renamed = [Member(m.name, lambda m=m: read.append(m.name) or m.read(), m.key[::-1]) for m in members]
    written(renamed, last)
    assert read == [m.name for m in members]


def test_a_missing_last_zip_is_no_error():
    members = texts(5)
    assert written(members, Path("/nonexistent/downloads/edition-tei.zip")) == written(members)


def test_more_than_65535_files_take_zip64_and_read_back(tmp_path):
    members = [(f"t/{n}", b"%d" % n) for n in range(70_000)]
    path = tmp_path / "many.zip"
    path.write_bytes(written(members)[0])
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert len(infos) == 70_000
        assert [infos[n].filename for n in (0, 65_534, 65_535, 69_999)] == ["t/0", "t/65534", "t/65535", "t/69999"]
        assert archive.read("t/69999") == b"69999" and archive.read("t/0") == b"0"
    assert_unzip_tests(path)


def test_offsets_beyond_4_gib_take_zip64_and_read_back(tmp_path):
    # The zip is written after 5 GiB of nothing in a sparse file: every offset (they count from the file's
    # start, as zipfile's do) needs its ZIP64 field, without writing gigabytes.
    path = tmp_path / "far.zip"
    members = texts(3) + [("texts/Osnabrück.xml", b"<TEI/>")]
    with open(path, "wb") as file:
        file.seek(5 << 30)
        write_archive(file, members, BUILT)
    with zipfile.ZipFile(path) as archive:
        assert all(info.header_offset >= 5 << 30 for info in archive.infolist())
        assert [archive.read(name) for name, _ in members] == [text for _, text in members]


def test_a_last_zip_with_zip64_records_is_copied_from(tmp_path):
    # More members than the end record counts, and offsets beyond 4 GiB: both are read from the ZIP64 records.
    many = [(f"t/{n}", b"%d" % n) for n in range(70_000)]
    last = tmp_path / "many.zip"
    last.write_bytes(written(many)[0])
    assert written(many, last) == (written(many)[0], 70_000)
    members = texts(3)
    far = tmp_path / "far.zip"
    with open(far, "wb") as file:
        file.seek(5 << 30)
        write_archive(file, members, BUILT)
    assert written(members, far) == (written(members)[0], 3)


def test_sizes_beyond_4_gib_take_zip64_fields_in_both_headers():
    # A file of 5 GiB is too slow to compress in a test: its headers are read field by field (APPNOTE 4.5.3).
    entry = _Entry(b"texts/huge.xml", 0, 0x1234, compressed=(4 << 30) + 1, size=5 << 30, offset=6 << 30)
    local = _local_header(entry, 0, 0)
    version, compressed, size, name_length, extra_length = struct.unpack_from("<4xH12xLLHH", local)
    assert (version, compressed, size) == (45, 0xFFFFFFFF, 0xFFFFFFFF)
    assert struct.unpack_from("<HHQQ", local, 30 + name_length) == (1, 16, 5 << 30, (4 << 30) + 1)
    assert extra_length == 20
    central = _central_header(entry, 0, 0)
    compressed, size, name_length, extra_length = struct.unpack_from("<20xLLHH", central)
    assert (compressed, size, struct.unpack_from("<L", central, 42)[0]) == (0xFFFFFFFF,) * 3
    assert struct.unpack_from("<HHQQQ", central, 46 + name_length) == (1, 24, 5 << 30, (4 << 30) + 1, 6 << 30)
    small = _central_header(_Entry(b"a", 0, 0, 10, 20, 30), 0, 0)
    assert struct.unpack_from("<30xH", small)[0] == 0 and len(small) == 47


def assert_unzip_tests(path: Path) -> None:
    if shutil.which("unzip") is None:
        return
    result = subprocess.run(["unzip", "-tqq", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def zipfile_member_data(archive: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as read:
        info = read.getinfo(name)
    name_length, extra_length = struct.unpack_from("<HH", archive, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    return archive[start:start + info.compress_size]


def written_member(text: bytes) -> bytes:
    data, _ = written([("x", text)])
    return zipfile_member_data(data, "x")


def test_a_rebuild_copies_from_the_published_zip_and_gives_the_clean_builds(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    zips = []

    def watched(file, members, date_time, previous=None):
        zips.append(write_archive(file, members, date_time, previous))
        return zips[-1]

    monkeypatch.setattr(edition.render, "write_archive", watched)
    project = tmp_path / "edition"
    generate(project, 6, seed=3)
    site = tmp_path / "published"  # not the configured output folder: the site built is the one copied from
    assert build(project, site, search_index=False).exit_code == 0
    text = sorted((project / "texts").rglob("*.xml"))[-1]
    text.write_text(text.read_text(encoding="utf-8").replace("</p>", " Amended.</p>", 1), encoding="utf-8")
    assert build(project, site, search_index=False).exit_code == 0
    assert build(project, tmp_path / "clean", search_index=False, clean=True).exit_code == 0
    first, rebuilt, clean = zips
    assert (first.reused, rebuilt.reused, clean.reused) == (0, first.members - 1, 0)
    zip_path = "downloads/edition-tei.zip"
    assert (site / zip_path).read_bytes() == (tmp_path / "clean" / zip_path).read_bytes()


def test_into_a_file_the_unchanged_members_are_copied_in_runs_and_the_bytes_are_the_same(tmp_path, monkeypatch):
    import os

    last = tmp_path / "last.zip"
    last.write_bytes(written(keyed(texts(30)))[0])
    members = texts(30, changed=4)
    unchanged = {name for name, _ in members if name != members[4][0]}
    clean, _ = written(keyed(members))
    calls = []
    copy_file_range = os.copy_file_range
    monkeypatch.setattr(os, "copy_file_range", lambda *args: calls.append(args) or copy_file_range(*args))
    with open(tmp_path / "new.zip", "wb") as file:
        result = write_archive(file, keyed(members, unreadable=unchanged), BUILT, last)
    assert (tmp_path / "new.zip").read_bytes() == clean and result.reused == 29
    # One run before the amended member and one after it, each copied in one step, not member by member.
    assert len(calls) == 2


def test_a_last_zip_of_another_date_is_copied_from_member_by_member_and_the_bytes_are_the_same(tmp_path):
    last = tmp_path / "last.zip"
    file = io.BytesIO()
    write_archive(file, keyed(texts(12)), (2023, 1, 2, 0, 0, 0))
    last.write_bytes(file.getvalue())
    members = texts(12)
    clean, _ = written(keyed(members))
    with open(tmp_path / "new.zip", "wb") as target:
        result = write_archive(target, keyed(members, unreadable={name for name, _ in members}), BUILT, last)
    assert (tmp_path / "new.zip").read_bytes() == clean and result.reused == 12
