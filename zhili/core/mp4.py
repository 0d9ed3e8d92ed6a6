"""What the platform reads of an MP4 without a program: its length, from the movie header
(ISO/IEC 14496-12 §8.2.2 `mvhd` inside `moov`), wherever the `moov` box sits (at the start
of a file made with `+faststart`, at the end of most cameras' and phones' files)."""

import struct
from collections.abc import Iterator
from typing import BinaryIO


class NotMp4(ValueError):
    pass


def _boxes(handle: BinaryIO, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, box end) of each box between `start` and `end`."""
    at = start
    while at + 8 <= end:
        handle.seek(at)
        size, kind = struct.unpack(">I4s", handle.read(8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", handle.read(8))
            header = 16
        elif size == 0:
            size = end - at  # to the end of the file
        if size < header or at + size > end:
            raise NotMp4("MP4 文件已损坏（盒子长度不对）")
        yield kind, at + header, at + size
        at += size


def duration_seconds(handle: BinaryIO) -> float:
    """The movie's length in seconds; NotMp4 when it has no movie header."""
    handle.seek(0, 2)
    end = handle.tell()
    for kind, payload, box_end in _boxes(handle, 0, end):
        if kind != b"moov":
            continue
        for inner, data, _inner_end in _boxes(handle, payload, box_end):
            if inner == b"mvhd":
                handle.seek(data)
                version = handle.read(4)[0]
                if version == 1:
                    handle.seek(16, 1)
                    timescale, length = struct.unpack(">IQ", handle.read(12))
                else:
                    handle.seek(8, 1)
                    timescale, length = struct.unpack(">II", handle.read(8))
                if timescale == 0:
                    raise NotMp4("MP4 文件已损坏（时间刻度为零）")
                return float(length) / timescale
    raise NotMp4("不是可播放的 MP4 视频（缺少 moov）")
