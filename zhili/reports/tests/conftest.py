from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401  (fixtures)
from zhili.reports.tests.data import day_data  # noqa: F401  (fixture)
from zhili.reports.tests.month_data import month_data  # noqa: F401  (fixture)
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: F401  (fixtures)
