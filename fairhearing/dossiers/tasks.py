"""The dossier import runs in the background (`fairhearing db_worker`)."""

from django_tasks import task


@task()
def dossier_import_task(dossier_id: int) -> dict[str, int]:
    from .models import Dossier
    from .services import dossier_import

    dossier = dossier_import(dossier=Dossier.objects.get(pk=dossier_id))
    return {"dossier": dossier.pk, "rows": dossier.processed_rows}
