"""Submission of applications (online and at the window) and of bundles (一件事一次办).

Everything is checked before anything is written: the form against its JSON Schema, every
upload by its content, every referenced attachment by its owner. Stored files are deleted
again if the transaction fails, so a refused submission leaves neither rows nor bytes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.db.inserts import insert
from zhengtong.core.db.updates import save_fields
from zhengtong.core.files.actions import (
    CheckedUpload,
    UploadRefused,
    check_upload,
    discard_on_rollback,
    do_bind_attachment,
    do_store_attachment,
)
from zhengtong.core.files.models import Attachment
from zhengtong.core.timelimits import actions as clocks
from zhengtong.services.applications import timeline as tl
from zhengtong.services.applications.access import APPLICATION_FILES, BUNDLE_FILES
from zhengtong.services.applications.errors import InvalidInput
from zhengtong.services.applications.models import (
    Application,
    BundleApplication,
    Channel,
    MaterialStatus,
    ProvidedMaterial,
    Status,
)
from zhengtong.services.applications.numbers import next_number
from zhengtong.services.applications.registry import ACCEPTANCE_CASE
from zhengtong.services.catalog import jsonform
from zhengtong.services.catalog.models import Bundle, ItemVersion, Material, VersionStatus
from zhengtong.services.catalog.queries import materials_of

DELIVERY_CHOICES = ("download", "window", "post")


@dataclass
class Slot:
    """One material input: a catalog material, or in a bundle every member's material of that name."""

    key: str
    name: str
    required: bool
    shared_source: str
    note: str
    materials: list[Material] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return bool(self.shared_source)


def slots_for(versions: list[ItemVersion]) -> list[Slot]:
    """The material inputs for one version, or the union by name over a bundle's versions."""
    slots: dict[str, Slot] = {}
    for version in versions:
        for material in materials_of(version):
            slot = slots.get(material.name)
            if slot is None:
                slots[material.name] = Slot(f"m{material.pk}", material.name, material.required,
                                            material.shared_source, material.note, [material])
                continue
            slot.materials.append(material)
            slot.required = slot.required or material.required
            slot.shared_source = slot.shared_source if material.shared_source else ""
    return list(slots.values())


@dataclass
class Filled:
    """A slot with what was given for it: a new upload (checked), an uploaded attachment, or nothing."""

    slot: Slot
    upload: CheckedUpload | None = None
    attachment: Attachment | None = None


@dataclass
class Submission:
    applicant: Any
    data: dict
    delivery: str = "download"
    delivery_address: str = ""
    uploads: Mapping[str, UploadedFile] = field(default_factory=dict)   # slot key → file
    attachment_ids: Mapping[str, int] = field(default_factory=dict)     # slot key → attachment id
    channel: str = Channel.ONLINE


# ---------------------------------------------------------------- checks (no writes)

def check_version_open(version: ItemVersion | None) -> ItemVersion:
    if version is None or version.status != VersionStatus.PUBLISHED or version.item.current_id != version.pk:
        raise InvalidInput(_("该事项暂未开放网上申报"), code="item_closed")
    return version


def applicant_identity(user) -> tuple[str, str, str]:
    """(name, ID number or credit code, mobile) from the applicant's real-name profile."""
    if getattr(user, "kind", "") == "enterprise" and hasattr(user, "enterprise"):
        return user.enterprise.name, user.enterprise.uscc, user.mobile
    if getattr(user, "kind", "") == "citizen" and hasattr(user, "citizen"):
        return user.display_name, user.citizen.id_number, user.mobile
    raise InvalidInput(_("申请人须为已实名注册的自然人或法人"), code="not_applicant")


def check_form(schema: dict, data: Any) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput(_("申请表数据必须是 JSON 对象"))
    errors = jsonform.validate(schema or {}, data)
    if errors:
        raise InvalidInput(_("申请表填写有误，请按提示修改"), errors=errors, code="form_invalid")
    return data


def check_delivery(delivery: str, address: str) -> tuple[str, str]:
    delivery = delivery or "download"
    if delivery not in DELIVERY_CHOICES:
        raise InvalidInput(_("请选择有效的结果送达方式"), errors={"delivery": _("请选择有效的结果送达方式")})
    address = (address or "").strip()
    if delivery == "post" and not address:
        raise InvalidInput(_("选择邮寄送达时请填写邮寄地址"), errors={"delivery_address": _("请填写邮寄地址")})
    return delivery, address[:200] if delivery == "post" else ""


