"""Parts of the site's layout rendered once per process and reused.

``{% shared_fragment "footer" %}…{% end_shared_fragment %}`` renders its content the first time
and then gives the same markup for every later page with the same key: the fragment's name, the
page's language, the URL prefix and URL configuration, a version, and any values written after
the name (``{% shared_fragment "navigation" navigation_key %}``). Only markup that is the same
for everyone who gets that key may go inside: nothing from the person, the session, the CSRF
token or the path beyond what the key says. The markup is kept with
``learning.cache.local_memo``, so a test that changes a setting starts afresh.
"""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

from learning.cache import local_memo

register = template.Library()

# Change when the markup inside any shared fragment changes in a way the templates do not show
# (the templates themselves are read once per process, as the cached loader reads them).
FRAGMENT_VERSION = 1


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        key = (
            FRAGMENT_VERSION,
            self.name.resolve(context),
            translation.get_language(),
            get_script_prefix(),
            get_urlconf(),
            tuple(value.resolve(context) for value in self.vary_on),
        )
        return local_memo("shared_fragment", key, lambda: self.nodelist.render(context))


@register.tag("shared_fragment")
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs a name.")
    nodelist = parser.parse(("end_shared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
