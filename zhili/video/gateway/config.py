"""Janus's configuration, written by the platform under var/ (`zhili janus` starts it).

Everything is bound to 127.0.0.1 unless the operator says otherwise: the HTTP API the platform
calls, the WebSocket browsers use (behind the county's reverse proxy), and the admin API. Every
request needs a signed token and every mountpoint change the Streaming plugin's `admin_key`.
Plugins and transports the platform does not use are not loaded.
"""

from dataclasses import dataclass
from pathlib import Path

LIBRARY = Path("/usr/lib/x86_64-linux-gnu/janus")
UNUSED_PLUGINS = (
    "duktape",
    "echotest",
    "lua",
    "nosip",
    "recordplay",
    "sip",
    "textroom",
    "videocall",
    "voicemail",
)
UNUSED_TRANSPORTS = ("mqtt", "nanomsg", "pfunix", "rabbitmq")
UNUSED_EVENTS = ("gelfevh", "mqttevh", "nanomsgevh", "rabbitmqevh", "wsevh")
SAMPLE_EVENTS = "sampleevh"  # POSTs events to the platform (rooms' attendance) when configured


@dataclass(frozen=True)
class JanusConfig:
    folder: Path
    http_port: int = 8088
    ws_port: int = 8188
    admin_port: int = 7088
    rtp_ports: tuple[int, int] = (20000, 20999)  # WebRTC (ICE) media to browsers
    mountpoint_ports: tuple[int, int] = (21000, 21999)  # RTP into mountpoints (GB/T 28181)
    host: str = "127.0.0.1"
    # An interface or address prefix ICE offers candidates on ("lo" on one machine); empty: all.
    ice_enforce: str = "lo"
    token_secret: str = ""
    admin_key: str = ""
    admin_secret: str = ""
    debug_level: int = 3
    # Where Janus's HTTP event handler POSTs the plugins' events (the rooms' joins and leaves),
    # with HTTP basic auth (`events_user`, `events_secret`); empty: no event handler.
    events_url: str = ""
    events_user: str = "janus"
    events_secret: str = ""


def _libs(names: tuple[str, ...]) -> str:
    return ",".join(f"libjanus_{name}.so" for name in names)


def render(config: JanusConfig) -> dict[str, str]:
    """The configuration files by name."""
    return {
        "janus.jcfg": _core_file(config),
        "janus.transport.http.jcfg": _http_file(config),
        "janus.transport.websockets.jcfg": _websockets_file(config),
        "janus.plugin.streaming.jcfg": _streaming_file(config),
        # Rooms (video mediation, reception, meetings) are created by the platform too.
        **{
            f"janus.plugin.{plugin}.jcfg": f'general: {{\n\tadmin_key = "{config.admin_key}"\n}}\n'
            for plugin in ("videoroom", "audiobridge")
        },
        **_event_handler(config),
    }


def _core_file(config: JanusConfig) -> str:
    """janus.jcfg: folders, token auth, the media ports, ICE, what is not loaded."""
    low, high = config.rtp_ports
    ice = f'\tice_enforce_list = "{config.ice_enforce}"\n' if config.ice_enforce else ""
    return (
        "general: {\n"
        f'\tconfigs_folder = "{config.folder}"\n'
        f'\tplugins_folder = "{LIBRARY / "plugins"}"\n'
        f'\ttransports_folder = "{LIBRARY / "transports"}"\n'
        f'\tevents_folder = "{LIBRARY / "events"}"\n'
        f'\tloggers_folder = "{LIBRARY / "loggers"}"\n'
        f"\tdebug_level = {config.debug_level}\n"
        f'\tadmin_secret = "{config.admin_secret}"\n'
        "\ttoken_auth = true\n"
        f'\ttoken_auth_secret = "{config.token_secret}"\n'
        '\tserver_name = "Zhili media gateway"\n'
        "\tsession_timeout = 60\n"
        "}\n"
        "media: {\n"
        f'\trtp_port_range = "{low}-{high}"\n'
        "}\n"
        "nat: {\n"
        "\tignore_mdns = true\n"
        f"{ice}"
        "}\n"
        f'plugins: {{\n\tdisable = "{_libs(UNUSED_PLUGINS)}"\n}}\n'
        f'transports: {{\n\tdisable = "{_libs(UNUSED_TRANSPORTS)}"\n}}\n'
        f"{_events(config)}"
        'loggers: {\n\tdisable = "libjanus_jsonlog.so"\n}\n'
    )


def _http_file(config: JanusConfig) -> str:
    """The HTTP transport: the API the platform calls and the admin API, on `host` only."""
    return (
        "general: {\n"
        '\tjson = "compact"\n'
        '\tbase_path = "/janus"\n'
        "\thttp = true\n"
        f"\tport = {config.http_port}\n"
        f'\tip = "{config.host}"\n'
        "\thttps = false\n"
        "}\n"
        "admin: {\n"
        '\tadmin_base_path = "/admin"\n'
        "\tadmin_http = true\n"
        f"\tadmin_port = {config.admin_port}\n"
        f'\tadmin_ip = "{config.host}"\n'
        "\tadmin_https = false\n"
        "}\n"
        "cors: {\n}\n"
    )


def _websockets_file(config: JanusConfig) -> str:
    """The WebSocket transport browsers use, without its admin side."""
    return (
        "general: {\n"
        '\tjson = "compact"\n'
        "\tws = true\n"
        f"\tws_port = {config.ws_port}\n"
        f'\tws_ip = "{config.host}"\n'
        "\twss = false\n"
        "}\n"
        "admin: {\n\tadmin_ws = false\n\tadmin_wss = false\n}\n"
    )


def _streaming_file(config: JanusConfig) -> str:
    """The Streaming plugin: its admin key and the ports RTP comes into mountpoints on."""
    low, high = config.mountpoint_ports
    return (
        f'general: {{\n\tadmin_key = "{config.admin_key}"\n\trtp_port_range = "{low}-{high}"\n}}\n'
    )


def _events(config: JanusConfig) -> str:
    unused = UNUSED_EVENTS if config.events_url else (*UNUSED_EVENTS, SAMPLE_EVENTS)
    broadcast = "true" if config.events_url else "false"
    return f'events: {{\n\tbroadcast = {broadcast}\n\tdisable = "{_libs(unused)}"\n}}\n'


def _event_handler(config: JanusConfig) -> dict[str, str]:
    """The sample event handler's file: only the plugins' events (a VideoRoom's joined, leaving,
    kicked ...), grouped, compact, to the platform's endpoint."""
    if not config.events_url:
        return {}
    return {
        "janus.eventhandler.sampleevh.jcfg": (
            "general: {\n"
            "\tenabled = true\n"
            '\tevents = "plugins"\n'
            "\tgrouping = true\n"
            '\tjson = "compact"\n'
            f'\tbackend = "{config.events_url}"\n'
            f'\tbackend_user = "{config.events_user}"\n'
            f'\tbackend_pwd = "{config.events_secret}"\n'
            "\tmax_retransmissions = 5\n"
            "\tretransmissions_backoff = 100\n"
            "}\n"
        )
    }


def write(config: JanusConfig) -> Path:
    """Write the files (readable by the owner only: they hold secrets); the main file's path."""
    config.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, text in render(config).items():
        path = config.folder / name
        path.write_text(text)
        path.chmod(0o600)
    return config.folder / "janus.jcfg"


def command(config: JanusConfig) -> list[str]:
    return [
        "janus",
        f"--config={config.folder / 'janus.jcfg'}",
        f"--configs-folder={config.folder}",
        "--disable-colors",
    ]
