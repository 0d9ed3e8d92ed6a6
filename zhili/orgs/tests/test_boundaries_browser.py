"""In a browser, on the Donghai demo: the administrator opens 区划边界 (the 21 townships'
schematic outlines on the map), uploads a file refused for its projected coordinates (the page
names the feature), then the official file of 白塔埠镇 and its villages, and sees them 正式.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

import io
import json
from pathlib import Path
from typing import Any

import shapely
from django.core.management import call_command

from zhili.orgs.demo import data
from zhili.orgs.demo.geometry import demo_boundaries
from zhili.orgs.models import Boundary
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    page,
    session_cookies,
)

pytestmark = BROWSER
TOWNSHIP = "320722003"  # 白塔埠镇


def official_file(folder: Path) -> Path:
    """白塔埠镇 and its villages as a bureau's file: the demo outlines, smoothed (so they differ
    from the schematic ones), under the property names of a 三调 export."""
    features = [
        {
            "type": "Feature",
            "properties": {"XZQDM": code, "XZQMC": "", "备注": "测试"},
            "geometry": shapely.geometry.mapping(outline.buffer(0.001).buffer(-0.001)),
        }
        for code, _, outline in demo_boundaries()
        if code.startswith(TOWNSHIP)
    ]
    path = folder / "白塔埠镇村级界线.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def projected_file(folder: Path) -> Path:
    ring = [[512000, 3820000], [513000, 3820000], [513000, 3821000], [512000, 3820000]]
    feature = {"type": "Polygon", "coordinates": [ring]}
    document = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"code": TOWNSHIP}, "geometry": feature}],
    }
    path = folder / "投影坐标.geojson"
    path.write_text(json.dumps(document), "utf-8")
    return path


def test_an_administrator_replaces_a_townships_schematic_boundaries(
    live_server: Any,
    settings: Any,
    page: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    settings.ZHILI_ALLOW_DEMO_USERS = True
    ARTIFACTS.mkdir(exist_ok=True)
    call_command("demo", "--only", "zhili.orgs", stdout=io.StringIO())
    console: list[str] = []  # script errors and CSP refusals; not the refused upload's 422
    page.on(
        "console",
        lambda m: console.append(m.text) if m.type == "error" and "422" not in m.text else None,
    )
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", data.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.click("nav >> text=区划边界")
    page.wait_for_selector("#boundary-map[data-loaded=true]")
    assert page.get_attribute("#boundary-map", "data-count") == "21"
    assert page.inner_text("[data-testid=boundary-totals]").split() == [
        "乡镇（街道）正式边界", "0", "/", "21", "村（社区）正式边界", "0", "/", "346",
    ]  # fmt: skip
    page.screenshot(path=str(ARTIFACTS / "boundaries-schematic.png"), full_page=False)

    page.set_input_files("input[name=file]", str(projected_file(tmp_path)))
    page.click("[data-testid=boundary-upload-submit]")
    error = page.inner_text("[data-testid=boundary-upload-error]")
    assert "投影坐标" in error
    assert (
        page.inner_text("[data-testid=boundary-error-field]") == "features[0].geometry.coordinates"
    )
    page.wait_for_selector("#boundary-map[data-loaded=true]")  # the page kept its map
    page.screenshot(path=str(ARTIFACTS / "boundaries-refused.png"), full_page=False)

    page.set_input_files("input[name=file]", str(official_file(tmp_path)))
    page.click("[data-testid=boundary-upload-submit]")
    message = page.inner_text(".message.success")
    villages = Boundary.objects.filter(organization__parent__code=TOWNSHIP).count()
    assert f"替换 {villages + 1} 个（乡镇 1，村（社区） {villages}）" in message
    page.click(f"[data-testid=boundary-township-{TOWNSHIP}] summary")
    assert page.inner_text(f"[data-testid=boundary-source-{TOWNSHIP}]") == "正式"
    assert page.inner_text(f"[data-testid=boundary-source-{TOWNSHIP}001]") == "正式"
    page.check("[data-testid=show-villages]")
    page.wait_for_selector("#boundary-map[data-villages='346']")
    page.evaluate(
        """(code) => {
            const m = window.zhiliBoundaryMap;
            m.townships.eachLayer((l) => {
                if (l.feature.properties.code === code) m.map.fitBounds(l.getBounds(), {animate: false});
            });
        }""",
        TOWNSHIP,
    )
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "boundaries-official.png"), full_page=True)
    assert not console, f"浏览器控制台报错：{console}"
