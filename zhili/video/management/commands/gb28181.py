"""`zhili gb28181 [--host 127.0.0.1 --port 5060] [--simulate N]`: the platform's GB/T 28181
SIP server (zhili.video.gb28181.server), with an optional simulated NVR of N channels that
registers with it (the demo), and the control port the web process uses
(zhili.video.gb28181.control: invite, bye, ptz). SIGINT or SIGTERM stops it; `--for S` stops it after S seconds."""

import asyncio
import signal
from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhili.video.gb28181 import sip
from zhili.video.gb28181.control import serve_control
from zhili.video.gb28181.server import Config, Platform
from zhili.video.gb28181.simulator import SimConfig, Simulator

SIM_DEVICE = "32072200001180000001"


class Command(BaseCommand):
    help = "国标 GB/T 28181 信令服务（设备注册、心跳、目录、云台、报警）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=None, help="监听地址（默认 GB28181_HOST）")
        parser.add_argument("--port", type=int, default=None, help="监听端口（默认 5060）")
        parser.add_argument(
            "--simulate", type=int, default=0, metavar="N", help="模拟 N 路通道的设备"
        )
        parser.add_argument("--sim-device", default=SIM_DEVICE, help="模拟设备的编码")
        parser.add_argument(
            "--control-port", type=int, default=None, help="控制端口（默认 GB28181_CONTROL_PORT）"
        )
        parser.add_argument("--for", dest="duration", type=float, default=0, help="运行 S 秒后退出")

    def handle(self, *args: str, **options: object) -> None:
        host, port = options["host"], options["port"]
        config = Config.from_settings(
            host=host if isinstance(host, str) else None,
            port=port if isinstance(port, int) else None,
        )
        if not config.password:
            raise CommandError("GB28181_PASSWORD 未设置：设备注册需要密码")
        simulate, device = options["simulate"], options["sim_device"]
        duration, control_port = options["duration"], options["control_port"]
        assert isinstance(simulate, int) and isinstance(device, str)
        assert isinstance(duration, float | int)
        self.control_port = (
            control_port if isinstance(control_port, int) else settings.GB28181_CONTROL_PORT
        )
        asyncio.run(self.serve(config, simulate, device, float(duration)))

    async def serve(self, config: Config, simulate: int, device: str, duration: float) -> None:
        platform = Platform(config)
        host, port = await platform.start()
        control = await serve_control(platform, self.control_port)
        control_at = control.sockets[0].getsockname()[1]
        self.stdout.write(
            f"GB/T 28181 {config.server_id}@{config.domain} on udp {host}:{port},"
            f" control on tcp 127.0.0.1:{control_at}"
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        if duration:
            loop.call_later(duration, stop.set)
        sim = await self.simulator(config, (host, port), simulate, device) if simulate else None
        try:
            await platform.run(stop)
        finally:
            control.close()
            if sim is not None:
                await sim.aclose()
            platform.close()

    async def simulator(
        self, config: Config, server: tuple[str, int], channels: int, device: str
    ) -> Simulator:
        party = sip.Party(config.server_id, config.domain, *server)
        sim_config = SimConfig(device, party, config.password, channels, config.keepalive_interval)
        sim = Simulator(sim_config)
        await sim.start()
        status = await sim.register()
        self.stdout.write(f"simulated device {device} ({channels} channels): REGISTER {status}")
        sim.start_keepalives()
        return sim
