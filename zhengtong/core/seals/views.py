from __future__ import annotations

from django.shortcuts import render


def lookup(request):
    return render(request, "base.html")
