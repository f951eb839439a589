from django.urls import include, path

from fairhearing.caselist.views import case_list_view
from fairhearing.notifications import views as letter_views
from fairhearing.people import views as people_views

from . import views

app_name = "cases"
urlpatterns = [
    path("", case_list_view, name="list"),
    path("<str:reference>/", views.case_detail_view, name="detail"),
    path("<str:reference>/act/<slug:transition>/", views.case_transition_view, name="transition"),
    path("<str:reference>/hearing/", views.case_hearing_view, name="hearing"),
    path(
        "<str:reference>/time-limit-exception/",
        views.conduct_exception_view,
        name="conduct_exception",
    ),
    path("<str:reference>/team/", views.case_assign_view, name="assign"),
    path("<str:reference>/witnesses/", views.case_witness_view, name="witness"),
    path("<str:reference>/parties/<int:pk>/protect/", views.party_protect_view, name="protect"),
    path(
        "<str:reference>/people/<int:person_id>/affiliations/",
        people_views.affiliations_view,
        name="affiliations",
    ),
    path(
        "<str:reference>/people/<int:person_id>/contact/",
        people_views.contact_view,
        name="contact",
    ),
    path("<str:reference>/letters/<int:pk>/", letter_views.letter_view, name="letter"),
    path(
        "<str:reference>/letters/<int:pk>/letter.pdf",
        letter_views.letter_pdf_view,
        name="letter_pdf",
    ),
    path(
        "<str:reference>/affiliations/<int:pk>/end/",
        people_views.affiliation_end_view,
        name="affiliation_end",
    ),
    path(
        "<str:reference>/allegations/<int:pk>/rules/",
        views.allegation_rules_view,
        name="allegation_rules",
    ),
    path(
        "<str:reference>/deadlines/", include("fairhearing.deadlines.urls", namespace="deadlines")
    ),
]
