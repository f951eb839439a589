from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "fairhearing.ledger"
    label = "ledger"
