"""Staff pages for a case's evidence: list, add a file, add a post capture, download an item,
the hearing bundle; capture from a link (ask, follow, retry), an item's page (what a capture
kept, capture again, the comparison, its redacted copies and its chain of custody) and a
capture's HTML and WARC; redacting an item for disclosure (marking its pages, the copy)."""

from typing import Any, Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from fairhearing.cases.access import case_for, user_may_act

from . import capture_queue, derivative, services
from .forms import CaptureForm, FileEvidenceForm, PostEvidenceForm, RedactForm, upload_of
from .queries import (
    capture_comparison,
    capture_request_of,
    captures_pending,
    custody_of,
    custody_rows,
    disclosure_check,
    evidence_item,
    evidence_of,
    redaction_of,
    web_capture_of,
)
from .redaction import AUDIENCES, PANEL
from .responses import (
    attachment,
    capture_attachment,
    file_attachment,
    inline_image,
    pdf_attachment,
)
from .storage import blob_read


@login_required
def evidence_list_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="view", request=request)
    may_add = user_may_act(request.user, case) and not case.is_closed
    items = list(evidence_of(case))
    return render(
        request,
        "evidence/evidence_list.html",
        {
            "case": case,
            "items": items,
            "captures": captures_pending(case),
            "may_add": may_add,
            "check": disclosure_check(case, items),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_file_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = FileEvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.evidence_add_file(
                actor=request.user,
                case=case,
                upload=upload_of(form.cleaned_data["file"]),  # type: ignore[arg-type]
                description=form.cleaned_data["description"],
            )
        except services.EvidenceRefused as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(request, f"Item {item.number} added. SHA-256 {item.sha256}.")
            return redirect("evidence:list", reference=case.reference)
    return render(
        request,
        "evidence/evidence_file.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_post_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = PostEvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            item = services.evidence_add_post(
                actor=request.user,
                case=case,
                url=data["url"],
                author_handle=data["author_handle"],
                posted_at=data["posted_at"],
                captured_text=data["captured_text"],
                screenshot=upload_of(data["screenshot"]),
                description=data["description"],
            )
        except services.EvidenceRefused as refused:
            field = "screenshot" if data.get("screenshot") else "url"
            form.add_error(field, str(refused))
        else:
            messages.success(request, f"Item {item.number} added. SHA-256 {item.sha256}.")
            return redirect("evidence:list", reference=case.reference)
    return render(
        request,
        "evidence/evidence_post.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def evidence_download_view(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    case = case_for(request.user, reference, action="view", request=request)
    item = evidence_item(case, number)
    if item.blob is None:
        raise Http404("This capture has no file.")
    data = services.evidence_open(actor=request.user, item=item)
    return attachment(data, content_type=item.blob.content_type, case=case, number=item.number)


@login_required
def evidence_bundle_view(request: HttpRequest, reference: str, audience: str) -> HttpResponse:
    if audience not in AUDIENCES:
        raise Http404("No such bundle.")
    # Reading the panel's bundle is reading the case; the respondent's is a disclosure, which
    # only the case team makes.
    action: Literal["view", "act"] = "view" if audience == PANEL else "act"
    case = case_for(request.user, reference, action=action, request=request)
    bundle = services.bundle_make(actor=request.user, case=case, audience=audience)
    return pdf_attachment(bundle.pdf, f"bundle-{case.reference}-{audience}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def evidence_capture_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = CaptureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            asked = capture_queue.capture_request(
                actor=request.user,
                case=case,
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
            )
        except services.EvidenceRefused as refused:
            form.add_error("url", str(refused))
        else:
            return redirect(
                "evidence:capture_status", reference=case.reference, request_id=asked.pk
            )
    return render(
        request,
        "evidence/evidence_capture.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def evidence_capture_status_view(
    request: HttpRequest, reference: str, request_id: int
) -> HttpResponse:
    case = case_for(request.user, reference, action="view", request=request)
    asked = capture_request_of(case, request_id)
    may_act = user_may_act(request.user, case) and not case.is_closed
    return render(
        request,
        "evidence/evidence_capture_status.html",
        {"case": case, "asked": asked, "may_act": may_act},
    )


@login_required
@require_http_methods(["POST"])
def evidence_capture_retry_view(
    request: HttpRequest, reference: str, request_id: int
) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    asked = capture_request_of(case, request_id)
    try:
        capture_queue.capture_retry(actor=request.user, request=asked)
    except services.EvidenceRefused as refused:
        messages.error(request, str(refused))
    return redirect("evidence:capture_status", reference=case.reference, request_id=asked.pk)


@login_required
def evidence_item_view(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    case = case_for(request.user, reference, action="view", request=request)
    item = evidence_item(case, number)
    may_act = user_may_act(request.user, case) and not case.is_closed
    return render(
        request,
        "evidence/evidence_item.html",
        {
            "case": case,
            "item": item,
            "capture": web_capture_of(item),
            "comparison": capture_comparison(item),
            "recaptures": evidence_of(case).filter(web_capture__recapture_of=item),
            "may_act": may_act,
            "redactions": item.redactions.select_related("blob", "decided_by"),
            "custody": custody_rows(custody_of(item)),
        },
    )


@login_required
@require_http_methods(["POST"])
def evidence_recapture_view(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    item = evidence_item(case, number)
    try:
        asked = capture_queue.evidence_recapture(actor=request.user, item=item)
    except services.EvidenceRefused as refused:
        messages.error(request, str(refused))
        return redirect("evidence:item", reference=case.reference, number=item.number)
    return redirect("evidence:capture_status", reference=case.reference, request_id=asked.pk)


@login_required
def evidence_capture_file_view(
    request: HttpRequest, reference: str, number: int, part: str
) -> HttpResponse:
    case = case_for(request.user, reference, action="view", request=request)
    item = evidence_item(case, number)
    try:
        data, content_type = services.evidence_open_capture_file(
            actor=request.user, item=item, part=part
        )
    except services.EvidenceRefused as refused:
        raise Http404(str(refused)) from refused
    extension = ".html" if part == "html" else ".warc.gz"
    return capture_attachment(
        data,
        content_type=content_type,
        filename=f"evidence-{case.reference}-{item.number}{extension}",
    )


def _markable(item: Any) -> tuple[int, bool]:
    """How many pages of the item can be marked (0: no picture or PDF), and whether it has text
    to withhold words from."""
    content_type = item.blob.content_type if item.blob else ""
    pages = 0
    if item.blob_id and (derivative.is_image(content_type) or derivative.is_pdf(content_type)):
        try:
            pages = derivative.page_count(blob_read(item.blob_id), content_type)
        except derivative.CannotRedact:
            pages = 0
    has_text = bool(item.captured_text or item.description or derivative.is_text(content_type))
    return pages, has_text


@login_required
@require_http_methods(["GET", "POST"])
def evidence_redact_view(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    item = evidence_item(case, number)
    if case.is_closed:
        messages.error(request, services.CLOSED_REDACT)
        return redirect("evidence:item", reference=case.reference, number=item.number)
    pages, has_text = _markable(item)
    form = RedactForm(request.POST or None, pages=pages, has_text=has_text)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            services.evidence_redact(
                actor=request.user,
                item=item,
                areas=data.get("areas") or [],
                phrases=data.get("phrases") or [],
                reasons=data["reasons"],
            )
        except services.EvidenceRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Redacted copy of item {item.number} made: the respondent's bundle and portal "
                "now use it.",
            )
            return redirect("evidence:item", reference=case.reference, number=item.number)
    return render(
        request,
        "evidence/evidence_redact.html",
        {
            "case": case,
            "item": item,
            "form": form,
            "pages": range(1, pages + 1),
            "current": redaction_of(item),
        },
        status=400 if form.errors else 200,
    )


@login_required
def evidence_preview_view(
    request: HttpRequest, reference: str, number: int, page: int
) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    item = evidence_item(case, number)
    try:
        png = services.evidence_preview(actor=request.user, item=item, page=page)
    except services.EvidenceRefused as refused:
        raise Http404(str(refused)) from refused
    return inline_image(png)


@login_required
def evidence_redacted_view(
    request: HttpRequest, reference: str, number: int, redaction_id: int
) -> HttpResponse:
    case = case_for(request.user, reference, action="view", request=request)
    item = evidence_item(case, number)
    redaction = get_object_or_404(item.redactions.select_related("blob"), pk=redaction_id)
    try:
        data = services.evidence_open_redacted(actor=request.user, redaction=redaction)
    except services.EvidenceRefused as refused:
        raise Http404(str(refused)) from refused
    assert redaction.blob is not None
    return file_attachment(
        data,
        content_type=redaction.blob.content_type,
        stem=f"evidence-{case.reference}-{item.number}-redacted",
    )
