"""Social-media posts: which platform a URL is on, and one key per post however it is linked.

Reporters paste the same post as `https://x.com/a/status/1?s=20`, `twitter.com/a/status/1/`,
`mobile.twitter.com/...`: the key drops scheme, `www.`/`m.`/`mobile.`, tracking parameters,
fragments and trailing slashes, and maps a platform's aliases to one host.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

from .models import Platform

HOST_ALIASES = {
    "twitter.com": "x.com",
    "fb.com": "facebook.com",
    "youtu.be": "youtube.com",
    "bsky.app": "bsky.app",
}
PLATFORM_HOSTS = {
    "x.com": Platform.X,
    "facebook.com": Platform.FACEBOOK,
    "instagram.com": Platform.INSTAGRAM,
    "tiktok.com": Platform.TIKTOK,
    "youtube.com": Platform.YOUTUBE,
    "bsky.app": Platform.BLUESKY,
    "threads.net": Platform.THREADS,
    "threads.com": Platform.THREADS,
}
# Query parameters that identify the post (all others are tracking or display).
KEEP_PARAMS = {"v", "story_fbid", "id", "fbid", "p"}


def _host(url: str) -> str:
    host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "web."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return HOST_ALIASES.get(host, host)


def platform_of(url: str) -> str:
    return str(PLATFORM_HOSTS.get(_host(url), Platform.OTHER)) if url.strip() else ""


def post_key(url: str) -> str:
    """The same string for every way of linking one post; "" for no URL."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = _host(url)
    path = parts.path.rstrip("/")
    if host == "youtube.com" and (parts.hostname or "").endswith("youtu.be"):
        return f"youtube.com/watch?v={path.lstrip('/')}"
    if host == "x.com":
        path = path.lower()  # handles are case-insensitive on X
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k in KEEP_PARAMS)
    return (f"{host}{path}" + (f"?{urlencode(query)}" if query else ""))[:300]
