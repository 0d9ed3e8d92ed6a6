"""MANSCDP bodies (GB/T 28181-2016 annex A): the XML of Query, Response, Notify and Control.

The standard declares GB2312; devices also send GBK and GB18030 under that name, so bodies
are read as GB18030 (a superset) and written in it (byte-identical for GB2312 text).
A body with a DOCTYPE is refused: no entity tricks reach the parser.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

CONTENT_TYPE = "Application/MANSCDP+xml"
CODEC = "gb18030"
DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
Fields = Iterable[tuple[str, "str | ET.Element"]]


class BodyError(ValueError):
    """A body that is not MANSCDP XML."""


@dataclass(frozen=True)
class Doc:
    root: str  # Query, Response, Notify or Control
    cmd_type: str
    sn: int
    device_id: str
    element: ET.Element

    def text(self, path: str, default: str = "") -> str:
        found = self.element.find(path)
        return (found.text or "").strip() if found is not None else default


def dumps(root: str, cmd_type: str, sn: int, device_id: str, fields: Fields = ()) -> bytes:
    top = ET.Element(root)
    head: list[tuple[str, str | ET.Element]] = [
        ("CmdType", cmd_type),
        ("SN", str(sn)),
        ("DeviceID", device_id),
    ]
    for name, value in [*head, *fields]:
        _append(top, name, value)
    text = ET.tostring(top, encoding="unicode")
    return f'<?xml version="1.0" encoding="GB2312"?>\r\n{text}\r\n'.encode(CODEC)


def _append(parent: ET.Element, name: str, value: "str | ET.Element") -> None:
    if isinstance(value, ET.Element):
        parent.append(value)
    else:
        ET.SubElement(parent, name).text = value


def element(name: str, fields: Fields) -> ET.Element:
    node = ET.Element(name)
    for key, value in fields:
        _append(node, key, value)
    return node


def loads(body: bytes) -> Doc:
    text = DECLARATION.sub("", body.decode(CODEC, errors="replace"), count=1)
    if "<!DOCTYPE" in text.upper():
        raise BodyError("a DOCTYPE is not allowed")
    try:
        top = ET.fromstring(text.strip())  # noqa: S314 - DOCTYPE refused above: no entities
    except ET.ParseError as exc:
        raise BodyError(f"not XML: {exc}") from exc
    doc = Doc(top.tag, "", 0, "", top)
    sn = doc.text("SN", "0")
    return Doc(
        top.tag, doc.text("CmdType"), int(sn) if sn.isdigit() else 0, doc.text("DeviceID"), top
    )


def number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


# --- the messages the platform and the simulator exchange -----------------------------------


def keepalive(device_id: str, sn: int) -> bytes:
    return dumps("Notify", "Keepalive", sn, device_id, [("Status", "OK")])


def catalog_query(device_id: str, sn: int) -> bytes:
    return dumps("Query", "Catalog", sn, device_id)


def ptz_control(device_id: str, sn: int, ptz_cmd: str) -> bytes:
    return dumps("Control", "DeviceControl", sn, device_id, [("PTZCmd", ptz_cmd)])


@dataclass(frozen=True)
class CatalogItem:
    device_id: str
    name: str
    status: str = "ON"  # ON or OFF
    civil_code: str = ""
    parent_id: str = ""
    longitude: float | None = None
    latitude: float | None = None
    ptz_type: int | None = None  # 1 dome, 2 half dome, 3 fixed bullet, 4 remote bullet
    manufacturer: str = ""
    model: str = ""

    @property
    def online(self) -> bool:
        return self.status.upper() in ("ON", "ONLINE", "OK")


def catalog_items(doc: Doc) -> tuple[int, list[CatalogItem]]:
    """(SumNum, the items of this one message)."""
    total = doc.text("SumNum", "0")
    items = [_item(node) for node in doc.element.findall("./DeviceList/Item")]
    return int(total) if total.isdigit() else 0, items


def _child_text(node: ET.Element) -> Callable[[str], str]:
    """The stripped text at a path under `node` ("" when absent)."""

    def text(path: str) -> str:
        found = node.find(path)
        return (found.text or "").strip() if found is not None else ""

    return text


def _item(node: ET.Element) -> CatalogItem:
    text = _child_text(node)
    ptz = text("Info/PTZType") or text("PTZType")
    return CatalogItem(
        device_id=text("DeviceID"),
        name=text("Name"),
        status=text("Status") or "ON",
        civil_code=text("CivilCode"),
        parent_id=text("ParentID"),
        longitude=number(text("Longitude")),
        latitude=number(text("Latitude")),
        ptz_type=int(ptz) if ptz.isdigit() else None,
        manufacturer=text("Manufacturer"),
        model=text("Model"),
    )


def catalog_response(device_id: str, sn: int, total: int, items: Sequence[CatalogItem]) -> bytes:
    nodes = [("Item", _item_element(item)) for item in items]
    device_list = ET.Element("DeviceList", Num=str(len(items)))
    for _, node in nodes:
        device_list.append(node)
    return dumps("Response", "Catalog", sn, device_id, [("SumNum", str(total)), ("", device_list)])


def _item_element(item: CatalogItem) -> ET.Element:
    fields: list[tuple[str, str | ET.Element]] = [
        ("DeviceID", item.device_id),
        ("Name", item.name),
        ("Manufacturer", item.manufacturer),
        ("Model", item.model),
        ("CivilCode", item.civil_code),
        ("ParentID", item.parent_id),
        ("Status", item.status),
    ]
    if item.longitude is not None and item.latitude is not None:
        fields += [("Longitude", f"{item.longitude:.6f}"), ("Latitude", f"{item.latitude:.6f}")]
    if item.ptz_type is not None:
        fields.append(("", element("Info", [("PTZType", str(item.ptz_type))])))
    return element("Item", fields)


# --- recordings (§9.7 录像文件检索) ------------------------------------------------------------

LOCAL_TIME = "%Y-%m-%dT%H:%M:%S"  # the standard's times: local, no zone, no fraction


@dataclass(frozen=True)
class RecordItem:
    device_id: str  # the channel
    name: str
    start_time: str  # as the device wrote it (LOCAL_TIME)
    end_time: str
    file_path: str = ""
    address: str = ""
    secrecy: str = "0"
    type: str = "time"  # time, alarm, manual, all
    recorder_id: str = ""


def record_info_query(channel_id: str, sn: int, start: str, end: str) -> bytes:
    fields: list[tuple[str, str | ET.Element]] = [
        ("StartTime", start),
        ("EndTime", end),
        ("Secrecy", "0"),
        ("Type", "all"),
    ]
    return dumps("Query", "RecordInfo", sn, channel_id, fields)


def record_items(doc: Doc) -> tuple[int, list[RecordItem]]:
    """(SumNum, the items of this one message)."""
    total = doc.text("SumNum", "0")
    items = [_record(node) for node in doc.element.findall("./RecordList/Item")]
    return int(total) if total.isdigit() else 0, items


def _record(node: ET.Element) -> RecordItem:
    text = _child_text(node)
    return RecordItem(
        device_id=text("DeviceID"),
        name=text("Name"),
        start_time=text("StartTime"),
        end_time=text("EndTime"),
        file_path=text("FilePath"),
        address=text("Address"),
        secrecy=text("Secrecy") or "0",
        type=text("Type") or "time",
        recorder_id=text("RecorderID"),
    )


def record_info_response(
    device_id: str, sn: int, name: str, total: int, items: Sequence[RecordItem]
) -> bytes:
    records = ET.Element("RecordList", Num=str(len(items)))
    for item in items:
        records.append(
            element(
                "Item",
                [
                    ("DeviceID", item.device_id),
                    ("Name", item.name),
                    ("FilePath", item.file_path),
                    ("Address", item.address),
                    ("StartTime", item.start_time),
                    ("EndTime", item.end_time),
                    ("Secrecy", item.secrecy),
                    ("Type", item.type),
                    ("RecorderID", item.recorder_id),
                ],
            )
        )
    fields: list[tuple[str, str | ET.Element]] = [
        ("Name", name),
        ("SumNum", str(total)),
        ("", records),
    ]
    return dumps("Response", "RecordInfo", sn, device_id, fields)
