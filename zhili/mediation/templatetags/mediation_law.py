"""Template tags that print the mediation module's citations and limits from their tables:
`{% cite 8 9 %}` -> 《人民调解法》第八条、第九条; `{% cite 85 law="民事诉讼法" %}`;
`{% limits as limits %}` -> deadlines.limits(), read at render time."""

from django import template

from zhili.mediation import deadlines, law

register = template.Library()


@register.simple_tag
def cite(*numbers: int, law_name: str = law.PEOPLES_MEDIATION.short) -> str:
    return law.cite(*(int(n) for n in numbers), law=law.LAWS[law_name])


@register.simple_tag
def limits() -> deadlines.Limits:
    return deadlines.limits()
