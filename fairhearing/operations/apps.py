from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: backups and their restore, and the rotation of the field
    encryption keys. Above the ledger, which both read or write."""

    name = "fairhearing.operations"
    label = "operations"
