"""`zhili onvif_sims`: the demo's simulated ONVIF cameras (zhili/video/sim/onvif.py), beside
the RTSP ones of `zhili camera_sims`, whose streams they name."""

from django.core.management.base import BaseCommand

from zhili.video import demo
from zhili.video.sim import onvif


class Command(BaseCommand):
    help = "运行模拟 ONVIF 摄像机（设备服务 http://127.0.0.1:8899/onvif/device_service 起）"

    def add_arguments(self, parser):
        parser.add_argument("--rtsp", default=demo.STREAM.partition("/cam")[0])
        parser.add_argument(
            "--port", type=int, default=demo.ONVIF_PORT, help="the first camera's port"
        )

    def handle(self, *args: str, rtsp: str, port: int, **options: object) -> None:
        argv = ["--rtsp", rtsp, "--username", demo.ONVIF_USERNAME]
        argv += ["--password", demo.ONVIF_PASSWORD]  # in this process only, not on its argv
        for device_port, number in demo.onvif_devices(port).items():
            argv += ["--device", f"{device_port}:{number}"]
        onvif.main(argv)
