from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("heads", views.heads_view, name="heads"),
    path("proofs/inclusion", views.inclusion_view, name="inclusion"),
    path("proofs/consistency", views.consistency_view, name="consistency"),
]
