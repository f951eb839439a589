from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.link_request_view, name="start"),
    path("sign-in/<str:token>/", views.sign_in_view, name="sign_in"),
    path("sign-out/", views.sign_out_view, name="sign_out"),
    path("language/<str:code>/", views.language_view, name="language"),
    path("cases/<str:reference>/", views.case_view, name="case"),
    path("cases/<str:reference>/reply/", views.reply_view, name="reply"),
    path("cases/<str:reference>/hearing/", views.hearing_request_view, name="hearing"),
    path("cases/<str:reference>/hearing/move/", views.hearing_move_view, name="hearing_move"),
    path("cases/<str:reference>/messages/", views.message_view, name="message"),
    path("cases/<str:reference>/bundle/", views.bundle_view, name="bundle"),
    path("cases/<str:reference>/capture/", views.capture_view, name="capture"),
    path("cases/<str:reference>/challenge/", views.challenge_view, name="challenge"),
    path(
        "cases/<str:reference>/challenges/<int:pk>/",
        views.challenge_sent_view,
        name="challenge_sent",
    ),
    path(
        "staff/cases/<str:reference>/people/<int:person_id>/link/",
        views.staff_send_link_view,
        name="send_link",
    ),
    path(
        "staff/cases/<str:reference>/people/<int:person_id>/message/",
        views.staff_message_view,
        name="staff_message",
    ),
]
