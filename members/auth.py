from allauth.account.auth_backends import AuthenticationBackend


class PersonAwareBackend(AuthenticationBackend):
    """Loads the user with their person in one query, for the preferences middleware."""

    def get_user(self, user_id):
        user = (
            self.user_model_manager()
            .select_related("person", "person__organisation")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def user_model_manager():
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager
