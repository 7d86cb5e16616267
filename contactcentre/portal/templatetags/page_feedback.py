"""`{% page_feedback %}`: the "did this help?" section at the foot of every portal page."""

from django import template

from contactcentre.portal.page_feedback import THANKS_PARAMETER, page_feedback_context

register = template.Library()


@register.inclusion_tag("partials/feedback.html", takes_context=True)
def page_feedback(context):
    request = context["request"]
    thanks = request.GET.get(THANKS_PARAMETER) == "1"
    return {
        **page_feedback_context(target=request.get_full_path(), thanks=thanks),
        "csrf_token": context.get("csrf_token"),
    }
