"""The deploy check that the proxy serves nothing from media (core.checks, core.E002)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from pledgebook.core.checks import check_proxy_serves_no_media, media_served_by, nginx_directives

SHIPPED = Path(settings.BASE_DIR) / "deploy" / "nginx.conf"
# The locations live in the snippet both the TLS site and the local stack include.
SNIPPET = Path(settings.BASE_DIR) / "deploy" / "nginx" / "pledgebook-server.conf"
MEDIA = Path("/srv/pledgebook/var/media")


def test_the_shipped_configuration_passes() -> None:
    assert check_proxy_serves_no_media() == []
    assert SHIPPED in settings.NGINX_CONF and SNIPPET in settings.NGINX_CONF
    assert media_served_by(SNIPPET.read_text(), Path(settings.MEDIA_ROOT), "/media/") == []
    # It was read: its location blocks are found.
    locations = [d for d in nginx_directives(SNIPPET.read_text()) if d.words[0] == "location"]
    assert [d.words[1:] for d in locations] == [("=", "/request-too-large/"), ("/",)]


def served(conf: str) -> list[tuple[int, str]]:
    return media_served_by(conf, MEDIA, "/media/")


@pytest.mark.parametrize(
    "conf, line",
    [
        ("server {\n  location /media/ {\n    alias /srv/pledgebook/var/media/;\n  }\n}\n", 2),
        ("server {\n  location /files/ { alias /srv/pledgebook/var/media/evidence/; }\n}", 2),
        ("server {\n\n  root /srv/pledgebook/var;  # holds media/\n}", 3),
        ("server {\n  location ~* ^/media/.+\\.pdf$ { proxy_pass http://x; }\n}", 2),
        ("server {\n  location ^~ /media { return 403; }\n}", 2),
        ('server {\n  location /uploads/ {\n    alias "/srv/pledgebook/var/media";\n  }\n}', 3),
    ],
)
def test_a_configuration_serving_media_fails_naming_the_line(conf: str, line: int) -> None:
    problems = served(conf)
    assert problems and problems[0][0] == line, problems


@pytest.mark.parametrize(
    "conf",
    [
        "server {\n  location / { proxy_pass http://app; }\n}",
        "server {\n  location /static/ { alias /srv/pledgebook/var/static/; }\n}",
        "server {\n  # location /media/ { alias /srv/pledgebook/var/media/; }\n}",
        "server {\n  location = /mediakit.pdf { root /srv/site/public; }\n}",
    ],
)
def test_configurations_that_serve_no_media_pass(conf: str) -> None:
    assert served(conf) == []


def test_the_check_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "pledgebook.conf"
    media = Path(settings.MEDIA_ROOT)
    bad.write_text(
        f"server {{\n    listen 80;\n    location /media/ {{\n        alias {media}/;\n    }}\n}}\n"
    )
    with override_settings(NGINX_CONF=[SHIPPED, bad]):
        errors = check_proxy_serves_no_media()
        assert [e.id for e in errors] == ["core.E002", "core.E002"], [e.msg for e in errors]
        assert f"{bad}, line 3: location /media/ is MEDIA_URL" in errors[0].msg
        assert f"{bad}, line 4: alias {media}/ serves MEDIA_ROOT" in errors[1].msg
        with pytest.raises(SystemCheckError, match="line 4"):
            call_command("check", deploy=True, tags=["security"])


def test_an_unreadable_configuration_is_an_error(tmp_path: Path) -> None:
    with override_settings(NGINX_CONF=[tmp_path / "missing.conf"]):
        assert [e.id for e in check_proxy_serves_no_media()] == ["core.E003"]
