from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from learning.areas import navigation_for
from learning.notify import unread_count
from learning.permissions import roles_for

# The longest address the language link carries back as it came. A longer one (a search or a
# filter of thousands of characters) comes back as its path alone: quoting it into every page's
# header would make the page as long again, and many browsers and proxies cut such a link.
LANGUAGE_NEXT_MAX = 2_000


def site(request):
    user = getattr(request, "user", None)

    def navigation():
        # Worked out once a page, from the roles and facts cached per person.
        if user is not None and user.is_authenticated:
            return navigation_for(roles_for(user))
        return navigation_for(None)

    def navigation_key() -> tuple:
        # What the header's navigation markup depends on: the links, and which of them (if
        # any) is the page being shown (templates/base.html keeps the markup per key).
        links = tuple(lazy_navigation)
        path = request.path
        return links, next((link.url for link in links if link.url == path), None)

    def session_timeout():
        from learning.session_timeout import timeout_context

        return timeout_context(request)

    def unread() -> int:
        # Read once a page, from the cache (learning.notify.unread_count): no query once counted.
        if not hasattr(request, "_hope_unread"):
            signed_in = user is not None and user.is_authenticated
            if signed_in:
                roles_for(user)  # reads the count with the roles, if they are not read yet
            request._hope_unread = unread_count(user) if signed_in else 0
        return request._hope_unread

    def language_switch() -> dict:
        # The header link to the other language, named in that language (NHS Wales style).
        current = translation.get_language() or settings.LANGUAGE_CODE
        welsh = current.startswith("cy")
        code, name = ("en-gb", "English") if welsh else ("cy", "Cymraeg")
        back = request.get_full_path()
        if len(back) > LANGUAGE_NEXT_MAX:
            back = request.path
        return {
            "code": code,
            "name": name,
            "lang": "en-GB" if welsh else "cy",
            "href": reverse("language_switch", kwargs={"code": code})
            + "?"
            + urlencode({"next": back}),
        }

    current = translation.get_language() or settings.LANGUAGE_CODE
    lazy_navigation = SimpleLazyObject(navigation)
    return {
        # The page's language for <html lang>: "cy" or "en-GB".
        "html_lang": "cy" if current.startswith("cy") else "en-GB",
        "language_switch": SimpleLazyObject(language_switch),
        "product_name": settings.HOPE_PRODUCT_NAME,
        "navigation": lazy_navigation,
        "navigation_key": navigation_key,
        "session_timeout": session_timeout,
        "unread_notifications": unread,
    }
