"""nginx for the benchmark, generated from docs/operations.md section 8.

The documented production configuration is the template: this module reads the
fenced code blocks of section 8 (Debian's nginx.conf edits, conf.d/mooc.conf, the
three snippets and the site) and changes only what a loopback benchmark must:

- paths: every file goes to one run folder (logs, pid, certificate, snippets),
  static and private files point at the run's STATIC_ROOT / PRIVATE_MEDIA_ROOT;
- addresses: the site listens on loopback ports (HTTPS on `https_port`, HTTP on
  `http_port`) for the host name `localhost`, with a self-signed certificate;
- the upstreams `mooc_app` and `mooc_saves` list every node's main and save pool,
  as section "Scaling out" tells an administrator to do;
- the load generator's address (127.0.0.1 / ::1) is listed in the `geo
  $mooc_limit_exempt` block, exactly as section 8.6 says for an exam hall whose
  learners share one public address;
- nginx runs as root (the run folder is not readable by www-data).

Everything else (limits, timeouts, buffering, locations, headers, TLS settings) is
the documented text, byte for byte. A change to the documented configuration is
therefore measured by the next benchmark run.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "operations.md"
DEBIAN_NGINX_CONF = Path("/etc/nginx/nginx.conf")

# The first line of each documented block that is a file, and the file's name.
_BLOCKS = {
    "# MOOC ASN settings at nginx's http level.": "conf.d/mooc.conf",
    "proxy_set_header Host $host;": "snippets/mooc-proxy.conf",
    '# Mozilla\'s "intermediate" profile': "snippets/mooc-tls.conf",
    "# Headers for the responses nginx makes itself": "snippets/mooc-file-headers.conf",
    "upstream mooc_app {": "sites-enabled/mooc",
}


@dataclass
class Node:
    """One app node: its main gunicorn pool and its answer-save pool."""

    app_port: int
    saves_port: int


def documented_blocks(doc: Path = DOC) -> dict[str, str]:
    """The section-8 files as the documentation gives them, by relative path, plus
    "nginx.conf.sh": the commands that edit Debian's nginx.conf."""
    text = doc.read_text(encoding="utf-8")
    section = text[text.index("## 8. nginx") : text.index("## 9. ")]
    found: dict[str, str] = {}
    for language, body in re.findall(r"```(\w*)\n(.*?)```", section, flags=re.S):
        if language == "sh" and "worker_connections" in body and "nginx.conf" in body:
            found["nginx.conf.sh"] = body
        if language != "nginx":
            continue
        for start, name in _BLOCKS.items():
            if body.startswith(start):
                found[name] = body
    missing = {*_BLOCKS.values(), "nginx.conf.sh"} - set(found)
    if missing:
        raise SystemExit(f"docs/operations.md section 8 lacks: {', '.join(sorted(missing))}")
    return found


