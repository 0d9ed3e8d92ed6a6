from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.forces.tests.conftest import forces  # noqa: F401
from zhili.video.tests.conftest import cameras, gateway, janus_server, rtsp_cameras  # noqa: F401
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: F401
