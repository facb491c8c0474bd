from django.apps import AppConfig


class LinkingConfig(AppConfig):
    """Linkage runs, the review queue and estimate runs.

    The label stays ``analyses`` (the folder was renamed from ``web/analyses``): the tables,
    migrations, content types and URL names keep their names, so an instance upgrades with a
    plain ``migrate`` that has nothing to do.
    """

    name = "testimonio.web.linking"
    label = "analyses"
    verbose_name = "Linkage and estimates"
