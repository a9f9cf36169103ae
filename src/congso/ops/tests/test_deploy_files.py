"""The installation files in ``deploy/`` are checked like code (issue 19, item 1): the compose
file parses (``docker compose config`` when available, else a YAML parse with the structure
asserted), the systemd units pass ``systemd-analyze verify``, nginx accepts its configuration
(``nginx -t`` with Debian's nginx) and the image definition keeps its promises."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .processes import REPO

DEPLOY = Path(REPO) / "deploy"
ROLES = {"web", "worker", "beat", "migrate"}


def _require(tool: str) -> str:
    path = shutil.which(tool) or (f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else "")
    if not path:
        problem = f"{tool} is not installed (Debian: apt-get install {tool})"
        if os.environ.get("CONGSO_REQUIRE_SERVICES") == "1":
            pytest.fail(problem)  # CI installs it: a skip there would hide a broken file
        pytest.skip(problem)
    return path


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_every_role_on_the_services_it_needs():
    compose = _compose()
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat", "nginx"} <= set(services)
    assert services["migrate"]["command"][0] == "migrate"
    assert {services[role]["command"][0] for role in ("web", "worker", "beat")} == {
        "web",
        "worker",
        "beat",
    }
    for role in ("web", "worker", "beat"):
        # New code takes traffic only once the migrations ran.
        assert services[role]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert services[role]["env_file"] == "congso.env"
        assert "redis://" in services[role]["environment"]["CELERY_BROKER_URL"]
        grace = int(services[role]["stop_grace_period"].rstrip("s"))
        assert grace <= 10
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert {"80:80", "443:443"} <= set(services["nginx"]["ports"])
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    mounted = [volume.split(":")[0] for volume in services["nginx"]["volumes"]]
    for source in mounted:
        if source.startswith("./nginx/"):
            assert (DEPLOY / source).exists(), source


def test_docker_compose_config_accepts_the_file(tmp_path):
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode:
        pytest.skip("docker compose is not installed (the YAML test above checks the structure)")
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    shutil.copy(copy / "congso.env.example", copy / "congso.env")
    result = subprocess.run(
        [docker, "compose", "-f", str(copy / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={"POSTGRES_PASSWORD": "x", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def test_systemd_units_verify(tmp_path):
    analyze = _require("systemd-analyze")
    units = []
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text().replace("/opt/congso/venv/bin/python", sys.executable)
        name = unit.name.replace("@.", "@8000.")  # a template is verified as an instance
        (tmp_path / name).write_text(text)
        units.append(str(tmp_path / name))
    result = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""  # not even an unknown key


def test_units_start_the_roles():
    started = set()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for line in unit.read_text().splitlines():
            match = re.match(r"ExecStart=\S+python -m congso (\w+)", line)
            if match:
                started.add(match.group(1))
    assert started >= ROLES


def _self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        [
            _require("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=congso.example.vn", "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def nginx_config(directory: Path, upstream: str) -> Path:
    """A complete nginx.conf around the shipped site configuration, with self-signed
    certificates and every path in ``directory`` (used by the cluster too)."""
    cert, key = _self_signed(directory)
    (directory / "congso-upstream.conf").write_text(upstream)
    shutil.copy(DEPLOY / "nginx" / "congso-proxy.conf", directory / "congso-proxy.conf")
    site = (
        (DEPLOY / "nginx" / "congso.conf")
        .read_text()
        .replace("/etc/nginx/congso-upstream.conf", str(directory / "congso-upstream.conf"))
        .replace("/etc/nginx/congso-proxy.conf", str(directory / "congso-proxy.conf"))
        .replace("/etc/congso/tls/fullchain.pem", str(cert))
        .replace("/etc/congso/tls/privkey.pem", str(key))
    )
    (directory / "site.conf").write_text(site)
    main = directory / "nginx.conf"
    main.write_text(
        f"pid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n  access_log off;\n  include /etc/nginx/mime.types;\n"
        f"  client_body_temp_path {directory}/body;\n  proxy_temp_path {directory}/proxy;\n"
        f"  include {directory}/site.conf;\n}}\n"
    )
    return main


def test_nginx_accepts_the_configuration(tmp_path):
    nginx = _require("nginx")
    for upstream in ("nginx/upstream.conf", "nginx/compose-upstream.conf"):
        text = (DEPLOY / upstream).read_text().replace("server web:8000", "server 127.0.0.1:8000")
        config = nginx_config(tmp_path, text)
        result = subprocess.run(
            [nginx, "-t", "-c", str(config), "-e", str(tmp_path / "error.log")],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "test is successful" in result.stderr


def test_the_image_is_multi_stage_not_root_and_runs_the_roles():
    lines = [
        line.strip()
        for line in (DEPLOY / "Containerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) >= 2 and all("bookworm" in stage for stage in stages)  # Debian
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    entry = next(line for line in lines if line.startswith("ENTRYPOINT"))
    assert entry == 'ENTRYPOINT ["python", "-m", "congso"]'
    text = (DEPLOY / "Containerfile").read_text()
    for package in ("poppler-utils", "softhsm2", "tesseract-ocr-vie", "postgresql-client"):
        assert package in text
    assert "HEALTHCHECK" in text and "/healthz" in text


#: What an OCI image definition may say (the Dockerfile reference); anything else is a typo.
INSTRUCTIONS = {
    "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
    "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
}  # fmt: skip


def _instructions(text: str) -> list[tuple[str, str]]:
    """(instruction, arguments) with continuation lines joined, comments dropped: the parse a
    builder makes before it runs anything."""
    found, pending = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pending = f"{pending} {line}" if pending else line
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        keyword, _, arguments = pending.partition(" ")
        found.append((keyword, arguments.strip()))
        pending = ""
    assert not pending, f"a continuation runs past the end: {pending!r}"
    return found


def test_the_image_definition_lints():
    """hadolint's main rules, without hadolint (not packaged for Debian): known instructions
    only, pinned bases and stages that exist, exec-form entry points, apt without recommends
    and without its lists left in the layer, sources that exist in the repository."""
    parsed = _instructions((DEPLOY / "Containerfile").read_text())
    assert {keyword for keyword, _ in parsed} <= INSTRUCTIONS
    stages = set()
    for keyword, arguments in parsed:
        if keyword == "FROM":
            image, *alias = arguments.split(" AS ")
            assert ":" in image and not image.endswith(":latest"), image  # DL3006, DL3007
            stages.update(name.strip() for name in alias)
        elif keyword in {"ENTRYPOINT", "CMD"}:
            assert json.loads(arguments)  # exec form: signals reach the process (DL3025)
        elif keyword == "HEALTHCHECK":
            assert json.loads(arguments.split(" CMD ", 1)[1])
        elif keyword == "RUN" and "apt-get install" in arguments:
            assert "--no-install-recommends" in arguments  # DL3015
            assert "rm -rf /var/lib/apt/lists/*" in arguments  # DL3009
            assert "apt-get update" in arguments  # never a stale list from another layer
        elif keyword == "COPY":
            words = arguments.split()
            source = next((w for w in words if w.startswith("--from=")), None)
            if source:
                assert source.removeprefix("--from=") in stages, source
            else:
                for path in [w for w in words if not w.startswith("--")][:-1]:
                    assert (Path(REPO) / path).exists(), path
        elif keyword == "WORKDIR":
            assert arguments.startswith("/")  # DL3000
    assert parsed[0][0] == "FROM"
