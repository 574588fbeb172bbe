from __future__ import annotations

from zhengtong.services.catalog import actions


def test_index_search_and_filters(published, client):
    page = client.get("/services/").content.decode()
    assert "食品经营许可" in page
    assert "食品经营许可" in client.get("/services/", {"q": "市场监督"}).content.decode()
    assert "没有找到" in client.get("/services/", {"q": "婚姻"}).content.decode()
    assert "没有找到" in client.get("/services/", {"kind": "benefit"}).content.decode()
    assert "食品经营许可" in client.get("/services/", {"life_event": "kbqy", "audience": "enterprise"}).content.decode()
    assert client.get("/services/", {"page": "999"}).status_code == 200


def test_guide_shows_every_element(published, client):
    html = client.get("/services/items/SCJG-001/").content.decode()
    for text in ("《中华人民共和国食品安全法》第三十五条", "有与经营食品相适应的场所", "可共享免提交", "复印件",
                 "现场核查", "不收费", "20 个工作日", "10 个工作日", "四级：全程网办", "需要到现场吗？",
                 "/apply/new/SCJG-001/", "在线申报", "店铺名称", "0791-12345678", "12345", "开办企业"):
        assert text in html, text
    assert "@media print" in html
    printed = client.get("/services/items/SCJG-001/?print=1").content.decode()
    assert "window.print()" in printed


def test_guide_shows_fees_and_stays_current(published, dept_head, client):
    draft = actions.do_edit(published.current, actor=dept_head,
                            content={"fees": [{"name": "工本费", "amount": "10", "basis": "价格文件"}]})
    assert "不收费" in client.get("/services/items/SCJG-001/").content.decode()
    actions.do_publish(draft, actor=dept_head)
    html = client.get("/services/items/SCJG-001/").content.decode()
    assert "工本费" in html and "10.00" in html


def test_unpublished_and_unknown_are_404(item, client):
    assert client.get("/services/items/SCJG-001/").status_code == 404
    assert client.get("/services/items/NOPE/").status_code == 404
    assert client.get("/services/bundles/nope/").status_code == 404


def test_life_events_page(published, client):
    html = client.get("/services/topics/").content.decode()
    assert "开办企业" in html and "食品经营许可" in html
