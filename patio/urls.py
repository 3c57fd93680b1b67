from typing import Any

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import URLPattern, include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView

from accounts import api as accounts_api
from assemblies import api as assemblies_api
from assemblies import sitemaps as assemblies_sitemaps
from casestudies import api as casestudies_api
from casestudies import sitemaps as casestudies_sitemaps
from casestudies import views as casestudies_views
from catalogue import api as catalogue_api
from catalogue import sitemaps as catalogue_sitemaps
from circles import api as circles_api
from circles import sitemaps as circles_sitemaps
from discussions import api as discussions_api
from feedback import api as feedback_api
from fund import api as fund_api
from hub import api as hub_api
from hub import sitemaps as hub_sitemaps
from intake import api as intake_api
from members import api as members_api
from members import sitemaps as members_sitemaps
from members import views as member_views
from offers import api as offers_api
from opendata import sitemaps as opendata_sitemaps
from patio import sitemaps, views
from policies import api as policies_api
from policies import sitemaps as policies_sitemaps
from polls import api as polls_api
from projects import api as projects_api
from projects import sitemaps as projects_sitemaps
from sync import api as sync_api
from webhooks import api as webhooks_api

api_v1 = [
    *members_api.urlpatterns,
    *accounts_api.urlpatterns,
    *circles_api.urlpatterns,
    *projects_api.urlpatterns,
    *intake_api.urlpatterns,
    *catalogue_api.urlpatterns,
    *casestudies_api.urlpatterns,
    *assemblies_api.urlpatterns,
    *policies_api.urlpatterns,
    *fund_api.urlpatterns,
    *hub_api.urlpatterns,
    *sync_api.urlpatterns,
    *webhooks_api.urlpatterns,
    *offers_api.urlpatterns,
    *polls_api.urlpatterns,
    *discussions_api.urlpatterns,
    *feedback_api.urlpatterns,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]


def _collections(patterns: list[Any]) -> dict[str, str]:
    """Every list route of the API, read from the routes themselves (`organisations/` to
    `organisation-list`), so the API root cannot fall behind a resource added later."""
    found: dict[str, str] = {}
    for pattern in patterns:
        name, route = getattr(pattern, "name", None) or "", str(pattern.pattern)
        if isinstance(pattern, URLPattern) and name.endswith("-list") and route.endswith("/$"):
            found[route.removeprefix("^").removesuffix("/$")] = name
    return found


# One root for the whole API. The apps' routers are SimpleRouters: a DefaultRouter's own root
# would list its app's resources only, and `.json` suffixes would be a second spelling of a path.
api_v1.insert(
    0,
    path(
        "",
        APIRootView.as_view(
            api_root_dict=_collections(api_v1) | {"schema": "schema", "docs": "docs"}
        ),
        name="api-root",
    ),
)

# /sitemap.xml: every public object of every app, each app offering its own sections.
SITEMAPS = {
    **members_sitemaps.SITEMAPS,
    **circles_sitemaps.SITEMAPS,
    **projects_sitemaps.SITEMAPS,
    **assemblies_sitemaps.SITEMAPS,
    **policies_sitemaps.SITEMAPS,
    **opendata_sitemaps.SITEMAPS,
    **hub_sitemaps.SITEMAPS,
    **catalogue_sitemaps.SITEMAPS,
    **casestudies_sitemaps.SITEMAPS,
}

# The admin signs in through allauth, so two-factor authentication and the login throttle apply.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", member_views.home, name="home"),
    path("", include("members.urls")),
    path("", include("notifications.urls")),
    path("circles/", include("circles.urls")),
    path("", include("projects.urls")),
    path("request-help/", include("intake.urls")),
    path("catalogue/", include("catalogue.urls")),
    path("case-studies/", include("casestudies.urls")),
    path("hire/", casestudies_views.hire, name="hire"),
    path("assemblies/", include("assemblies.urls")),
    path("policies/", include("policies.urls")),
    path("discussions/", include("discussions.urls")),
    path("mediation/", include("mediation.urls")),
    path("fund/", include("fund.urls")),
    path("hub/", include("hub.urls")),
    # API tokens: before allauth's routes, which own the rest of /accounts/.
    path("accounts/tokens/", include("accounts.urls")),
    path("me/privacy/", include("privacy.urls")),
    path("murmurations/", include("murmurations.urls")),
    path("open-data/", include("opendata.urls")),
    path("offers/", include("offers.urls")),
    path("polls/", include("polls.urls")),
    path("feedback/", include("feedback.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", member_views.set_language, name="set_language"),
    path("i18n/catalog.js", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    # Browsers and crawlers ask for /favicon.ico whatever the page links: send them to the icon.
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name=sitemaps.SECTION_URL_NAME,
    ),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics_view, name="metrics"),
    path("styleguide/", views.styleguide, name="styleguide"),
    path("styleguide/samples.css", views.styleguide_samples, name="styleguide_samples"),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "patio.views.error_400"
handler403 = "patio.views.error_403"
handler404 = "patio.views.error_404"
handler500 = "patio.views.error_500"
