"""The room pages: a staff member's (the room, its participants, the host's buttons), an
outside party's (the code form, then the room), scheduling a video mediation from a dispute
(the invitations with link, QR code and code, shown once), and the host's 笔录 of the session.
The browser's half is static rooms/room.js: it asks the API for the seat and speaks Janus."""

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhili.core.dossier.history import action_labels
from zhili.core.errors import DomainError, InvalidInput, NotFound
from zhili.core.pages import or_404
from zhili.core.qr import qr_svg
from zhili.core.ranges import ranged_file
from zhili.core.scope import scope_for
from zhili.core.xlsx import XLSX
from zhili.mediation import selectors as mediation_selectors
from zhili.mediation.models import SessionMode
from zhili.mediation.services import SessionInput, dispute_session
from zhili.orgs.auth import StaffRequest
from zhili.orgs.pickers import invitable_units, invited_codes
from zhili.petitions.models import Category, Kind
from zhili.receptions import selectors as reception_selectors
from zhili.rooms import (
    attendance,
    broadcast,
    meetings,
    reception,
    recording,
    selectors,
    services,
    subjects,
    video_mediation,
    watches,
)
from zhili.rooms.api import join_url, outsider_url
from zhili.rooms.forms import MeetingForm
from zhili.rooms.models import Participant, ParticipantKind, Purpose, Room, RoomState
from zhili.rooms.workflow import KIND
from zhili.video.live import gateway_up

SEATS = "rooms_seats"  # the session's key: link digest -> participant id, for a reload


def _room_context(room: Room, **extra: object) -> dict[str, object]:
    return {
        "room": room,
        "participants": room.participants.select_related("organization").order_by("id"),
        "gateway_up": gateway_up(),
        "recording_now": recording.current(room) is not None,
        **extra,
    }


def _record_context(request: StaffRequest, room: Room, error: str = "") -> dict[str, object]:
    """The room's record beside the stage: consents, starts and stops, notes (with their
    offset into the recording), and the recordings with their conversion's progress."""
    recordings = list(room.recordings.all())
    rows = recording.record_rows(room)
    for row in rows:
        row.offset = recording.offset_label(row.data.get("offset_s"))  # type: ignore[attr-defined]
    return {
        "participants": room.participants.select_related("organization").order_by("id"),
        "record_rows": rows,
        "labels": action_labels(KIND),
        "recordings": recordings,
        "polling": any(not r.finished for r in recordings),
        "agreement_status": video_mediation.agreement_status(room),
        "may_note": room.state != RoomState.ENDED
        and room.participants.filter(user=request.user)
        .exclude(kind=ParticipantKind.OUTSIDER)
        .exists(),
        "note_error": error,
    }


def refusal(action: Callable[[], object]) -> str:
    """Take `action` (a service) for a small HTMX form: "" when done, else the service's
    refusal, shown beside the form that comes back."""
    try:
        action()
    except DomainError as exc:
        return exc.message
    return ""


@login_required
@require_http_methods(["GET"])
def room_record(request: StaffRequest, number: str) -> HttpResponse:
    room = or_404(selectors.room_get, user=request.user, number=number)
    return render(request, "rooms/_record.html", {"room": room, **_record_context(request, room)})


@login_required
@require_POST
def room_note(request: StaffRequest, number: str) -> HttpResponse:
    """A note from the room's page (HTMX): the form again, empty, and the record with it."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    text = request.POST.get("text", "")
    error = refusal(lambda: recording.room_note(actor=request.user, room=room, text=text))
    # A refused note keeps what was typed, beside its error; a recorded one empties the form.
    context = {
        "room": room,
        **_record_context(request, room, error),
        "note_text": text * bool(error),
    }
    return render(request, "rooms/_notes.html", context)


@login_required
@require_http_methods(["GET"])
def recording_download(request: StaffRequest, number: str, pk: int) -> FileResponse:
    """The MP4 of a recording, for whoever sees the room (404 otherwise); each download
    audited."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    row = or_404(selectors.recording_get, user=request.user, room=room, pk=pk)
    handle = row.file.open("rb")
    return FileResponse(handle, as_attachment=True, filename=f"{room.number}-{row.pk}.mp4")


