# Django's Chinese formats, but with thousands grouped by three with a comma
# ("不变 1,204"), as the organization department's spreadsheets write them.
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
