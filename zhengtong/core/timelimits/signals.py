"""Signals other apps react to without importing each other (e.g. supervision invites a
rating when any case finishes)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the finishing transaction: receivers' writes commit or roll back with it.
# kwargs: case (TimedCase), actor (user or None), withdrawn (bool: the applicant withdrew)
case_finished = Signal()
