from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
