from django.urls import path

from casemanagement import worklist

urlpatterns = [
    path("behandelaar/", worklist.worklist, name="worklist"),
    path("behandelaar/<str:reference>/", worklist.escalation, name="worklist-escalation"),
    path("behandelaar/<str:reference>/<slug:move>/", worklist.escalation_move, name="worklist-escalation-move"),
    path(
        "behandelaar/<str:reference>/bijlagen/<uuid:key>/", worklist.attachment, name="worklist-escalation-attachment"
    ),
]
