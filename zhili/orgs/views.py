from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/tree.html", {})


@login_required
def grid_map(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/grid_map.html", {})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/people.html", {})
