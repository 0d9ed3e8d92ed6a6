"""The petition templates' only way to print an article or a time limit: they read
zhili.petitions.law and zhili.petitions.deadlines when the page renders.

    {% load petition_law %}
    {% cite "transfer" %}        《信访工作条例》第二十二条第一款
    {% article "transfer" %}     第二十二条第一款
    {% limit "handle" %}         60日
    {% limit_cite "handle" %}    《信访工作条例》第三十四条 (the limit's own article)
"""

from django import template

from zhili.petitions import deadlines, law

register = template.Library()


@register.simple_tag
def cite(key: str) -> str:
    return law.cite(key)


@register.simple_tag
def article(key: str) -> str:
    return law.ref(key)


@register.simple_tag
def limit(name: str) -> str:
    return deadlines.text(name)


@register.simple_tag
def limit_days(name: str) -> int:
    return deadlines.days(name)


@register.simple_tag
def limit_cite(name: str) -> str:
    return deadlines.article(name)
