from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Views, templates, the purge command and the import's writes.

    Its one model, :class:`~testimonio.web.imports.models.ImportDraft`, keeps the ``cases``
    app label (its table and migrations stay where they were, see docs/architecture.md).
    """

    name = "testimonio.web.imports"
    label = "imports"
    verbose_name = "Imports"
