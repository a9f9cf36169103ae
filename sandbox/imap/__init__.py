"""A private Dovecot IMAP server (Debian's ``dovecot-imapd``) for the official-mailbox tests and
for trying the mailbox page by hand: ``python -m sandbox.imap --port 8350 --dir var/imap``.

Its own configuration in ``dir`` (nothing of ``/etc/dovecot`` is read), accounts from a
passwd-file, Maildirs under ``dir/mail``, run in the foreground as a child process and stopped
with it. Plain IMAP on 127.0.0.1 only (the connection code's TLS and STARTTLS paths are the
standard library's)."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{dir}/mail/%u
first_valid_uid = {uid}
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {dir}/users
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def available() -> bool:
    return Path(DOVECOT).exists()


class Dovecot:
    """One Dovecot instance: ``add_user``, ``start``, ``append`` (deliver a message), ``stop``."""

    def __init__(self, port: int, directory: Path | None = None):
        # Dovecot's own processes (another user when started as root) must reach every parent
        # folder: a fresh folder in the system's temporary directory, open for reading, removed
        # by ``stop`` (a pytest ``tmp_path`` is closed to other users).
        self.own_dir = directory is None
        self.dir = Path(directory or tempfile.mkdtemp(prefix="congso-dovecot-"))
        self.dir.chmod(0o755)
        self.port, self.process = port, None
        self.users: dict[str, str] = {}
        self.host = "127.0.0.1"
        # Dovecot refuses to give mail to root: as root, mail belongs to its own system user.
        self.owner = pwd.getpwnam("dovecot") if os.getuid() == 0 else pwd.getpwuid(os.getuid())

    def add_user(self, name: str, password: str) -> None:
        self.users[name] = password
        home = self.dir / "home" / name
        home.mkdir(parents=True, exist_ok=True)
        lines = [
            f"{u}:{{PLAIN}}{p}:{self.owner.pw_uid}:{self.owner.pw_gid}::{self.dir}/home/{u}"
            for u, p in self.users.items()
        ]
        (self.dir / "users").write_text("\n".join(lines) + "\n")
        self._own()

    def _own(self) -> None:
        if os.getuid() != 0:
            return
        for path in [self.dir / "mail", self.dir / "home", *(self.dir / "home").iterdir()]:
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, self.owner.pw_uid, self.owner.pw_gid)

    def start(self, timeout: float = 15.0) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "mail").mkdir(exist_ok=True)
        self._own()
        root = os.getuid() == 0
        config = self.dir / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                dir=self.dir,
                port=self.port,
                uid=min(self.owner.pw_uid, 500),
                internal="dovecot" if root else self.owner.pw_name,
                login="dovenull" if root else self.owner.pw_name,
            )
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and config
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "dovecot stopped: "
                    + self.process.stderr.read().decode(errors="replace")
                    + self.log()
                )
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("dovecot did not answer in time: " + self.log())

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def append(self, user: str, message: bytes, folder: str = "INBOX") -> None:
        """Deliver ``message`` into ``user``'s folder through IMAP APPEND."""
        import imaplib

        session = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            session.login(user, self.users[user])
            status, data = session.append(folder, None, None, message)
            if status != "OK":
                raise RuntimeError(f"APPEND refused: {data}")
        finally:
            session.logout()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)
