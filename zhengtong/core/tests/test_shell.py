from __future__ import annotations


def test_home_shows_the_government_footer(client, city):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("示范市一体化政务服务平台", "示ICP备00000000号-1", "示公网安备", "网站标识码", "3612000001", "示范市"):
        assert text in body


def test_elderly_mode_is_remembered_and_enlarges_type(client, db):
    response = client.post("/elderly/", {"next": "/"})
    assert response.status_code == 302 and response.cookies["zt_elderly"].value == "1"
    assert 'class="elderly"' in client.get("/").content.decode()
    client.post("/elderly/", {"next": "/"})
    assert 'class="elderly"' not in client.get("/").content.decode()


def test_english_is_switchable(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_health_and_readiness(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["migrations"] == "ok"


def test_metrics_are_exposed(client, db):
    body = client.get("/metrics").content.decode()
    assert "zt_audit_entries" in body and "zt_http_requests_total" in body


def test_api_schema_errors_are_400_with_a_chinese_message(client, db):
    response = client.post("/api/v1/identifiers/id-number", {"wrong": 1}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_request" and body["message"].startswith("请求数据不符合接口要求：")


def test_api_errors_read_in_the_clients_language(client, db):
    response = client.post("/api/v1/identifiers/id-number", {"wrong": 1}, content_type="application/json",
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("The request does not match the API: ")


def test_openapi_document_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json()["info"]["title"] == "政通 Zhengtong API"


def test_the_public_shell_leads_to_the_services(client, city):
    body = client.get("/").content.decode()
    for path in ('href="/services/"', 'href="/apply/mine/"', 'href="/verify/"'):
        assert path in body


def test_favicon_requests_are_sent_to_the_platform_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("core/favicon.svg")
