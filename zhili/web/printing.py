"""The print views' shared answer: a document (zhili.core.paper) on its A4 print page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhili.core.paper import Paper


def paper_page(request: HttpRequest, paper: Paper, *, back_url: str) -> HttpResponse:
    """The print page of `paper`; the caller fetched its record through a scoped selector
    and audited the print."""
    return render(request, "web/paper_print.html", {"paper": paper, "back_url": back_url})
