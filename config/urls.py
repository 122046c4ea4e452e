from django.contrib import admin
from django.urls import include, path

from assessment.views.home import home
from core import views as core_views

admin.site.site_header = "党建考核 后台管理"
admin.site.site_title = "党建考核"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("units/", include("units.urls")),
    path("campaigns/", include("assessment.urls")),
    path("meetings/", include("meetings.urls")),
    path("", include("ballots.urls")),
    path("liaison/", include("liaison.urls")),
    path("rectification/", include("rectification.urls")),
    path("reports/", include("reports.urls")),
    path("people/", include("people.urls")),
    path("results/", include("results.urls")),
    path("guide/", include("guide.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
