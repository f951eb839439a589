"""The provider's own sign-in page: a username and password from `people.json`."""

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from .people import person

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Northfield Login</title></head>
<body><main><h1>Northfield Login</h1>{error}
<form method="post">
<label for="username">Username</label> <input id="username" name="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button>
</form></main></body></html>"""


@csrf_exempt  # a test provider on the loopback address; nothing to forge
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        username = request.POST.get("username", "")
        known = person(username)
        if known and known.get("password") == request.POST.get("password"):
            user, _ = get_user_model().objects.get_or_create(username=username)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            next_url = request.GET.get("next", "/")
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
                next_url = "/"
            return HttpResponseRedirect(next_url)
        error = "<p>Wrong username or password.</p>"
    return HttpResponse(PAGE.format(error=error))
