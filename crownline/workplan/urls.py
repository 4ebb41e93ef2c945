from django.urls import path

from crownline.workplan import views

app_name = "workplan"

urlpatterns = [
    path("tasks/mine/", views.my_tasks, name="mine"),
    path("orders/<str:number>/work-plan/auto/", views.plan_automatically, name="auto"),
    path("orders/<str:number>/tasks/add/", views.add_task, name="add"),
    path("orders/<str:number>/tasks/<int:task_id>/edit/", views.edit_task, name="edit"),
    path("orders/<str:number>/tasks/<int:task_id>/done/", views.mark_task, name="done"),
]