def render(
    folder: Path,
    *,
    https_port: int,
    http_port: int,
    nodes: list[Node],
    static_root: Path,
    private_root: Path,
    media_root: Path,
) -> Path:
    """Writes the configuration into `folder` and returns the main file's path."""
    blocks = documented_blocks()
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("conf.d", "snippets", "sites-enabled", "logs", "tls", "tmp"):
        (folder / sub).mkdir(exist_ok=True)
    for old_log in (folder / "logs").glob("*.log"):  # each run's logs are its own
        old_log.unlink()

    # nginx.conf: Debian's file with the documented edits, run as documented.
    main = folder / "nginx.conf"
    main.write_text(DEBIAN_NGINX_CONF.read_text(encoding="utf-8"), encoding="utf-8")
    script = "\n".join(
        line.replace("/etc/nginx/nginx.conf", str(main))
        for line in blocks["nginx.conf.sh"].splitlines()
        if "nginx.conf" in line and line.lstrip().startswith(("sed ", "grep -q", "||", "sed"))
    )
    # The documented `grep -q … || sed …` spans two lines: join continuations.
    script = script.replace("\\\n", " ")
    subprocess.run(["sh", "-e", "-c", script], check=True)
    conf = main.read_text(encoding="utf-8")
    for pattern, replacement in (
        (r"(?m)^user\s+[^;]+;", "user root;"),
        (r"(?m)^pid\s+[^;]+;", f"pid {folder / 'nginx.pid'};"),
        (r"(?m)^error_log\s+[^;]+;", f"error_log {folder / 'logs' / 'error.log'};"),
        (r"(?m)^include /etc/nginx/modules-enabled/\*\.conf;\n", ""),
        (r"access_log /var/log/nginx/access.log;", f"access_log {folder / 'logs' / 'access.log'};"),
        (r"include /etc/nginx/conf\.d/\*\.conf;", f"include {folder / 'conf.d'}/*.conf;"),
        (r"include /etc/nginx/sites-enabled/\*;", f"include {folder / 'sites-enabled'}/*;"),
    ):
        conf, count = re.subn(pattern, replacement, conf)
        if not count:
            raise SystemExit(f"{DEBIAN_NGINX_CONF}: no line matches {pattern!r}")
    # Temporary files (request bodies etc.) in the run folder, not /var/lib/nginx.
    temp = "".join(
        f"\t{kind}_temp_path {folder / 'tmp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = conf.replace("http {\n", "http {\n" + temp, 1)
    main.write_text(conf, encoding="utf-8")

    # conf.d/mooc.conf: the load generator is one "exam hall" address (section 8.6).
    http_level, count = re.subn(
        r"(geo \$mooc_limit_exempt \{\n\s*default 0;\n)",
        r"\g<1>    127.0.0.1 1;   # the benchmark's load generator\n    ::1 1;\n",
        blocks["conf.d/mooc.conf"],
    )
    assert count == 1, "the geo block of conf.d/mooc.conf changed"
    (folder / "conf.d" / "mooc.conf").write_text(http_level, encoding="utf-8")
    for name in ("snippets/mooc-proxy.conf", "snippets/mooc-tls.conf"):
        (folder / name).write_text(blocks[name], encoding="utf-8")
    (folder / "snippets/mooc-file-headers.conf").write_text(
        blocks["snippets/mooc-file-headers.conf"], encoding="utf-8"
    )

    # The site.
    site = blocks["sites-enabled/mooc"]
    app_servers = "".join(f"    server 127.0.0.1:{n.app_port};\n" for n in nodes)
    save_servers = "".join(f"    server 127.0.0.1:{n.saves_port};\n" for n in nodes)
    site, a = re.subn(r"(upstream mooc_app \{\n)(\s*server [^;]+;\n)", rf"\g<1>{app_servers}", site)
    site, b = re.subn(
        r"(upstream mooc_saves \{\n)(\s*server [^;]+;\n)", rf"\g<1>{save_servers}", site
    )
    assert a == b == 1, "the upstream blocks of the site changed"
    certificate, key = tls_self_signed(folder / "tls")
    replacements = [
        ("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"),
        ("listen [::]:80 default_server;", f"listen [::1]:{http_port} default_server;"),
        ("listen 443 ssl default_server;", f"listen 127.0.0.1:{https_port} ssl default_server;"),
        ("listen [::]:443 ssl default_server;", f"listen [::1]:{https_port} ssl default_server;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", f"listen [::1]:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", f"listen [::1]:{https_port} ssl http2;"),
        ("server_name mooc.example.go.id;", "server_name localhost;"),
        ("/etc/ssl/mooc/fullchain.pem", str(certificate)),
        ("/etc/ssl/mooc/privkey.pem", str(key)),
        ("/var/log/nginx/mooc.access.log", str(folder / "logs" / "mooc.access.log")),
        ("/var/log/nginx/mooc.error.log", str(folder / "logs" / "mooc.error.log")),
        ("/srv/mooc/static/", f"{static_root}/"),
        ("/srv/mooc/media/", f"{media_root}/"),
        ("/srv/mooc/private/", f"{private_root}/"),
    ]
    for old, new in replacements:
        if old not in site:
            raise SystemExit(f"docs/operations.md 8.5: the site no longer has {old!r}")
        site = site.replace(old, new)
    (folder / "sites-enabled" / "mooc").write_text(site, encoding="utf-8")
    # Snippets are included relative to nginx's prefix: make the paths absolute.
    for path in [main, *folder.glob("*/*.conf"), folder / "sites-enabled" / "mooc"]:
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("include snippets/", f"include {folder / 'snippets'}/"), encoding="utf-8"
        )
    return main


def tls_self_signed(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "fullchain.pem", folder / "privkey.pem"
    if not certificate.exists():
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost",
                "-keyout",
                str(key),
                "-out",
                str(certificate),
            ],
            check=True,
            capture_output=True,
        )
        key.chmod(0o600)
    return certificate, key
