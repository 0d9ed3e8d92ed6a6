"""The PTZCmd of a DeviceControl (GB/T 28181-2016 annex A.3): eight bytes written as hex.

byte 1  A5, the leading code
byte 2  0F: version 0 (high nibble) and the check of bytes 1-2 ((A + 5 + 0) mod 16 = F)
byte 3  01, the address's low 8 bits
byte 4  the command: bit 5 zoom out, 4 zoom in, 3 up, 2 down, 1 left, 0 right
byte 5  pan speed, byte 6 tilt speed (0-255)
byte 7  zoom speed in the high nibble (0-15), the address's high 4 bits in the low one
byte 8  the checksum: bytes 1-7 summed, mod 256
"""

COMMANDS = {
    "stop": 0x00,
    "right": 0x01,
    "left": 0x02,
    "down": 0x04,
    "up": 0x08,
    "zoom_in": 0x10,
    "zoom_out": 0x20,
}
ZOOMS = ("zoom_in", "zoom_out")
HEADER = (0xA5, 0x0F, 0x01)


class PtzError(ValueError):
    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def ptz_command(command: str, speed: int) -> str:
    """The PTZCmd hex for `command` at `speed` (1-255; zoom uses its top 4 bits, at least 1)."""
    if command not in COMMANDS:
        raise PtzError(f"unknown PTZ command {command!r}", field="command")
    if not 1 <= speed <= 255:
        raise PtzError("speed must be 1-255", field="speed")
    pan = tilt = zoom = 0
    if command in ZOOMS:
        zoom = max(1, speed >> 4)
    elif command != "stop":
        pan = speed if command in ("left", "right") else 0
        tilt = speed if command in ("up", "down") else 0
    data = [*HEADER, COMMANDS[command], pan, tilt, zoom << 4]
    return bytes([*data, sum(data) % 256]).hex().upper()


def ptz_decode(hex_cmd: str) -> tuple[str, int]:
    """(command, speed) of a PTZCmd this module writes; ValueError for a bad checksum."""
    data = bytes.fromhex(hex_cmd)
    if len(data) != 8 or tuple(data[:3]) != HEADER or sum(data[:7]) % 256 != data[7]:
        raise ValueError(f"not a PTZCmd: {hex_cmd!r}")
    names = {code: name for name, code in COMMANDS.items()}
    name = names.get(data[3], f"0x{data[3]:02X}")
    return name, (data[6] >> 4) if name in ZOOMS else max(data[4], data[5])
