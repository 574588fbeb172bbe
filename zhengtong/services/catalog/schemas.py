"""Request and answer shapes of the catalog maintenance API (/api/v1/catalog/items/…/versions,
/life-events, /bundles, /staff/bundles).

Input fields are typed loosely on purpose (a number may come as text, a list or schema in any
shape): the catalog actions check them and answer with per-field messages in the platform's
words (``statutory_days``, ``materials.2.count``), as the console and the Excel import do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

Number = int | float | str | None


class ContentIn(Schema):
    """Guide elements (办事指南要素); on an edit, only the fields given change."""

    name: str | None = None
    kind: str | None = None
    audience: str | None = None
    legal_basis: str | None = None
    conditions: str | None = None
    process_description: str | None = None
    statutory_days: Number = None
    promised_days: Number = None
    acceptance_days: Number = None
    special_steps: Any = None  # [{"name", "max_days", "basis"}]
    fees: Any = None  # [{"name", "amount", "basis"}]; empty: free of charge
    place: str | None = None
    hours: str | None = None
    online_depth: Number = None
    visits_needed: Number = None
    consultation: str | None = None
    complaint: str | None = None
    faq: Any = None  # [{"q", "a"}]
    form_schema: Any = None  # JSON Schema of the application form
    process_key: str | None = None


class MaterialIn(Schema):
    name: str | None = None
    form: str | None = None  # original | copy | both | electronic (default)
    count: Number = None  # default 1
    required: bool | None = None  # default true
    trust_level: str | None = None  # A–D, default C
    shared_source: str | None = None
    note: str | None = None
    sort_order: Number = None  # default: the list order × 10


class ItemIn(Schema):
    code: str
    department: str  # department code
    region: str | None = None  # region code; default: the department's region
    content: ContentIn
    materials: list[MaterialIn] = []
    life_events: list[str] = []


class VersionIn(Schema):
    content: ContentIn = Field(default_factory=ContentIn)
    materials: list[MaterialIn] | None = None  # given: replaces the version's list
    life_events: list[str] | None = None  # given: replaces the item's life events


class MaterialOut(Schema):
    name: str
    form: str
    count: int
    required: bool
    trust_level: str
    shared_source: str
    note: str
    sort_order: int


class VersionRow(Schema):
    version: int
    status: str
    status_label: str
    name: str
    published_at: datetime | None
    current: bool  # the item's current (published) version


class VersionOut(VersionRow):
    item: str
    kind: str
    audience: str
    legal_basis: str
    conditions: str
    process_description: str
    statutory_days: int
    promised_days: int
    acceptance_days: int
    special_steps: list[dict[str, Any]]
    fees: list[dict[str, Any]]
    place: str
    hours: str
    online_depth: int
    visits_needed: int
    consultation: str
    complaint: str
    faq: list[dict[str, Any]]
    form_schema: dict[str, Any]
    process_key: str
    materials: list[MaterialOut]
    life_events: list[str]  # the item's (they are not versioned)


class ManagedItemOut(Schema):
    code: str
    department: str
    department_name: str
    region: str
    current_version: int | None  # None until a version is published
    life_events: list[str]
    draft: VersionOut


class LifeEventIn(Schema):
    """A life event (主题); on an edit, only the fields given change."""

    code: str | None = None  # an edit may rename it
    name: str | None = None
    audience: str | None = None  # citizen | enterprise | both (default)
    sort_order: Number = None  # default 100
    items: list[str] | None = None  # item codes filed under it; given: replaces the list


class ManagedLifeEventOut(Schema):
    code: str
    name: str
    audience: str
    audience_label: str
    sort_order: int
    items: list[str]  # every item filed under it, drafts included
    bundles: list[str]  # every bundle shown under it, unpublished ones included


class BundleIn(Schema):
    """A bundle (一件事); on an edit, only the fields given change (the code cannot)."""

    name: str | None = None
    description: str | None = None
    items: list[str] | None = None  # item codes, each with a published version
    life_event: str | None = None  # life-event code; empty or null: none
    lead_department: str | None = None  # department code in your scope
    form_schema: Any = None  # combined form; empty: merge the items' forms when someone applies
    promised_days: Number = None


class NewBundleIn(BundleIn):
    code: str


class ManagedBundleRow(Schema):
    code: str
    name: str
    lead_department: str
    lead_department_name: str
    life_event: str | None
    promised_days: int
    published: bool
    item_count: int


class ManagedBundleOut(Schema):
    code: str
    name: str
    description: str
    lead_department: str
    lead_department_name: str
    life_event: str | None
    promised_days: int
    form_schema: dict[str, Any]
    items: list[str]
    published: bool
    problems: dict[str, str]  # why it may not be (or stay) published, as the console shows; {} when it may


class CatalogErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, str] = {}  # field → message; materials as ``materials.<index>.<field>``
