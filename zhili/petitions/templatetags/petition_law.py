"""The petition templates' only way to print an article or a time limit: they read
zhili.petitions.law and zhili.petitions.deadlines when the page renders.

    {% load petition_law %}
    {% cite "transfer" %}        《信访工作条例》第二十二条第一款
    {% article "transfer" %}     第二十二条第一款
    {% limit "handle" %}         60日
    {% limit_cite "handle" %}    《信访工作条例》第三十四条 (the limit's own article)
"""

from collections.abc import Callable

from django import template

from zhili.petitions import deadlines, law

register = template.Library()

# Each tag prints what its function returns for the key or limit name it is given.
TAGS: dict[str, Callable[[str], object]] = {
    "cite": law.cite,
    "article": law.ref,
    "limit": deadlines.text,
    "limit_days": deadlines.days,
    "limit_cite": deadlines.article,
}
for name, function in TAGS.items():
    register.simple_tag(function, name=name)
