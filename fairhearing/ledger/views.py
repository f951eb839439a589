"""Public, personal-data-free views of the ledger: signed heads and proofs (R-53)."""

from django.http import Http404, HttpRequest, JsonResponse

from . import heads
from .models import TreeHead


def heads_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "public_key": heads.public_key_hex(),
            "heads": [heads.head_as_dict(h) for h in TreeHead.objects.order_by("-tree_size")[:100]],
        }
    )


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.GET[name])
    except (KeyError, ValueError) as exc:
        raise Http404(f"Give {name} as a number.") from exc


def inclusion_view(request: HttpRequest) -> JsonResponse:
    seq = _int(request, "seq")
    size = request.GET.get("size")
    head = (
        TreeHead.objects.filter(tree_size=int(size)).first()
        if size and size.isascii() and size.isdigit()
        else heads.latest_head()
    )
    if head is None or not 0 < seq <= head.tree_size:
        raise Http404("That event is not in a signed tree head yet; try again after the next one.")
    return JsonResponse(heads.inclusion_proof(seq, head))


def consistency_view(request: HttpRequest) -> JsonResponse:
    old = TreeHead.objects.filter(tree_size=_int(request, "from")).first()
    new = TreeHead.objects.filter(tree_size=_int(request, "to")).first()
    if old is None or new is None or old.tree_size > new.tree_size:
        raise Http404("Give the sizes of two signed tree heads, older first.")
    return JsonResponse(heads.consistency_proof(old, new))
