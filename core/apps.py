from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        # Django refuses a multipart part whose headers exceed 1 KB with an English "Bad Request":
        # a browser sends a file name raw, and 350 Chinese characters already pass 1 KB. Allow
        # 16 KB (the request size limit still bounds the whole body); long names are shortened
        # where they are stored.
        from django.http import multipartparser

        multipartparser.MAX_TOTAL_HEADER_SIZE = max(multipartparser.MAX_TOTAL_HEADER_SIZE, 16 * 1024)
