"""What the reception pages share: the 404 of a read out of sight, a refused form's answer,
the labels of people and places."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from zhili.core.errors import DomainError, NotFound
from zhili.orgs.models import Organization, User
from zhili.receptions import selectors

T = TypeVar("T")

WEEKDAYS = "一二三四五六日"


def or_404(read: Callable[[], T]) -> T:
    """What `read` finds; its NotFound (out of sight, or missing) as the page's 404."""
    try:
        return read()
    except NotFound as exc:
        raise Http404(exc.message) from exc


def refused(form: forms.Form, exc: DomainError) -> int:
    """Put the service's refusal beside its field (or above the form) and say the status:
    the page was found, so a "not found" is about the input (a petition number), a 422."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return 422 if exc.status == 404 else exc.status


def petition_url(number: str) -> str:
    """The petition's page when the petitions app offers one."""
    try:
        return reverse("petitions:detail", args=[number])
    except NoReverseMatch:
        return ""


def person_label(user: User) -> str:
    return f"{user.display_name}（{user.title}）" if user.title else user.display_name


def leader_choices(org: Organization) -> list[tuple[int, str]]:
    return [(u.pk, person_label(u)) for u in selectors.leaders_for(org)]
