"""The production set-up of docs/deploy.md works: the deploy checks pass with production settings, the
documented gunicorn command serves the site, and /healthz tells a monitor when the database is gone."""

from __future__ import annotations

import http.client
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.pages import (
    DEPLOY_DOC,
    ROOT,
    documented_gunicorn_command,
    free_port,
    production_env,
    runnable_gunicorn_command,
)

HOST = "samen030.example"


def prod_env(tmp_path: Path, database_url: str | None = None) -> dict[str, str]:
    """Production settings as docs/deploy.md lists them (DEBUG off, a long random SECRET_KEY, the site's
    host), with a temporary SQLite database and directories. SAMEN030_TESTING is not set."""
    env = production_env(
        database_url=database_url or f"sqlite:///{tmp_path / 'samen030.sqlite3'}",
        var_dir=tmp_path / "var",
        static_root=tmp_path / "static",
    )
    env.update(
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        SITE_URL=f"https://{HOST}",
        EMAIL_HOST="smtp.example.nl",
        DEFAULT_FROM_EMAIL="SAMEN030 <noreply@samen030.example>",
    )
    assert "SAMEN030_TESTING" not in env
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_check_deploy_has_no_warnings_with_production_settings(tmp_path):
    done = manage(prod_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output.upper(), output


def test_the_systemd_unit_runs_the_documented_command():
    """docs/deploy.md shows the command twice (on its own and in the systemd unit); they must agree."""
    exec_start = next(line for line in DEPLOY_DOC.read_text().splitlines() if line.startswith("ExecStart="))
    unit_command = shlex.split(exec_start.removeprefix("ExecStart="))
    assert Path(unit_command[0]).name == "gunicorn"
    assert unit_command[1:] == documented_gunicorn_command()[1:]


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.slow
def test_documented_gunicorn_command_serves_the_site(tmp_path):
    """Start gunicorn with the command from docs/deploy.md (only the bind port differs, and gunicorn runs as
    `python -m gunicorn` from this interpreter) against a freshly migrated SQLite database."""
    env = prod_env(tmp_path)
    for args in (["migrate", "--no-input", "-v0"], ["load_places"], ["collectstatic", "--no-input", "-v0"]):
        done = manage(env, *args)
        assert done.returncode == 0, done.stdout + done.stderr

    port = free_port()
    log = tmp_path / "gunicorn.log"
    proxied = {"Host": HOST, "X-Forwarded-Proto": "https"}
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            runnable_gunicorn_command(port), cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
            try:
                status, headers, body = get(port, "/healthz", proxied)
                break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn did not start:\n{log.read_text()}"
                time.sleep(0.2)

        assert status == 200, log.read_text()
        assert json.loads(body) == {"status": "ok", "database": "ok"}
        assert "no-cache" in headers["Cache-Control"]

        status, headers, body = get(port, "/wijken/", proxied)
        assert status == 200, log.read_text()
        assert "Overvecht" in body.decode()
        assert "max-age=31536000" in headers["Strict-Transport-Security"]

        # Without the proxy's header gunicorn's client is redirected to HTTPS; an unknown host is refused.
        status, headers, _body = get(port, "/wijken/", {"Host": HOST})
        assert (status, headers["Location"]) == (301, f"https://{HOST}/wijken/")
        status, _headers, _body = get(port, "/healthz", {"Host": "elsewhere.example", "X-Forwarded-Proto": "https"})
        assert status == 400
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


HEALTHZ_IN_CHILD = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="samen030.example", secure=True)
print(json.dumps({"status": response.status_code, "body": json.loads(response.content)}))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "database_url",
    [
        # Nothing listens on port 1: a real connection attempt that PostgreSQL's driver gives up on.
        "postgres://samen030@127.0.0.1:1/samen030",
        # An SQLite file in a directory that does not exist cannot be opened.
        "sqlite:////nonexistent-directory/samen030.sqlite3",
    ],
    ids=["postgres-down", "sqlite-missing"],
)
def test_healthz_is_503_when_the_database_is_unreachable(tmp_path, database_url):
    """A fresh process with production settings whose database cannot be reached answers /healthz with 503.
    No mocks: Django really tries to connect and gets the driver's OperationalError."""
    env = prod_env(tmp_path, database_url=database_url)
    command = [sys.executable, "-c", HEALTHZ_IN_CHILD]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"status": 503, "body": {"status": "error", "database": "unreachable"}}


def test_healthz_is_200_in_process(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
