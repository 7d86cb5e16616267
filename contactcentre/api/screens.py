"""The staff screens' door: one decorator every staff page view wears (console, counter desk,
worklist, board). Anonymous -> the sign-in page; signed in without the permissions -> 403 page;
else the view runs with `request.principal`, the staff member as the one typed Principal the
services and selectors take (DESIGN.md rule 12). The domain's NotFound and AccessDenied become the
404 and 403 pages, RateLimited and ServiceUnavailable a page that says so (429/503, Retry-After); the
view maps its own validation errors to its form."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect

from contactcentre.api.backends import user_group_names
from contactcentre.errors import AccessDenied, NotFound, RateLimited, ServiceUnavailable
from contactcentre.principal import Principal


def staff_principal(user) -> Principal:
    return Principal.staff(user, roles=user_group_names(user))


def staff_screen(*perms: str):
    """`@staff_screen("interactions.view_contactmoment", ...)`: all of `perms` are needed."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                if request.htmx:  # a panel's refresh after the session ended: the whole page goes to sign in
                    back = request.htmx.current_url_abs_path or "/"
                    return HttpResponseClientRedirect(redirect_to_login(back)["Location"])
                return redirect_to_login(request.get_full_path())
            principal = staff_principal(request.user)
            if not principal.has_perms(perms):
                raise PermissionDenied
            request.principal = principal
            try:
                return view(request, *args, **kwargs)
            except NotFound as error:  # another's or no such object: the same plain 404 page
                raise Http404(str(error)) from error
            except AccessDenied as error:  # e.g. no purpose for this person: the 403 page
                raise PermissionDenied(str(error)) from error
            except (RateLimited, ServiceUnavailable) as error:  # refused for now (Redis down, too many tries)
                response = render(request, "staff/refused.html", {"message": str(error)}, status=error.status)
                if isinstance(error, ServiceUnavailable):
                    response["Retry-After"] = str(error.retry_after)
                return response

        return guarded

    return decorate
