"""Export → import reproduces every item exactly: content, special steps with their legal
basis, FAQ, materials and life events."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.org.actions import do_create_department, import_regions_csv
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.apps import sync_builtin_roles
from zhengtong.demo import specs
from zhengtong.demo.loader import REGIONS_CSV
from zhengtong.services.catalog import actions, excel
from zhengtong.services.catalog.demo import ITEMS, load_catalog
from zhengtong.services.catalog.models import ItemVersion, LifeEvent, ServiceItem
from zhengtong.testing import personas as P


def _items():
    return (ServiceItem.objects.filter(current__isnull=False).select_related("current", "department", "region")
            .prefetch_related("current__materials", "life_events").order_by("code"))


def _recode(data: bytes, prefix: str) -> bytes:
    """The same workbook with every item code prefixed (in both sheets)."""
    wb = load_workbook(io.BytesIO(data))
    for sheet in (excel.ITEM_SHEET, excel.MATERIAL_SHEET):
        for row in wb[sheet].iter_rows(min_row=2):
            row[0].value = prefix + row[0].value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _same(copy: ServiceItem, original: ServiceItem) -> None:
    """Field by field: every content field, every material field, the life events."""
    draft, current = copy.versions.get(), original.current
    for field in actions.CONTENT_FIELDS:
        assert getattr(draft, field) == getattr(current, field), (original.code, field)
    theirs = [{f: getattr(m, f) for f in actions.MATERIAL_FIELDS} for m in current.materials.all()]
    ours = [{f: getattr(m, f) for f in actions.MATERIAL_FIELDS} for m in draft.materials.all()]
    assert ours == theirs, original.code
    assert set(copy.life_events.values_list("code", flat=True)) == {e.code for e in original.life_events.all()}
    assert (copy.department_id, copy.region_id) == (original.department_id, original.region_id)


@pytest.fixture
def demo_admin(db):
    """The demo city's departments and its catalog (no people, no case history)."""
    sync_builtin_roles()
    with REGIONS_CSV.open(encoding="utf-8", newline="") as stream:
        assert not import_regions_csv(stream).errors
    regions = {r.code: r for r in Region.objects.all()}
    depts: dict[str, Department] = {}
    for spec in specs.DEPARTMENTS:
        depts[spec.key] = do_create_department(region=regions[spec.region], code=spec.code, name=spec.name,
                                               short_name=spec.short_name, parent=depts.get(spec.parent))
    assert load_catalog()["items"] == len(ITEMS)
    return P.staff("catalog.rt", "目录管理员", depts["zwfw"], roles=["catalog_admin"], scope="city")


def test_every_demo_item_survives_export_and_import(demo_admin):
    originals = list(_items())
    assert len(originals) >= len(ITEMS)
    # the demo exercises what the template used to drop
    assert any(s["basis"] for o in originals for s in o.current.special_steps)
    assert all(o.current.faq for o in originals)
    assert sum(o.life_events.count() > 1 for o in originals) >= 10
    data = excel.export_workbook(_items())

    # imported back over themselves: nothing changes, not even a new draft
    versions = ItemVersion.objects.count()
    result = excel.import_workbook(data, actor=demo_admin, publish=True)
    assert (result.created, result.versioned, result.unchanged) == (0, 0, len(originals))
    assert ItemVersion.objects.count() == versions
    assert AuditEntry.objects.filter(action="catalog.import").latest("seq").after["unchanged"] == len(originals)

    # imported as new items: every draft says exactly what its original says
    result = excel.import_workbook(_recode(data, "RT-"), actor=demo_admin, publish=False)
    assert result.created == len(originals)
    for original in originals:
        _same(ServiceItem.objects.get(code="RT-" + original.code), original)


def test_lists_the_text_form_cannot_carry_travel_as_json(published, dept_head):
    version = published.current
    tricky = {
        "special_steps": [{"name": "听证:公示", "max_days": 5, "basis": "《行政许可法》第四十七条；第四十八条"}],
        "faq": [{"q": "需要|带什么？", "a": "第一行\n第二行"}, {"q": "能代办吗？", "a": "可以"}],
        "fees": [{"name": "工本费", "amount": "10.00", "basis": "价格文件；附件一"}],
        "name": "=SUM(A1)",
    }
    actions.do_edit(version, actor=dept_head, content=tricky)
    actions.do_publish(published.versions.get(status="draft"), actor=dept_head)
    published.refresh_from_db()
    data = excel.export_workbook(ServiceItem.objects.filter(pk=published.pk))
    sheet = load_workbook(io.BytesIO(data))[excel.ITEM_SHEET]
    assert sheet["T2"].value.startswith("[") and sheet["W2"].value.startswith("[")
    assert sheet["S2"].value.startswith("[")  # "；" in the basis would split the fee in two
    assert sheet["B2"].data_type == "s"
    result = excel.import_workbook(_recode(data, "X-"), actor=dept_head, publish=False)
    assert result.created == 1
    _same(ServiceItem.objects.get(code="X-SCJG-001"), published)


