"""The edition's zip, written byte for byte the same way every time, so that a rebuild can copy the compressed
data of every file that did not change from the zip it replaces instead of compressing it again.

A member may carry the key of its file (load.file_key, a SHA-256 of its bytes), kept in an extra field of its
central directory entry: a rebuild then copies the member whose key is unchanged without reading the file at
all, as it carries over a page whose inputs are unchanged. A member without a key is copied only when its
bytes inflate from the last zip's data."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

LEVEL = 6
FORMAT = 1
# Compressed data copied from the last zip is what compressing would give only if the same writer, at the same
# level, with the same zlib, wrote it: a zip without this exact comment is never copied from.
MARK = f"edition archive {FORMAT}; deflate level {LEVEL}; zlib {zlib.ZLIB_RUNTIME_VERSION}".encode("ascii")

# A field that does not fit (or holds the value that means "see the ZIP64 record") goes in a ZIP64 record.
_LIMIT = 0xFFFFFFFF
_COUNT_LIMIT = 0xFFFF
_ZIP64_FIELD = 0x0001
_VERSION = 20
_VERSION_ZIP64 = 45
_MADE_ON_UNIX = 3 << 8
_UTF8_NAME = 1 << 11
_REGULAR_FILE = 0o100644 << 16
# The extra field that holds a member's key ("ek"): an ID of the range APPNOTE 4.5.2 leaves to third parties.
_KEY_FIELD = 0x6B65

_LOCAL = struct.Struct("<4sHHHHHLLLHH")
_CENTRAL = struct.Struct("<4sHHHHHHLLLHHHHHLL")
_END = struct.Struct("<4sHHHHLLH")
_END64 = struct.Struct("<4sQHHLLQQQQ")
_LOCATOR64 = struct.Struct("<4sLQL")


@dataclass
class WrittenArchive:
    """What writing a zip did: how many files it holds and how many of them were copied from the last zip."""

    members: int = 0
    reused: int = 0


@dataclass(frozen=True)
class Member:
    """A file of the zip: its name, how to read its bytes, and the key of those bytes ("" for none)."""

    name: str
    read: Callable[[], bytes]
    key: str = ""


@dataclass(frozen=True)
class _Entry:
    name: bytes
    flags: int
    crc: int
    compressed: int
    size: int
    offset: int
    key: bytes = b""


def write_archive(file: BinaryIO, members: Iterable[Member | tuple[str, bytes]], date_time: tuple[int, ...],
                  previous: Path | None = None) -> WrittenArchive:
    """Write a zip of the members (a Member, or a name and its bytes), in the order given, each dated
    `date_time`, to `file`, beginning at its current position. A member whose key is that of the member of the
    same name in the zip at `previous`, or whose bytes are that member's, has its compressed data copied from
    there when this writer wrote it; the zip written is the same, byte for byte, with or without `previous`."""
    written = WrittenArchive()
    position = file.tell()
    time, date = _dos_time(date_time)
    entries = []
    with _LastArchive(previous) as last:
        runs = _Runs(file, last)
        for member in members:
            if not isinstance(member, Member):
                member = Member(member[0], lambda data=member[1]: data)
            kept = last.record(member, time, date, position)
            if kept is not None:  # header and data as they would be written: copied with their neighbours
                entry, start, length = kept
                runs.add(start, length)
                position += length
                entries.append(entry)
                written.members += 1
                written.reused += 1
                continue
            runs.copy()
            entry, compressed, reused = _compressed(member, last, position)
            header = _local_header(entry, time, date)
            file.write(header)
            file.write(compressed)
            position += len(header) + len(compressed)
            entries.append(entry)
            written.members += 1
            written.reused += reused
        runs.copy()
    directory = b"".join(_central_header(entry, time, date) for entry in entries)
    file.write(directory)
    file.write(_end_records(len(entries), len(directory), position))
    return written


class _Runs:
    """Members copied from the last zip as they lie there, header and data, each run of neighbours in one
    step: a rebuild after one change copies the zip but for one member, and tens of thousands of members
    copied one by one through Python would take most of the time it has."""

    def __init__(self, file: BinaryIO, last: _LastArchive):
        self.file, self.last = file, last
        self.start = self.length = 0

    def add(self, start: int, length: int) -> None:
        if self.length and self.start + self.length != start:
            self.copy()
        if not self.length:
            self.start = start
        self.length += length

    def copy(self) -> None:
        """Copy the run gathered so far."""
        if not self.length:
            return
        source, start, length = self.last.file.fileno(), self.start, self.length
        self.start = self.length = 0
        try:
            self.file.flush()
            target = self.file.fileno()
        except (AttributeError, io.UnsupportedOperation):  # not a file of the system's (a zip in memory)
            target = None
        while length and target is not None:
            try:
                copied = os.copy_file_range(source, target, length, start)
            except (AttributeError, OSError):  # not here, or not between these files: read and written instead
                break
            if copied == 0:
                break
            start, length = start + copied, length - copied
        while length:
            chunk = os.pread(source, min(length, 1 << 20), start)
            if not chunk:
                raise OSError(f"{self.last.path} ended while it was being copied")
            self.file.write(chunk)
            start, length = start + len(chunk), length - len(chunk)


def _compressed(member: Member, last: _LastArchive, offset: int) -> tuple[_Entry, bytes, bool]:
    """The member's entry at `offset` and its compressed data: copied from the last zip when its key or its
    bytes are those of the last zip's member (True), else compressed anew (False)."""
    name, key = member.name.encode("utf-8"), member.key.encode("ascii")
    flags = 0 if member.name.isascii() else _UTF8_NAME
    kept = last.keyed(member.name, key)
    if kept is not None:
        info, compressed = kept
        return _Entry(name, flags, info.CRC, len(compressed), info.file_size, offset, key), compressed, True
    data = member.read()
    crc = zlib.crc32(data)
    compressed = last.compressed(member.name, crc, data)
    reused = compressed is not None
    if compressed is None:
        compressed = _deflate(data)
    return _Entry(name, flags, crc, len(compressed), len(data), offset, key), compressed, reused


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    if not 1980 <= year <= 2107:
        raise ValueError(f"a zip cannot date a file in {year}: only 1980 to 2107")
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def _local_header(entry: _Entry, time: int, date: int) -> bytes:
    # A local header's ZIP64 record holds both sizes or neither (APPNOTE 4.5.3); its offset is in the central one.
    large = entry.size >= _LIMIT or entry.compressed >= _LIMIT
    extra = struct.pack("<HHQQ", _ZIP64_FIELD, 16, entry.size, entry.compressed) if large else b""
    sizes = (_LIMIT, _LIMIT) if large else (entry.compressed, entry.size)
    return _LOCAL.pack(b"PK\x03\x04", _VERSION_ZIP64 if large else _VERSION, entry.flags, zipfile.ZIP_DEFLATED,
                       time, date, entry.crc, *sizes, len(entry.name), len(extra)) + entry.name + extra


