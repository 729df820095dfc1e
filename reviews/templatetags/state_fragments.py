"""`{% statecache "name" facet … %}…{% endstatecache %}`: a part of the review page kept per
spec state (reviews.page_cache).

Unlike Django's `{% cache %}`, it caches only where the view named the state the page shows
(`state_key` in the context: a page view, or a panel refreshed by live updates): a panel
built after an action, with its result message, is always rendered afresh. The facets are
what, besides the state, the part varies with for the person reading it (what they may do,
whether they read the latest version, their own sign-off slots); a part is never kept for
one reader only unless a facet says so.
"""

from __future__ import annotations

from django import template
from django.core.cache.utils import make_template_fragment_key

from reviews.page_cache import STATE_TTL, fragments

register = template.Library()


class StateCacheNode(template.Node):
    def __init__(self, nodelist, name: str, facets: list[template.base.FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.facets = facets

    def render(self, context) -> str:
        state = context.get("state_key")
        if not state:
            return self.nodelist.render(context)
        key = make_template_fragment_key(
            f"state-{self.name}", [state, *(facet.resolve(context) for facet in self.facets)]
        )
        return fragments().get_or_set(key, lambda: self.nodelist.render(context), STATE_TTL)


@register.tag("statecache")
def statecache(parser, token) -> StateCacheNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("statecache needs a fragment name")
    name = bits[1].strip("\"'")
    nodelist = parser.parse(("endstatecache",))
    parser.delete_first_token()
    return StateCacheNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