@login_required
@require_http_methods(["GET"])
def recording_play(request: StaffRequest, number: str, pk: int) -> HttpResponseBase:
    """The MP4 of a recording played in the browser (range requests), for whoever sees the
    room; the start of each playing audited (not each range the player asks for after)."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    first = request.headers.get("Range", "bytes=0-").strip().startswith("bytes=0-")
    how = "play" if first else ""
    row = or_404(selectors.recording_get, user=request.user, room=room, pk=pk, how=how)
    return ranged_file(request, row.file.open("rb"), row.file.size, "video/mp4")


@login_required
@require_http_methods(["GET"])
def room_page(request: StaffRequest, number: str) -> HttpResponse:
    room = or_404(selectors.room_get, user=request.user, number=number)
    seat = room.participants.filter(user=request.user).first()
    context = _room_context(
        room,
        invited=seat is not None,
        is_host=room.host_id == request.user.pk,
        join_api=f"/api/v1/rooms/{room.number}/join",
        record_session=room.purpose == Purpose.MEDIATION and room.host_id == request.user.pk,
        record_reception=room.purpose == Purpose.RECEPTION and room.host_id == request.user.pk,
        may_watch=room.state == RoomState.OPEN and watches.may_watch(request.user, room),
        watches=watches.watches_for(user=request.user, room=room),
        **_record_context(request, room),
    )
    if room.purpose in meetings.MEETINGS:
        context.update(
            _meeting_context(request, room), units=meetings.units_view(user=request.user, room=room)
        )
    if context["record_reception"] and room.state != RoomState.ENDED:
        context.update(_reception_context(request, room))
    return render(request, "rooms/room.html", context)


def _reception_context(request: StaffRequest, room: Room) -> dict[str, object]:
    """The reception record form's choices: the petitioner's petitions in sight, and a new
    one's kind and category."""
    try:
        petitions = reception.petition_choices(request.user, room)
    except DomainError:
        petitions = []
    return {
        "petition_choices": petitions,
        "petition_kinds": Kind.choices,
        "petition_categories": Category.choices,
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: StaffRequest) -> HttpResponse:
    """视频会议: the meetings of the user (hosted, invited, or in their part of the tree) and
    the form to call one, with whole kinds of units or units one by one and its agenda."""
    scope = scope_for(request.user).q("path")
    form = MeetingForm(request.POST if request.method == "POST" else None)
    units = invitable_units(scope)
    form.fields["organizations"].choices = [(o.code, o.name) for o in units]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        codes = invited_codes(scope, data["groups"], data["organizations"])
        try:
            done = services.meeting_call(
                actor=request.user,
                title=data["title"],
                starts_at=data["starts_at"],
                organizations=codes,
                agenda=data["agenda"].splitlines(),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("rooms:room", number=done.number)
    rows = Paginator(selectors.meeting_list(user=request.user), 20)
    context = {"form": form, "units": units, "page": rows.get_page(request.GET.get("page"))}
    status = 400 if request.method == "POST" else 200
    return render(request, "rooms/meetings.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def broadcast_page(request: StaffRequest, number: str) -> HttpResponse:
    """观看直播: the meeting's one-way broadcast (HLS through static rooms/broadcast.js), for
    whoever sees the room; an invited person's beats are their attendance."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    if room.purpose not in meetings.MEETINGS:
        raise Http404("只有视频会议和网上培训有直播")
    context = {
        "room": room,
        "invited": room.participants.filter(user=request.user).exists(),
        "agenda": list(room.agenda.all()),
    }
    return render(request, "rooms/broadcast.html", context)


@login_required
@require_http_methods(["GET"])
def live_file(request: StaffRequest, number: str, name: str) -> FileResponse:
    """The live broadcast's playlist and segments, for whoever sees the room."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    path = or_404(broadcast.live_file, room=room, name=name)
    is_playlist = name == broadcast.PLAYLIST
    response = FileResponse(
        path.open("rb"),
        content_type="application/vnd.apple.mpegurl" if is_playlist else "video/mp2t",
    )
    # The playlist changes every second; a segment never does (and is gone in seconds).
    response["Cache-Control"] = "no-store" if is_playlist else "private, max-age=60"
    return response


@login_required
@require_http_methods(["GET"])
def room_watch_page(request: StaffRequest, number: str) -> HttpResponse:
    """静默督导: the room's publishers, watched unseen (room.js in watch mode asks the API)."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    if not watches.may_watch(request.user, room):
        raise PermissionDenied("您没有督导该会议室的权限，或您是参会人（请直接进入会议室）")
    return render(request, "rooms/watch.html", {"room": room, "gateway_up": gateway_up()})


def _meeting_context(request: StaffRequest, room: Room, error: str = "") -> dict[str, object]:
    staff = room.participants.filter(user=request.user).exclude(kind=ParticipantKind.OUTSIDER)
    return {
        "room": room,
        "agenda": list(room.agenda.all()),
        "may_add_agenda": room.host_id == request.user.pk and room.state != RoomState.ENDED,
        "may_minute": staff.exists(),
        "agenda_error": error,
        "documents": list(room.documents.select_related("uploaded_by")),
        "may_give": staff.exists() or room.host_id == request.user.pk,
    }


@login_required
@require_POST
def document_add(request: StaffRequest, number: str) -> HttpResponse:
    """会议材料 uploaded from the room page; a refusal comes back as a message there."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput("请选择文件", field="file")
        document = meetings.document_add(actor=request.user, room=room, upload=upload)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已上传会议材料：{document.name}")
    return redirect("rooms:room", number=number)


@login_required
@require_http_methods(["GET"])
def document_download(request: StaffRequest, number: str, pk: int) -> FileResponse:
    """A meeting's document, for whoever sees the room (404 otherwise); audited."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    document = or_404(meetings.document_get, user=request.user, room=room, pk=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )


@login_required
@require_POST
def agenda_add(request: StaffRequest, number: str) -> HttpResponse:
    """An agenda item from the meeting's page (HTMX): the agenda again, with it."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    title, presenter = request.POST.get("title", ""), request.POST.get("presenter", "")
    error = refusal(
        lambda: meetings.agenda_add(actor=request.user, room=room, title=title, presenter=presenter)
    )
    # A refused item keeps what was typed, beside the refusal.
    typed = {"agenda_title": title, "agenda_presenter": presenter} if error else {}
    return render(
        request, "rooms/_agenda.html", {**_meeting_context(request, room, error), **typed}
    )


@login_required
@require_POST
def agenda_minutes(request: StaffRequest, number: str, pk: int) -> HttpResponse:
    """An item's minutes from the meeting's page (HTMX): the agenda again."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    minutes = request.POST.get("minutes", "")
    error = refusal(
        lambda: meetings.agenda_minutes(actor=request.user, room=room, item_id=pk, minutes=minutes)
    )
    # Refused minutes stay typed in their item's box, beside the refusal.
    typed = {"typed_item": pk, "typed_minutes": minutes} if error else {}
    return render(
        request, "rooms/_agenda.html", {**_meeting_context(request, room, error), **typed}
    )


@login_required
@require_http_methods(["GET"])
def attendance_xlsx(request: StaffRequest, number: str) -> FileResponse:
    """出席情况表: the attendance per organization as XLSX, for whoever sees the room."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    out = meetings.units_xlsx(user=request.user, room=room)
    return FileResponse(
        out, as_attachment=True, filename=meetings.xlsx_filename(room), content_type=XLSX
    )


@require_http_methods(["GET", "POST"])
def outsider_page(request: HttpRequest, link: str) -> HttpResponse:
    """当事人页面: the code form, then the room. The page that entered the code keeps its seat
    in the session, so a reload rejoins without the (used) code."""
    seats = request.session.get(SEATS, {})
    digest = attendance.digest(link)
    error, status, ticket = "", 200, None
    try:
        if request.method == "POST":
            ticket = services.outsider_join(link=link, code=request.POST.get("code", ""))
            request.session[SEATS] = {**seats, digest: ticket.feed}
        elif digest in seats:
            ticket = services.outsider_rejoin(participant_id=seats[digest])
        else:
            services.outsider_check_link(link=link)
    except NotFound:
        return render(request, "rooms/outsider_gone.html", status=404)
    except DomainError as exc:
        error, status = exc.message, exc.status
    if ticket is None:
        locked = error and "锁定" in error
        return render(
            request, "rooms/outsider_code.html", {"error": error, "locked": locked}, status=status
        )
    participant = Participant.objects.select_related("room").get(pk=ticket.feed)
    context = _room_context(
        participant.room,
        ticket=_ticket_json(ticket),
        **_agreement_context(participant, link),
    )
    return render(request, "rooms/outsider_room.html", context)


def _seated(request: HttpRequest, link: str) -> Participant:
    """The outside party whose page entered this link's code (the session keeps the seat)."""
    seats = request.session.get(SEATS, {})
    pk = seats.get(attendance.digest(link))
    participant = (
        Participant.objects.select_related("room")
        .filter(pk=pk, kind=ParticipantKind.OUTSIDER)
        .first()
        if pk
        else None
    )
    if participant is None:
        raise Http404("链接无效")
    return participant


def _agreement_context(participant: Participant, link: str, **extra: object) -> dict[str, object]:
    """The party's 确认调解协议 box: the agreement as drafted, or that it is not yet."""
    room = participant.room
    mediation = room.purpose == Purpose.MEDIATION
    text = video_mediation.party_agreement(participant) if mediation else None
    agreed = text is not None and participant.agreed_sha256 == text.sha256
    room_open = room.state == RoomState.OPEN
    return {
        "me": participant,
        "agreement": text,
        "agreement_url": reverse("rooms:outsider_agreement", args=[link]),
        "agreed": agreed,
        "mediation": mediation,
        "room_open": room_open,
        # The form, while there is a text to confirm and the party may still confirm it.
        "show_form": text is not None
        and not agreed
        and room_open
        and participant.locked_at is None
        and participant.kicked_at is None,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def outsider_agreement(request: HttpRequest, link: str) -> HttpResponse:
    """确认调解协议 on the party's page (HTMX): the agreement (polled until drafted), then the
    name and code form; a refusal comes back in the box with its 4xx, the name kept."""
    participant = _seated(request, link)
    if participant.room.purpose != Purpose.MEDIATION:
        raise Http404("只有视频调解有调解协议")
    error, field, status, typed = "", "", 200, ""
    if request.method == "POST":
        typed = request.POST.get("name", "")
        try:
            participant = video_mediation.agreement_confirm(
                participant=participant,
                name=typed,
                code=request.POST.get("code", ""),
                sha256=request.POST.get("sha256", ""),
            )
        except DomainError as exc:
            error, field, status = exc.message, exc.field or "", exc.status
            participant.refresh_from_db()  # a wrong code counted, the link perhaps locked
    context = _agreement_context(
        participant, link, error=error, error_field=field, typed_name=typed
    )
    return render(request, "rooms/_agreement_confirm.html", context, status=status)


def _ticket_json(ticket: services.Ticket) -> dict[str, object]:
    data = asdict(ticket)
    data["expires_at"] = ticket.expires_at.isoformat()
    return data


@login_required
@require_POST
def schedule_mediation(request: StaffRequest, number: str) -> HttpResponse:
    """预约视频调解 from a dispute: its parties (by link and code) and its mediators invited."""
    dispute = or_404(mediation_selectors.dispute_get, user=request.user, number=number)
    staff = [m.user.username for m in dispute.mediators.select_related("user")]
    if dispute.lead_mediator_id:
        staff.append(dispute.lead_mediator.user.username)  # type: ignore[union-attr]
    outsiders = [
        services.Invitee(name=p.name, note=p.get_side_display()) for p in dispute.parties.all()
    ]
    starts_at = _when(request.POST.get("starts_at", "")) or timezone.now()
    try:
        done = services.room_schedule(
            actor=request.user,
            purpose=Purpose.MEDIATION,
            subject=dispute.number,
            starts_at=starts_at,
            invitees=[services.Invitee(username=u) for u in staff] + outsiders,
        )
    except DomainError as exc:
        return render(request, "rooms/refused.html", {"error": exc.message}, status=exc.status)
    return _invitations_page(request, done)


def _invitations_page(request: StaffRequest, done: services.Scheduled) -> HttpResponse:
    """The outside parties' links, QR codes and codes, shown this once."""
    invitations = [
        {
            "display": i.participant.display,
            "note": i.participant.note,
            "url": request.build_absolute_uri(outsider_url(i.link)),
            "code": i.code,
        }
        for i in done.invitations
    ]
    for invitation in invitations:
        invitation["qr"] = qr_svg(invitation["url"], title=f"{invitation['display']} 的入会链接")
    context = {"room": done.room, "invitations": invitations, "room_url": join_url(done.room)}
    return render(request, "rooms/invitations.html", context)


@login_required
@require_POST
def schedule_reception(request: StaffRequest, pk: int) -> HttpResponse:
    """预约视频接访 from an appointment on its day's page: the day's leader hosts, the
    petitioner comes in by link and code (or, booked by a township or village, sits with that
    center's staff, invited by account)."""
    try:
        appointment = subjects.appointment_of(request.user, str(pk))
        done = services.room_schedule(
            actor=request.user,
            purpose=Purpose.RECEPTION,
            subject=str(appointment.pk),
            starts_at=None,
            invitees=reception.invitees_for(appointment),
        )
    except NotFound:
        raise Http404("该预约不存在") from None
    except DomainError as exc:
        return render(request, "rooms/refused.html", {"error": exc.message}, status=exc.status)
    if not done.invitations:  # the booking center's staff, invited by account
        return redirect("rooms:room", number=done.room.number)
    return _invitations_page(request, done)


def _when(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@login_required
@require_POST
def record_session(request: StaffRequest, number: str) -> HttpResponse:
    """The host's 笔录 of a video mediation: the dispute's session record (mode video, the
    room's number), then the room ends for everyone."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    try:
        dispute = mediation_selectors.dispute_get(user=request.user, number=room.subject)
        held_at = room.opened_at or room.starts_at
        dispute_session(
            actor=request.user,
            dispute=dispute,
            session=SessionInput(
                record=request.POST.get("record", ""),
                mode=SessionMode.VIDEO,
                held_at=held_at,
                video_room=room.number,
            ),
        )
        if room.state != "ended":
            services.room_end(actor=request.user, room=room)
    except DomainError as exc:
        return render(request, "rooms/refused.html", {"error": exc.message}, status=exc.status)
    return redirect(f"/mediation/disputes/{dispute.number}/")


@login_required
@require_POST
def record_reception(request: StaffRequest, number: str) -> HttpResponse:
    """The leader's record of a video reception (zhili/rooms/reception.py): the appointment's
    reception record with the petition it concerns (one of the petitioner's, or a new one),
    then the room ends for everyone."""
    room = or_404(selectors.room_get, user=request.user, number=number)
    try:
        done = reception.reception_from_room(actor=request.user, room=room, data=request.POST)
    except DomainError as exc:
        return render(request, "rooms/refused.html", {"error": exc.message}, status=exc.status)
    return redirect(f"/receptions/day/{done.rota_day_id}/")


@login_required
@require_POST
def call_next(request: StaffRequest, pk: int) -> HttpResponse:
    """叫下一位 from the day's queue: the next petitioner's room, which the leader enters
    (with the petitioner's link and code first, when one was invited by link)."""
    day = or_404(reception_selectors.rota_get, user=request.user, pk=pk)
    try:
        called = reception.call_next(actor=request.user, rota_day=day)
    except DomainError as exc:
        return render(request, "rooms/refused.html", {"error": exc.message}, status=exc.status)
    if called.invitations:
        return _invitations_page(request, services.Scheduled(called.room, called.invitations))
    return redirect("rooms:room", number=called.room.number)
