from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.catalog import actions
from zhengtong.services.catalog.actions import CatalogError
from zhengtong.services.catalog.models import ItemVersion, Material, ServiceItem
from zhengtong.services.catalog.registry import PROCESS_KEYS


def test_create_item_with_draft_and_materials(item):
    version = item.versions.get()
    assert version.version == 1 and version.status == "draft" and item.current is None
    assert [m.name for m in version.materials.all()] == ["食品经营许可申请书", "营业执照"]
    assert version.materials.get(name="营业执照").fetched_from_share
    assert list(item.life_events.values_list("code", flat=True)) == ["kbqy"]
    assert AuditEntry.objects.filter(action="catalog.item.create", object_id=str(item.pk)).exists()


@pytest.mark.parametrize("change, field, message", [
    ({"promised_days": 30}, "promised_days", "承诺办结时限不能超过法定办结时限"),
    ({"statutory_days": "x"}, "statutory_days", "应为整数"),
    ({"name": ""}, "name", "请填写“事项名称”"),
    ({"kind": "nope"}, "kind", "事项类型不正确"),
    ({"process_key": "bpmn-unknown"}, "process_key", "未登记"),
    ({"process_key": ""}, "process_key", "未登记"),
    ({"form_schema": {"type": "object", "properties": {"a": {"type": "wrong"}}}}, "form_schema", "JSON Schema"),
    ({"form_schema": [1]}, "form_schema", "JSON 对象"),
    ({"fees": [{"name": "工本费", "amount": "-1"}]}, "fees", "金额"),
    ({"special_steps": [{"name": "听证", "max_days": 0}]}, "special_steps", "正整数"),
    ({"faq": [{"q": "问"}]}, "faq", "成对"),
    ({"online_depth": 7}, "online_depth", "1–4"),
])
def test_create_refuses_bad_content(city, dept_head, content, materials, change, field, message):
    content.update(change)
    with pytest.raises(CatalogError) as exc:
        actions.do_create_item(actor=dept_head, code="X-1", department=city.dept("market"),
                               content=content, materials=materials)
    assert message in exc.value.errors[field]
    assert not ServiceItem.objects.exists() and not ItemVersion.objects.exists()


def test_create_refuses_bad_materials_and_codes(city, dept_head, content, item):
    bad = [{"name": ""}, {"name": "A", "count": 0}, {"name": "A", "trust_level": "Z"}]
    with pytest.raises(CatalogError) as exc:
        actions.do_create_item(actor=dept_head, code="X-2", department=city.dept("market"), content=content,
                               materials=bad)
    assert set(exc.value.errors) >= {"materials.0.name", "materials.1.count", "materials.2.name",
                                     "materials.2.trust_level"}
    with pytest.raises(CatalogError, match="已存在"):
        actions.do_create_item(actor=dept_head, code="SCJG-001", department=city.dept("market"), content=content)
    with pytest.raises(CatalogError) as exc:
        actions.do_create_item(actor=dept_head, code="坏 编码", department=city.dept("market"), content=content)
    assert "code" in exc.value.errors
    with pytest.raises(CatalogError, match="主题"):
        actions.do_create_item(actor=dept_head, code="X-3", department=city.dept("market"), content=content,
                               life_events=["nope"])
    assert ServiceItem.objects.count() == 1


def test_permission_is_scoped_to_department(city, dept_head, clerk, content, item):
    with pytest.raises(PermissionDenied):
        actions.do_create_item(actor=dept_head, code="X-4", department=city.dept("approval"), content=content)
    with pytest.raises(PermissionDenied):
        actions.do_publish(item.versions.get(), actor=clerk)
    assert ServiceItem.objects.count() == 1


def test_edit_draft_in_place(item, dept_head):
    draft = item.versions.get()
    edited = actions.do_edit(draft, actor=dept_head, content={"promised_days": 5},
                             materials=[{"name": "申请书", "trust_level": "D"}])
    assert edited.pk == draft.pk and edited.promised_days == 5
    assert list(edited.materials.values_list("name", flat=True)) == ["申请书"]
    assert AuditEntry.objects.filter(action="catalog.version.update").count() == 1


def test_edit_refused_leaves_draft_unchanged(item, dept_head):
    draft = item.versions.get()
    with pytest.raises(CatalogError):
        actions.do_edit(draft, actor=dept_head, content={"promised_days": 99}, materials=[{"name": ""}])
    draft.refresh_from_db()
    assert draft.promised_days == 10 and draft.materials.count() == 2


def test_publish_then_edit_creates_new_draft(published, dept_head):
    v1 = published.current
    assert v1.status == "published" and v1.published_by == dept_head
    v2 = actions.do_edit(v1, actor=dept_head, content={"name": "食品经营许可（新）"})
    v1.refresh_from_db()
    assert v2.version == 2 and v2.status == "draft" and v1.name == "食品经营许可"
    assert v2.materials.count() == 2 and v1.materials.count() == 2
    assert Material.objects.count() == 4
    # a second edit of v1 lands on the same open draft
    assert actions.do_edit(v1, actor=dept_head, content={"promised_days": 3}).pk == v2.pk
    actions.do_publish(v2, actor=dept_head)
    v1.refresh_from_db()
    published.refresh_from_db()
    assert v1.status == "retired" and published.current_id == v2.pk
    with pytest.raises(CatalogError, match="只能发布草稿"):
        actions.do_publish(v1, actor=dept_head)


def test_new_version_and_discard(published, dept_head):
    draft = actions.do_new_version(published, actor=dept_head)
    assert actions.do_new_version(published, actor=dept_head).pk == draft.pk
    actions.do_discard_draft(draft, actor=dept_head)
    assert published.versions.count() == 1
    with pytest.raises(CatalogError):
        actions.do_discard_draft(published.current, actor=dept_head)


def test_process_keys_registry():
    assert {"simple", "countersign", "parallel"} <= PROCESS_KEYS


def test_dept_head_role_has_manage_action(city):
    from zhengtong.core.permissions.models import Role
    assert "catalog.item.manage" in Role.objects.get(code="dept_head").actions
    assert "catalog.item.manage" not in Role.objects.get(code="sysadmin").actions


def test_a_published_versions_materials_are_read_once_and_a_new_version_gets_its_own(published, dept_head, content,
                                                                                     materials):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhengtong.services.catalog.queries import materials_of

    v1 = published.current
    first = [m.name for m in materials_of(v1)]
    assert first == [m.name for m in v1.materials.all()] and first
    with CaptureQueriesContext(connection) as queries:
        assert [m.name for m in materials_of(v1)] == first
    assert not queries.captured_queries  # published: it cannot change
    draft = actions.do_new_version(published, actor=dept_head)
    changed = [*materials, {"name": "新增材料", "form": "original", "count": 1, "required": True}]
    actions.do_edit(draft, actor=dept_head, content=content, materials=changed)
    assert [m.name for m in materials_of(draft)][-1] == "新增材料"  # a draft is read as it stands
    actions.do_publish(draft, actor=dept_head)
    draft.refresh_from_db()
    assert [m.name for m in materials_of(draft)][-1] == "新增材料"
    assert [m.name for m in materials_of(v1)] == first  # the running cases keep theirs
