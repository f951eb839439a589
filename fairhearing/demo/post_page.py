"""The demo's fictional post, which its capture from a link opens (demo/web_capture.py): the
page, and its view, mounted only with DEBUG (fairhearing/urls.py). Imports nothing else of the
demo, so the site loads no demo data with it."""

from django.http import HttpRequest, HttpResponse

POST_PATH = "/demo/posts/haldenvoice-1882003141/"
LIKER = "TamRenwick"
POST_TEXT = (
    "Funny how the Eastgate branch only fills up with 'new members' before a selection. "
    "We all know which community is bussed in to vote. Time we took our party back."
)
POST_HTML = f"""<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>@HaldenVoice on Chirrup</title></head>
<body>
<main>
  <p>Chirrup (a fictional social network, served by the Fairhearing demo)</p>
  <article>
    <h1>Corwin Halden <small>@HaldenVoice</small></h1>
    <p>{POST_TEXT}</p>
    <p>9:41 pm, 3 March 2026</p>
    <p>1,204 likes. Liked by @{LIKER} and others.</p>
  </article>
</main>
</body>
</html>
""".encode()


def demo_post_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(POST_HTML, content_type="text/html; charset=utf-8")
