from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.forces.tests.conftest import forces  # noqa: F401
from zhili.web.tests.conftest import browser, session_cookies  # noqa: F401