def own_attachment(attachment_id: Any, sub_actor, applicant) -> Attachment:
    try:
        attachment = Attachment.objects.filter(pk=int(attachment_id)).first()
    except (TypeError, ValueError):
        attachment = None
    owners = {getattr(sub_actor, "pk", None), applicant.pk}
    if attachment is None or attachment.uploaded_by_id not in owners or attachment.object_type:
        raise InvalidInput(_("附件 %(id)s 不存在或不能使用") % {"id": attachment_id}, code="bad_attachment")
    return attachment


def check_materials(slots: list[Slot], sub: Submission, actor) -> list[Filled]:
    """Check every upload by content and every attachment id; refuse unknown inputs."""
    known = {s.key: s for s in slots}
    unknown = (set(sub.uploads) | set(sub.attachment_ids)) - set(known)
    if unknown:
        raise InvalidInput(_("提交了不属于本事项的材料：%(keys)s") % {"keys": "、".join(sorted(unknown))})
    filled: list[Filled] = []
    for slot in slots:
        item = Filled(slot)
        if slot.shared:
            filled.append(item)
            continue
        if slot.key in sub.uploads:
            try:
                item.upload = check_upload(sub.uploads[slot.key])
            except UploadRefused as exc:
                message = f"{slot.name}：{exc.message}"
                raise InvalidInput(message, errors={slot.key: exc.message}, code=exc.code) from exc
        elif slot.key in sub.attachment_ids:
            item.attachment = own_attachment(sub.attachment_ids[slot.key], actor, sub.applicant)
        filled.append(item)
    return filled


# ---------------------------------------------------------------- writes

class _Stored:
    """Attachments stored during one submission, deleted again if it fails."""

    def __init__(self) -> None:
        self.created: list[Attachment] = []

    def attachment_for(self, item: Filled, *, actor, object_type: str, object_id: str) -> Attachment | None:
        if item.upload is not None:
            att = do_store_attachment(item.upload, actor=actor, object_type=object_type, object_id=object_id)
            self.created.append(att)
            item.attachment, item.upload = att, None
            return att
        if item.attachment is not None and not item.attachment.object_type:
            do_bind_attachment(item.attachment, object_type=object_type, object_id=object_id, actor=actor)
        return item.attachment

    def discard(self) -> None:
        for att in self.created:
            discard_on_rollback(att)


def _materials_for(app: Application, filled: list[Filled]) -> list[ProvidedMaterial]:
    """The application's provided materials, written in one INSERT (in the form's order)."""
    own = {material.pk for material in materials_of(app.item_version)}
    rows = []
    for item in filled:
        material = next((m for m in item.slot.materials if m.pk in own), None)
        if material is None:
            continue
        if item.slot.shared:
            rows.append(ProvidedMaterial(application=app, material=material, name=material.name,
                                         status=MaterialStatus.SHARED,
                                         note=_("共享获取：%(src)s") % {"src": item.slot.shared_source}))
        elif item.attachment is not None:
            rows.append(ProvidedMaterial(application=app, material=material, name=material.name,
                                         attachment=item.attachment, status=MaterialStatus.PROVIDED))
    return insert(rows)


def _new_application(version: ItemVersion, sub: Submission, data: dict, *, actor, bundle=None) -> Application:
    name, id_number, mobile = applicant_identity(sub.applicant)
    item = version.item
    now = timezone.now()
    [app] = insert([Application(
        number=next_number(item.region.code, timezone.localdate()), item_version=version,
        bundle_application=bundle, department=item.department, applicant=sub.applicant, applicant_name=name,
        applicant_id_number=id_number, contact_mobile=mobile, channel=sub.channel, status=Status.SUBMITTED,
        form_data=data, created_by=actor if sub.channel == Channel.WINDOW else None, submitted_at=now,
        delivery=sub.delivery, delivery_address=sub.delivery_address)])
    app.acceptance_case = clocks.open_case(
        case_type=ACCEPTANCE_CASE, object_type="applications.application", object_id=str(app.pk),
        title=f"{app.number} {version.name}", department=item.department, region=item.region,
        started_on=timezone.localdate(), limit_days=version.acceptance_days, subject_code=item.code,
        subject_name=version.name, party=sub.applicant, actor=actor)
    save_fields(app, ["acceptance_case"])
    return app


