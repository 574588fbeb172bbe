from __future__ import annotations

from django.http import QueryDict

from zhengtong.services.catalog import jsonform

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name", "id_number", "mobile"],
    "properties": {
        "name": {"type": "string", "title": "姓名", "maxLength": 5, "minLength": 2},
        "id_number": {"type": "string", "title": "身份证号", "format": "id_number"},
        "mobile": {"type": "string", "title": "手机号", "format": "mobile"},
        "uscc": {"type": "string", "title": "信用代码", "format": "uscc"},
        "zip": {"type": "string", "title": "邮编", "pattern": "^[0-9]{6}$"},
        "kind": {"type": "string", "title": "类型", "enum": ["a", "b"], "enumNames": ["甲", "乙"]},
        "staff": {"type": "integer", "title": "从业人数", "minimum": 1, "maximum": 100},
        "area": {"type": "number", "title": "面积", "description": "平方米"},
        "agree": {"type": "boolean", "title": "同意承诺"},
        "start": {"type": "string", "title": "开业日期", "format": "date"},
        "scope": {"type": "string", "title": "经营范围", "format": "textarea"},
    },
}
GOOD = {"name": "李娟", "id_number": "11010519491231002X", "mobile": "13800000001"}


def test_valid_data_has_no_errors():
    assert jsonform.validate(SCHEMA, GOOD) == {}
    assert jsonform.validate({}, {"x": 1}) == {}


def test_required_message_uses_title():
    errors = jsonform.validate(SCHEMA, {})
    assert errors["name"] == "请填写“姓名”"
    assert errors["mobile"] == "请填写“手机号”"


def test_length_pattern_enum_range_type_messages():
    data = {**GOOD, "name": "张三李四王五", "zip": "12", "kind": "c", "staff": 0, "area": "大"}
    errors = jsonform.validate(SCHEMA, data)
    assert errors["name"] == "“姓名”不能超过 5 个字"
    assert errors["zip"] == "“邮编”格式不正确"
    assert errors["kind"] == "“类型”请从给定选项中选择"
    assert errors["staff"] == "“从业人数”不能小于 1"
    assert errors["area"] == "“面积”应为数字"
    assert jsonform.validate(SCHEMA, {**GOOD, "staff": 101})["staff"] == "“从业人数”不能大于 100"
    assert jsonform.validate(SCHEMA, {**GOOD, "name": "李"})["name"] == "“姓名”至少填写 2 个字"


def test_custom_formats_use_identifier_messages():
    errors = jsonform.validate(SCHEMA, {**GOOD, "id_number": "110105194912310021", "mobile": "1234",
                                        "uscc": "91110000600037341X", "start": "2024-02-30"})
    assert errors["id_number"] == "“身份证号”：公民身份号码校验码错误"
    assert errors["mobile"].startswith("“手机号”：手机号码应为")
    assert "统一社会信用代码" in errors["uscc"]
    assert errors["start"].startswith("“开业日期”应为有效日期")
    assert jsonform.validate(SCHEMA, {**GOOD, "uscc": "91110000600037341L"}) == {}


def test_coerce_querydict():
    post = QueryDict(mutable=True)
    post.update({"name": " 李娟 ", "staff": "12", "area": "35.5", "start": "2024/5/1", "zip": "",
                 "id_number": "11010519491231002x", "agree": "true"})
    data = jsonform.coerce(SCHEMA, post)
    assert data == {"name": "李娟", "staff": 12, "area": 35.5, "start": "2024-05-01",
                    "id_number": "11010519491231002X", "agree": True}
    assert jsonform.coerce(SCHEMA, {"agree": "", "staff": "abc"}) == {"agree": False, "staff": "abc"}
    assert jsonform.validate(SCHEMA, {**GOOD, "staff": "abc"})["staff"] == "“从业人数”应为整数"


def test_coerce_nested_and_arrays():
    schema = {"type": "object", "properties": {
        "addr": {"type": "object", "title": "地址", "properties": {"city": {"type": "string", "title": "市"}}},
        "tags": {"type": "array", "title": "标签", "items": {"type": "string", "enum": ["x", "y"]}},
    }}
    post = QueryDict("addr.city=%E5%B8%82&tags=x&tags=y")
    assert jsonform.coerce(schema, post) == {"addr": {"city": "市"}, "tags": ["x", "y"]}
    html = jsonform.render(schema, {"tags": ["y"]}, {"addr.city": "错"})
    assert "<fieldset" in html and 'name="addr.city"' in html and "错" in html
    assert 'value="y" checked' in html


def test_render_inputs_labels_errors():
    html = jsonform.render(SCHEMA, {"name": "<b>", "kind": "b", "agree": True},
                           {"name": "请填写“姓名”"}, prefix="f-")
    assert 'name="f-name"' in html and "&lt;b&gt;" in html and "<b>" not in html
    assert '<span class="required"' in html
    assert '<ul class="errorlist" id="id_f-name_error"><li>请填写“姓名”</li></ul>' in html
    assert 'aria-invalid="true"' in html
    assert '<select name="f-kind"' in html and '<option value="b" selected>乙</option>' in html
    assert 'type="checkbox"' in html and " checked" in html
    assert 'type="date"' in html and "<textarea" in html and 'type="tel"' in html
    assert 'type="number" step="1" min="1" max="100"' in html
    assert '<span class="helptext" id="id_f-area_help">平方米</span>' in html


def test_merge_same_name_is_one_field():
    a = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "title": "名称"},
                                                                 "x": {"type": "string"}}}
    b = {"type": "object", "required": ["name", "y"], "properties": {"name": {"type": "string", "title": "别名"},
                                                                      "y": {"type": "integer"}}}
    merged = jsonform.merge([a, b])
    assert list(merged["properties"]) == ["name", "x", "y"]
    assert merged["properties"]["name"]["title"] == "名称"
    assert merged["required"] == ["name", "y"]
    assert jsonform.check_schema(merged) == []
    assert jsonform.validate(merged, {"name": "n"}) == {"y": "请填写“y”"}


def test_check_schema():
    assert jsonform.check_schema(SCHEMA) == []
    assert jsonform.check_schema([]) == ["申请表必须是 JSON 对象"]
    assert jsonform.check_schema({"type": "array"}) == ["申请表的 type 必须为 object"]
    assert "不是有效的 JSON Schema" in jsonform.check_schema({"type": "object", "properties": {"a": {"type": 5}}})[0]
    assert jsonform.check_schema({"type": "object", "required": ["z"]}) == ["必填字段“z”未在 properties 中定义"]


def test_type_and_format_messages_in_the_readers_language():
    from django.utils import translation

    schema = {"type": "object", "properties": {"area": {"type": ["number", "null"], "title": "面积"},
                                               "start": {"type": "string", "title": "开业日期", "format": "date"}}}
    bad = {"area": "大", "start": "明天"}
    chinese = jsonform.validate(schema, bad)
    assert chinese == {"area": "“面积”应为数字或空值", "start": "“开业日期”应为有效日期（如 2024-05-01）"}
    with translation.override("en"):
        english = jsonform.validate(schema, bad)
    # the field titles are the item's data; the words around them follow the reader
    assert english == {"area": "“面积” must be: a number or empty", "start": "“开业日期” must be: a valid date (e.g. 2024-05-01)"}
