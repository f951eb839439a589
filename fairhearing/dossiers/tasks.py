"""The dossier import runs in the background (`fairhearing db_worker`)."""

from django_tasks import task

from .importing import dossier_import
from .models import Dossier


@task()
def dossier_import_task(dossier_id: int) -> dict[str, int]:
    dossier = dossier_import(dossier=Dossier.objects.get(pk=dossier_id))
    return {"dossier": dossier.pk, "rows": dossier.processed_rows}