def _central_header(entry: _Entry, time: int, date: int) -> bytes:
    # The ZIP64 record holds, in this order, only the fields marked 0xFFFFFFFF in the header (APPNOTE 4.5.3).
    large = entry.size >= _LIMIT or entry.compressed >= _LIMIT
    far = entry.offset >= _LIMIT
    values = ([entry.size, entry.compressed] if large else []) + ([entry.offset] if far else [])
    extra = struct.pack(f"<HH{len(values)}Q", _ZIP64_FIELD, 8 * len(values), *values) if values else b""
    if entry.key:
        extra += struct.pack("<HH", _KEY_FIELD, len(entry.key)) + entry.key
    sizes = (_LIMIT, _LIMIT) if large else (entry.compressed, entry.size)
    version = _VERSION_ZIP64 if values else _VERSION
    return _CENTRAL.pack(b"PK\x01\x02", _MADE_ON_UNIX | _VERSION_ZIP64, version, entry.flags,
                         zipfile.ZIP_DEFLATED, time, date, entry.crc, *sizes, len(entry.name), len(extra), 0, 0, 0,
                         _REGULAR_FILE, _LIMIT if far else entry.offset) + entry.name + extra


def _end_records(count: int, directory_size: int, directory_offset: int) -> bytes:
    """The end of central directory record, after a ZIP64 one and its locator when a field does not fit."""
    records = b""
    if count >= _COUNT_LIMIT or directory_size >= _LIMIT or directory_offset >= _LIMIT:
        records = _END64.pack(b"PK\x06\x06", _END64.size - 12, _MADE_ON_UNIX | _VERSION_ZIP64, _VERSION_ZIP64,
                              0, 0, count, count, directory_size, directory_offset)
        records += _LOCATOR64.pack(b"PK\x06\x07", 0, directory_offset + directory_size, 1)
    return records + _END.pack(b"PK\x05\x06", 0, 0, min(count, _COUNT_LIMIT), min(count, _COUNT_LIMIT),
                               min(directory_size, _LIMIT), min(directory_offset, _LIMIT), len(MARK)) + MARK


