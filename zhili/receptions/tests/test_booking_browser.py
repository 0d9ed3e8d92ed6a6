"""视频接访预约 in the browser (no Janus: the room's side is zhili/rooms/tests/
test_reception_booking_browser.py): a township's officer books the county leader's day from a
free slot on the booking page; another township sees the slot taken with no name; the leader's
day page lists the queue with the name masked and where the petitioner sits; the appointment's
own page carries its number and QR. Screenshots in test-artifacts/receptions-booking-*.png."""

from zhili.receptions.models import Appointment
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def test_a_township_books_and_the_leader_s_queue_shows_it(live_server, rx, county_day, page):
    ARTIFACTS.mkdir(exist_ok=True)
    rx.leader.full_name, rx.leader.title = "王立新", "县委常委、政法委书记"
    rx.leader.save()
    base = live_server.url
    login(page, base, "township")
    page.goto(f"{base}/receptions/booking/")
    page.click(f"[data-testid=slot-free-{county_day.pk}-0930]")
    assert "王立新" in page.inner_text("[data-testid=booking-chosen-day]")
    page.fill("[data-testid=booking-form] input[name=visitor_name]", "孙大海")
    page.fill("[data-testid=booking-form] input[name=visitor_phone]", "1391234")
    page.fill("[data-testid=booking-form] input[name=subject]", "宅基地边界纠纷")
    page.click("[data-testid=booking-submit]")
    assert "电话号码格式不正确" in page.inner_text("[data-testid=booking-error-visitor_phone]")
    page.fill("[data-testid=booking-form] input[name=visitor_phone]", "13912345678")
    page.click("[data-testid=booking-submit]")
    page.wait_for_selector("[data-testid=booking-done]")
    appointment = Appointment.objects.get(booking_unit=rx.tree.t1)
    assert page.is_visible(f"[data-testid=slot-mine-{appointment.pk}]")
    page.screenshot(path=str(ARTIFACTS / "receptions-booking-page.png"), full_page=True)

    other = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    second = other.new_page()
    login(second, base, "town2")
    second.goto(f"{base}/receptions/booking/")
    taken = second.inner_text(f"[data-testid=slot-taken-{county_day.pk}-0930]")
    assert "已约" in taken and "孙" not in second.inner_text("[data-testid=booking-days]")
    other.close()

    page.context.clear_cookies()
    login(page, base, "leader")
    page.goto(f"{base}/receptions/day/{county_day.pk}/")
    assert page.inner_text(f"[data-testid=queue-who-{appointment.pk}]").strip() == "孙**"
    assert "甲镇综治中心视频接访室" in page.inner_text(
        f"[data-testid=queue-where-{appointment.pk}]"
    )
    assert page.is_visible("[data-testid=call-next]")
    page.screenshot(path=str(ARTIFACTS / "receptions-booking-queue.png"), full_page=True)
    page.click(f"[data-testid=appointment-link-{appointment.pk}]")
    page.wait_for_selector("[data-testid=dossier-code]")
    assert page.inner_text("[data-testid=appointment-number]") == appointment.number
    page.screenshot(path=str(ARTIFACTS / "receptions-booking-appointment.png"), full_page=True)
