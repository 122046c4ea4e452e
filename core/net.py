"""The client's address, as far as we can trust it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address our own reverse proxies recorded in X-Forwarded-For.

    Only the last TRUSTED_PROXY_COUNT entries of X-Forwarded-For were written by
    proxies we run; anything left of them came from the client and may be forged.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")
