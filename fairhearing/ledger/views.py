"""Public, personal-data-free views of the ledger: signed heads and proofs (R-53)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop

from . import heads
from .models import Event, TreeHead


def heads_view(request: HttpRequest) -> HttpResponse:
    """The public key and the latest signed heads: JSON for programs; for a person following
    the link from a proof page or the statistics, a page listing them, with the JSON linked."""
    latest = TreeHead.objects.order_by("-tree_size")[:100]
    if wants_page(request):
        context = {
            "public_key": heads.public_key_hex(),
            "heads": latest[:20],
            "json_url": f"{request.path}?format=json",
        }
        return render(request, "ledger/heads.html", context)
    return JsonResponse(
        {
            "public_key": heads.public_key_hex(),
            "heads": [heads.head_as_dict(h) for h in latest],
        }
    )


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.GET[name])
    except (KeyError, ValueError) as exc:
        raise Http404(gettext("Give %(name)s as a number.") % {"name": name}) from exc


# Shown on the not-found page in the reader's language (core.errors.not_found).
NOT_YET_SIGNED = gettext_noop(
    "That event is not in a signed tree head yet; try again after the next one."
)


def wants_page(request: HttpRequest) -> bool:
    """A person's browser (it asks for HTML by name), not a program (JSON, or anything)."""
    if request.GET.get("format") == "json":
        return False
    return "text/html" in request.headers.get("Accept", "")


def inclusion_view(request: HttpRequest) -> HttpResponse:
    """The proof that an event is in the signed record: JSON for programs; for a person
    following the link in their acknowledgement, a page saying what it shows (checked here
    against the public key) or, before the next signed head, when it will be there and why."""
    seq = _int(request, "seq")
    size = request.GET.get("size")
    head = (
        TreeHead.objects.filter(tree_size=int(size)).first()
        if size and size.isascii() and size.isdigit()
        else heads.latest_head()
    )
    included = head is not None and 0 < seq <= head.tree_size
    if not wants_page(request):
        if not included:
            raise Http404(NOT_YET_SIGNED)
        assert head is not None
        return JsonResponse(heads.inclusion_proof(seq, head))
    event = Event.objects.filter(seq=seq).first()
    if event is None:
        raise Http404(gettext_noop("There is no entry with that number in the record."))
    context: dict[str, Any] = {"seq": seq, "leaf": event.hash, "recorded_at": event.at}
    if included:
        assert head is not None
        proof = heads.inclusion_proof(seq, head)
        context |= {
            "head": head,
            "steps": len(proof["path"]),
            "checked": not heads.check_proof(proof, heads.public_key_hex()),
            "json_url": f"{request.path}?seq={seq}&size={head.tree_size}&format=json",
        }
    else:
        last = heads.latest_head()
        context["next_head_by"] = (last.signed_at if last else event.at) + heads.SIGN_HEAD_EVERY
    return render(request, "ledger/inclusion.html", context)


def consistency_view(request: HttpRequest) -> JsonResponse:
    old = TreeHead.objects.filter(tree_size=_int(request, "from")).first()
    new = TreeHead.objects.filter(tree_size=_int(request, "to")).first()
    if old is None or new is None or old.tree_size > new.tree_size:
        raise Http404(gettext_noop("Give the sizes of two signed tree heads, older first."))
    return JsonResponse(heads.consistency_proof(old, new))
