from django.utils.translation import gettext_lazy as _

from core.models import Upload


class PeopleImport(Upload):
    """One upload of a list of people (人员名单) to create accounts from (see core.models.Upload).
    Its summary never holds a password: the one-time passwords of the accounts it created live
    only in the importing administrator's session until downloaded (people.views)."""

    class Meta(Upload.Meta):
        verbose_name = _("人员导入记录")
        verbose_name_plural = _("人员导入记录")
