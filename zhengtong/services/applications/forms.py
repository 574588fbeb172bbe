"""Reading the application form out of a request, shared by the public site and the window console."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.safestring import SafeString

from zhengtong.services.applications.submit import Slot, Submission
from zhengtong.services.catalog import jsonform

PREFIX = "f."


def submission_from_post(request: HttpRequest, schema: dict, slots: list[Slot], applicant,
                         channel: str) -> Submission:
    data = jsonform.coerce(schema or {}, request.POST, prefix=PREFIX)
    uploads = {s.key: request.FILES[s.key] for s in slots if s.key in request.FILES and not s.shared}
    return Submission(applicant=applicant, data=data, delivery=request.POST.get("delivery", "download"),
                      delivery_address=request.POST.get("delivery_address", ""), uploads=uploads, channel=channel)


@dataclass
class FormView:
    """What the form template needs: rendered fields, material slots, errors, delivery choice."""

    schema: dict
    slots: list[Slot]
    data: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    message: str = ""
    delivery: str = "download"
    delivery_address: str = ""

    @property
    def fields(self) -> SafeString:
        return jsonform.render(self.schema or {}, self.data, self.errors, prefix=PREFIX)

    @property
    def non_field_errors(self) -> list[str]:
        keys = set((self.schema or {}).get("properties") or {}) | {s.key for s in self.slots} | {"__all__"}
        return [v for k, v in self.errors.items() if k.split(".")[0] not in keys]

    def slot_rows(self) -> list[dict]:
        return [{"slot": s, "error": self.errors.get(s.key, "")} for s in self.slots]
