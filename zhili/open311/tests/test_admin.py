"""The questions are edited in the admin: list values checked, nothing deleted."""

from zhili.open311.models import ServiceAttribute, ServiceRequest

URL = "/admin/open311/serviceattribute/add/"


def form(catalog, **fields):
    data = {
        "category": catalog.lamp.pk,
        "code": "FAULT",
        "description": "故障情况",
        "datatype": "singlevaluelist",
        "datatype_description": "",
        "required": "on",
        "variable": "on",
        "order": "1",
        "is_active": "on",
        "values-TOTAL_FORMS": "2",
        "values-INITIAL_FORMS": "0",
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
        "values-0-key": "off",
        "values-0-name": "不亮",
        "values-0-order": "0",
        "values-1-key": "",
        "values-1-name": "",
        "values-1-order": "0",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_a_list_question_is_added_with_its_values(admin_client, catalog):
    assert admin_client.get(URL).status_code == 200
    response = admin_client.post(URL, form(catalog))
    assert response.status_code == 302, response.content.decode()[-3000:]
    attribute = ServiceAttribute.objects.get()
    assert [(v.key, v.name) for v in attribute.values.all()] == [("off", "不亮")]
    change = f"/admin/open311/serviceattribute/{attribute.pk}/"
    assert admin_client.get(f"{change}change/").status_code == 200
    assert admin_client.get(f"{change}delete/").status_code == 403


def test_a_list_without_values_is_refused(admin_client, catalog):
    response = admin_client.post(URL, form(catalog, **{"values-0-key": "", "values-0-name": ""}))
    assert response.status_code == 200
    assert "至少需要一个可选值" in response.content.decode()
    assert not ServiceAttribute.objects.exists()


def test_an_informational_item_cannot_be_required(admin_client, catalog):
    response = admin_client.post(URL, form(catalog, datatype="text", variable=None))
    assert response.status_code == 200
    assert "不能设为必填" in response.content.decode()
    assert not ServiceAttribute.objects.exists()


def test_a_code_must_fit_in_a_parameter_name(admin_client, catalog):
    response = admin_client.post(URL, form(catalog, code="故障[1]"))
    assert response.status_code == 200
    assert not ServiceAttribute.objects.exists()


def test_the_request_extras_are_read_only_and_keep_the_email_hidden(admin_client, post):
    assert post(email="wang@example.cn").status_code == 201
    row = ServiceRequest.objects.get()
    response = admin_client.get(f"/admin/open311/servicerequest/{row.pk}/change/")
    assert response.status_code == 200
    assert row.case.case_no in response.content.decode()
    assert "wang@example.cn" not in response.content.decode()
    assert admin_client.get("/admin/open311/servicerequest/add/").status_code == 403