def _with(data: bytes, cells: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        wb[excel.ITEM_SHEET][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_new_columns_are_read_and_checked_by_row(published, dept_head):
    LifeEvent.objects.create(code="jiuye", name="就业创业")
    data = excel.export_workbook(ServiceItem.objects.filter(pk=published.pk))
    header = [c.value for c in load_workbook(io.BytesIO(data))[excel.ITEM_SHEET][1]]
    assert header[-3:] == ["申请表（JSON Schema）", "常见问题（每行 问题|解答）", "主题编码（以;分隔）"]
    assert "特殊环节（名称:天数:依据;…）" in header

    with pytest.raises(excel.ImportFailed) as exc:
        excel.import_workbook(_with(data, {"X2": "kbqy;nope；bad"}), actor=dept_head)
    assert exc.value.errors == ["事项 第2行：主题编码“nope、bad”不存在"]
    with pytest.raises(excel.ImportFailed) as exc:
        excel.import_workbook(_with(data, {"W2": "没有分隔符的问题"}), actor=dept_head)
    assert exc.value.errors == ["事项 第2行：常见问题每行应写作“问题|解答”"]
    with pytest.raises(excel.ImportFailed) as exc:
        excel.import_workbook(_with(data, {"T2": "专家评审:0:依据"}), actor=dept_head)
    assert exc.value.errors == ["事项 第2行：第 1 个特殊环节应有名称和正整数天数"]
    published.refresh_from_db()
    assert published.versions.count() == 1

    changed = _with(data, {"T2": "现场核查:10:新依据；专家评审:5", "W2": "问一|答一\n问二|答二", "X2": "jiuye，kbqy"})
    result = excel.import_workbook(changed, actor=dept_head, publish=True)
    assert result.versioned == 1
    published.refresh_from_db()
    assert published.current.special_steps == [{"name": "现场核查", "max_days": 10, "basis": "新依据"},
                                               {"name": "专家评审", "max_days": 5, "basis": ""}]
    assert published.current.faq == [{"q": "问一", "a": "答一"}, {"q": "问二", "a": "答二"}]
    assert set(published.life_events.values_list("code", flat=True)) == {"jiuye", "kbqy"}
    # an emptied topic cell takes the item out of every topic
    excel.import_workbook(_with(excel.export_workbook(ServiceItem.objects.filter(pk=published.pk)), {"X2": None}),
                          actor=dept_head)
    assert not published.life_events.exists()


def test_an_old_template_is_refused_with_the_missing_columns(published, dept_head):
    data = excel.export_workbook(ServiceItem.objects.filter(pk=published.pk))
    wb = load_workbook(io.BytesIO(data))
    wb[excel.ITEM_SHEET].delete_cols(23, 2)
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(excel.ImportFailed) as exc:
        excel.import_workbook(out.getvalue(), actor=dept_head)
    assert exc.value.errors == ["工作表“事项”缺少列：常见问题（每行 问题|解答）、主题编码（以;分隔）"]


def test_a_draft_that_already_says_it_is_published_or_left(published, dept_head):
    data = excel.export_workbook(ServiceItem.objects.filter(pk=published.pk))
    changed = _with(data, {"B2": "食品经营许可（修订）"})
    assert excel.import_workbook(changed, actor=dept_head, publish=False).versioned == 1
    draft = published.versions.get(status="draft")
    again = excel.import_workbook(changed, actor=dept_head, publish=False)
    assert (again.versioned, again.unchanged) == (0, 1)
    assert published.versions.count() == 2
    # importing the same file with "publish" publishes that draft as it is
    assert excel.import_workbook(changed, actor=dept_head, publish=True).versioned == 1
    published.refresh_from_db()
    assert published.current_id == draft.pk and published.current.name == "食品经营许可（修订）"