class _LastArchive:
    """The zip a rebuild replaces, read only for the compressed data of its members. Anything wrong with it
    (absent, unreadable, corrupt, another writer's) means only that nothing is copied from it."""

    def __init__(self, path: Path | None):
        self.path = path
        self.file: BinaryIO | None = None
        self.members: dict[str, _Seen] = {}

    def __enter__(self) -> _LastArchive:
        if self.path is None:
            return self
        try:
            file = open(self.path, "rb")
        except OSError:
            return self
        try:
            members = _directory(file)
        except (OSError, ValueError, IndexError, struct.error):  # a zip that cannot be read is only not copied from
            members = None
        if members is None:
            file.close()
            return self
        self.file, self.members = file, members
        return self

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            self.file.close()

    def keyed(self, name: str, key: bytes) -> tuple[_Seen, bytes] | None:
        """The last zip's member `name` and its compressed data, if it was written from the file of this key.
        The key is a digest of the file's bytes, so the data is copied unread, as a page whose inputs are
        unchanged is carried over unread."""
        info = self.members.get(name)
        if not key or info is None or info.compress_type != zipfile.ZIP_DEFLATED or _key_of(info.extra) != key:
            return None
        try:
            compressed = self._read(info)
        except (OSError, ValueError, struct.error):
            return None
        return (info, compressed) if compressed is not None else None

    def record(self, member: Member, time: int, date: int, offset: int) -> tuple[_Entry, int, int] | None:
        """The member's entry at `offset`, and where its local header and data lie in the last zip, if it was
        written from the file of this key and its header there is the very header this zip gives it."""
        info = self.members.get(member.name)
        key = member.key.encode("ascii")
        if self.file is None or not key or info is None or info.compress_type != zipfile.ZIP_DEFLATED or _key_of(info.extra) != key:
            return None
        flags = 0 if member.name.isascii() else _UTF8_NAME
        entry = _Entry(member.name.encode("utf-8"), flags, info.CRC, info.compress_size, info.file_size, offset, key)
        header = _local_header(entry, time, date)
        try:
            if os.pread(self.file.fileno(), len(header), info.header_offset) != header:
                return None
        except (OSError, ValueError):
            return None
        return entry, info.header_offset, len(header) + info.compress_size

    def compressed(self, name: str, crc: int, data: bytes) -> bytes | None:
        """The compressed data of the member `name` if it holds exactly `data`, else None."""
        info = self.members.get(name)
        if info is None or (info.CRC, info.file_size, info.compress_type) != (crc, len(data), zipfile.ZIP_DEFLATED):
            return None
        try:
            compressed = self._read(info)
        except (OSError, ValueError, struct.error):
            return None
        # CRC and size can agree by chance; the bytes themselves decide (inflating costs a tenth of deflating).
        return compressed if compressed is not None and _inflates_to(compressed, data) else None

    def _read(self, info: _Seen) -> bytes | None:
        self.file.seek(info.header_offset)
        header = self.file.read(_LOCAL.size)
        if len(header) != _LOCAL.size:
            return None
        signature, *_, name_length, extra_length = _LOCAL.unpack(header)
        if signature != b"PK\x03\x04" or self.file.read(name_length) != info.filename.encode("utf-8"):
            return None
        self.file.seek(extra_length, 1)
        compressed = self.file.read(info.compress_size)
        return compressed if len(compressed) == info.compress_size else None


