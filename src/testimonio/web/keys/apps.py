from django.apps import AppConfig


class KeysConfig(AppConfig):
    """Its one model, :class:`~testimonio.web.keys.models.DataKey`, keeps the ``cases`` app
    label (its table and migrations stay where they were, see docs/architecture.md)."""

    name = "testimonio.web.keys"
    label = "keys"
    verbose_name = "Keys"
