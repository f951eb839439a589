from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fairhearing.people"
    label = "people"