def _announce(app: Application, materials: list[ProvidedMaterial], *, actor) -> None:
    tl.event(app, _("申报"), actor=actor, note=str(Channel(app.channel).label))
    tl.audit("application.submitted", app, actor=actor, before="", item=app.item_version.item.code,
             channel=app.channel, materials=[(m.name, m.status) for m in materials])
    tl.notify_applicant(app, _("办件 %(number)s 已提交") % {"number": app.number},
                        _("您申请的“%(item)s”已提交，办件编号 %(number)s，请等待受理。")
                        % {"item": app.item_version.name, "number": app.number}, actor=actor)
    tl.notify_staff(app, "applications.accept", _("新办件待受理：%(number)s") % {"number": app.number},
                    _("%(name)s 申请“%(item)s”，请在受理时限内办理。")
                    % {"name": app.applicant_name, "item": app.item_version.name}, actor=actor)


def _prepare(versions: list[ItemVersion], schema: dict, sub: Submission, actor) -> list[Filled]:
    applicant_identity(sub.applicant)
    check_form(schema, sub.data)
    sub.delivery, sub.delivery_address = check_delivery(sub.delivery, sub.delivery_address)
    return check_materials(slots_for(versions), sub, actor)


def check_submit_application(version: ItemVersion | None, sub: Submission, *, actor) -> Application:
    """Validate and submit one application; nothing is written when anything is wrong."""
    version = check_version_open(version)
    filled = _prepare([version], version.form_schema, sub, actor)
    stored = _Stored()
    try:
        with transaction.atomic():
            app = _new_application(version, sub, sub.data, actor=actor)
            for item in filled:
                stored.attachment_for(item, actor=actor, object_type=APPLICATION_FILES, object_id=str(app.pk))
            _announce(app, _materials_for(app, filled), actor=actor)
    except BaseException:
        stored.discard()
        raise
    return app


def bundle_versions(bundle: Bundle) -> list[ItemVersion]:
    items = bundle.items.select_related("current__item__department", "current__item__region", "department")
    versions = [i.current for i in items.order_by("code")]
    if not bundle.published or not versions or any(v is None or v.status != VersionStatus.PUBLISHED
                                                   for v in versions):
        raise InvalidInput(_("该“一件事”暂未开放申报"), code="bundle_closed")
    return versions


def bundle_schema(bundle: Bundle, versions: list[ItemVersion]) -> dict:
    return bundle.form_schema or jsonform.merge([v.form_schema for v in versions], title=bundle.name)


def _member_data(schema: dict, data: dict) -> dict:
    names = set((schema or {}).get("properties") or {})
    return {k: v for k, v in data.items() if k in names} if names else dict(data)


def check_submit_bundle(bundle: Bundle, sub: Submission, *, actor) -> BundleApplication:
    """One form and one set of materials → one application per item, routed in parallel."""
    versions = bundle_versions(bundle)
    filled = _prepare(versions, bundle_schema(bundle, versions), sub, actor)
    stored = _Stored()
    try:
        with transaction.atomic():
            region = bundle.lead_department.region.code
            bundle_app = BundleApplication.objects.create(
                number=next_number(region, timezone.localdate()), bundle=bundle, applicant=sub.applicant,
                form_data=sub.data, status=Status.SUBMITTED, submitted_at=timezone.now())
            for item in filled:
                stored.attachment_for(item, actor=actor, object_type=BUNDLE_FILES, object_id=str(bundle_app.pk))
            for version in versions:
                app = _new_application(version, sub, _member_data(version.form_schema, sub.data), actor=actor,
                                       bundle=bundle_app)
                _announce(app, _materials_for(app, filled), actor=actor)
            record("applications.bundle.submitted", actor=actor, obj=bundle_app,
                      after={"bundle": bundle.code, "members": list(bundle_app.applications.values_list(
                          "number", flat=True))})
    except BaseException:
        stored.discard()
        raise
    return bundle_app
