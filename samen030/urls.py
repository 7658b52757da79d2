from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from samen030.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots-txt"),
    path("toegankelijkheid/", core_views.accessibility, name="accessibility"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("mijn/", core_views.account_home, name="account-home"),
    path("account/", include("allauth.urls")),
    path("taal/", core_views.switch_language, name="language-switch"),
    path("", include("samen030.places.urls")),
    path("", include("samen030.organisations.urls")),
    path("", include("samen030.memberships.urls")),
    path("", include("samen030.activities.urls")),
    path("", include("samen030.funds.urls")),
    path("api/v1/", include("samen030.api.urls")),
    path("", include("samen030.budgeting.urls")),
    path("", include("samen030.knowledge.urls")),
    path("beheer/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    # Logos are small and few; a deployment with a front web server can serve /media/ itself instead.
    urlpatterns.append(re_path(r"^media/(?P<path>logos/.*)$", serve, {"document_root": settings.MEDIA_ROOT}))
