from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = _("Circles")

    def ready(self) -> None:
        from accounts import roles
        from circles.permissions import coordinated_circles

        roles.register(
            "coordinator", _("circle coordinator"), lambda user: coordinated_circles(user).exists()
        )
