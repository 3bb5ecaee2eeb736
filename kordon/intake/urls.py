from django.urls import path

from kordon.intake import views

app_name = "intake"
urlpatterns = [
    path("hq/intake/", views.stuck, name="stuck"),
    path("hq/intake/<int:pk>/take/", views.take_over, name="take_over"),
    path("hq/intake/<int:pk>/answer/", views.answer, name="answer"),
    path("intake/form/<str:token>/", views.prefilled_form, name="prefilled_form"),
]
