"""Staff sign-in, sign-out and the landing page after sign-in (the console grows from here).

Sign-in is Django's LoginView behind django-axes' lock-out (AUTHENTICATION_BACKENDS): a username that
fails AXES_FAILURE_LIMIT times from one address is refused for AXES_COOLOFF_TIME with `locked_out`'s
page, while colleagues on the same office address can still sign in. Where STAFF_OIDC_* is configured,
the page also offers the organisation's identity provider (oidc.py).
"""

import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from contactcentre.api import roles
from contactcentre.api.backends import user_group_names

# The roles as staff read them, translatable (contactcentre.api.roles keeps the same Dutch labels as plain
# text for the demo's print-out).
ROLE_NAMES = {
    roles.AGENT: _("Klantcontactmedewerker"),
    roles.COUNTER_CLERK: _("Baliemedewerker"),
    roles.SUPERVISOR: _("Teamleider"),
    roles.FUNCTIONAL_ADMIN: _("Functioneel beheerder"),
    roles.POST_ROOM: _("Postkamermedewerker"),
    roles.CASE_WORKER: _("Behandelaar"),
}


class StaffLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, organisation_sign_in=settings.STAFF_OIDC_ENABLED)


class StaffLogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView answers a GET with 405), then back to the sign-in page."""


@login_required  # first: an anonymous caller is sent to sign in, whatever the method
@require_GET
def staff_home(request):
    names = user_group_names(request.user)
    role_labels = [label for role, label in ROLE_NAMES.items() if role in names]
    return render(
        request,
        "staff/home.html",
        {"role_labels": role_labels, "may_use_admin": request.user.is_staff},
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): a page that says so, 429."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