@dataclass(frozen=True)
class _Seen:
    """A member of the last zip as its central directory says it (the names are zipfile.ZipInfo's)."""

    filename: str
    compress_type: int
    CRC: int
    compress_size: int
    file_size: int
    header_offset: int
    extra: bytes


def _directory(file: BinaryIO) -> dict[str, _Seen] | None:
    """The members of a zip this writer wrote (its comment is MARK), read from its central directory; None for
    any other file. Read here rather than by zipfile, which takes a tenth of a second for 10,000 members, and
    a preview's rebuild after a correction writes the zip again."""
    size = file.seek(0, os.SEEK_END)
    tail = _END.size + len(MARK)
    if size < tail:
        return None
    file.seek(size - tail)
    end = file.read(tail)
    signature, _, _, _, count, directory_size, directory_offset, comment = _END.unpack_from(end)
    if signature != b"PK\x05\x06" or comment != len(MARK) or end[_END.size:] != MARK:
        return None
    if count == _COUNT_LIMIT or directory_size == _LIMIT or directory_offset == _LIMIT:
        start = size - tail - _LOCATOR64.size - _END64.size
        if start < 0:
            return None
        file.seek(start)
        record = _END64.unpack_from(file.read(_END64.size))
        if record[0] != b"PK\x06\x06":
            return None
        count, directory_size, directory_offset = record[7], record[8], record[9]
    file.seek(directory_offset)
    directory = file.read(directory_size)
    if len(directory) != directory_size:
        return None
    members, at = {}, 0
    for _ in range(count):
        (signature, _, _, _, method, _, _, crc, compressed, length, name_length, extra_length, comment, _, _, _,
         offset) = _CENTRAL.unpack_from(directory, at)
        if signature != b"PK\x01\x02":
            return None
        at += _CENTRAL.size
        name = directory[at:at + name_length].decode("utf-8")
        extra = directory[at + name_length:at + name_length + extra_length]
        at += name_length + extra_length + comment
        if _LIMIT in (length, compressed, offset):
            length, compressed, offset = _zip64_values(extra, length, compressed, offset)
        members[name] = _Seen(name, method, crc, compressed, length, offset, extra)
    return members


def _zip64_values(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    """The size, compressed size and offset of a central directory entry, those marked 0xFFFFFFFF read from
    its ZIP64 field, in that order (APPNOTE 4.5.3)."""
    while len(extra) >= 4:
        field, length = struct.unpack_from("<HH", extra)
        if field == _ZIP64_FIELD:
            values = list(struct.unpack_from(f"<{length // 8}Q", extra, 4))
            size = values.pop(0) if size == _LIMIT else size
            compressed = values.pop(0) if compressed == _LIMIT else compressed
            offset = values.pop(0) if offset == _LIMIT else offset
            return size, compressed, offset
        extra = extra[4 + length:]
    raise ValueError("a ZIP64 value without its ZIP64 field")


def _key_of(extra: bytes) -> bytes:
    """The key in a central directory entry's extra fields, or b"" when there is none."""
    while len(extra) >= 4:
        field, size = struct.unpack_from("<HH", extra)
        if field == _KEY_FIELD:
            return extra[4:4 + size]
        extra = extra[4 + size:]
    return b""


def _inflates_to(compressed: bytes, data: bytes) -> bool:
    inflater = zlib.decompressobj(-15)
    try:
        inflated = inflater.decompress(compressed, len(data) + 1)
    except zlib.error:
        return False
    return inflater.eof and not inflater.unused_data and not inflater.unconsumed_tail and inflated == data
