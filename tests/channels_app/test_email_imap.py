"""The IMAP poller against a real IMAP server the test starts: Debian's dovecot on a free loopback
port, with a temporary configuration and a plain-text passdb. Messages are appended with imap-tools;
each poll imports what arrived since the last one, each message exactly once, and nothing on the server
is marked, moved or deleted."""

import dataclasses
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

from channels_app import tasks
from channels_app.email.imap import ImapAccount, mailbox_poll
from channels_app.email.models import EmailMessage, MailboxState, QuarantinedEmail
from contactcentre.interactions.models import ContactMoment, WorkItem
from tests.channels_app import email_corpus as corpus

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "balie", "geheim-wachtwoord"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (Path(DOVECOT).exists() and shutil.which("openssl")),
        reason="needs dovecot and openssl (Debian packages dovecot-imapd, openssl; `make system-packages`)",
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _config(root: Path, port: int, tls_port: int) -> str:
    """Dovecot as root drops to dovenull/dovecot for its own processes and to nobody for the mail;
    as another user it runs everything as that user."""
    if os.geteuid() == 0:
        mail_user = pwd.getpwnam("nobody")
        internal = "default_login_user = dovenull\ndefault_internal_user = dovecot\n"
    else:
        mail_user = pwd.getpwuid(os.geteuid())
        internal = f"default_login_user = {mail_user.pw_name}\ndefault_internal_user = {mail_user.pw_name}\n"
    home = root / "home"
    home.mkdir()
    os.chown(home, mail_user.pw_uid, mail_user.pw_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
{internal}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={home}/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
"""


@pytest.fixture(scope="module")
def dovecot_server():
    """(the plain-text account, the TLS port): TLS with a self-signed certificate no client should trust."""
    root = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
    root.chmod(0o755)  # the mail user and dovecot's own users must reach their directories
    port, tls_port = _free_port(), _free_port()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    config = root / "dovecot.conf"
    config.write_text(_config(root, port, tls_port))
    subprocess.run([DOVECOT, "-c", str(config)], check=True, timeout=30)
    try:
        deadline = time.monotonic() + 20
        while not (_accepts(port) and _accepts(tls_port)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _accepts(port) and _accepts(tls_port), (root / "dovecot.log").read_text()
        account = ImapAccount(host="127.0.0.1", port=port, user=USER, password=PASSWORD, security="none", timeout=5)
        yield account, tls_port
    finally:
        subprocess.run([DOVECOT, "-c", str(config), "stop"], timeout=30, check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server):
    return dovecot_server[0]


@pytest.fixture
def account(dovecot, request):
    """A new, empty folder for each test: its UIDs start at 1."""
    folder = f"test-{request.node.name.split('[')[0][-40:]}"
    with _mailbox(dovecot) as mailbox:
        mailbox.folder.create(folder)
    return dataclasses.replace(dovecot, folder=folder)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _mailbox(account: ImapAccount):
    return MailBoxUnencrypted(account.host, account.port, timeout=5).login(
        account.user, account.password, initial_folder=account.folder
    )


def crlf(raw: bytes) -> bytes:
    """A message as an IMAP server stores it: lines end in CRLF."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def append(account: ImapAccount, *messages: bytes) -> None:
    with _mailbox(account) as mailbox:
        for raw in messages:
            mailbox.append(raw, account.folder)


def test_each_message_is_imported_exactly_once_and_new_ones_after_the_first_poll_are_picked_up(account, person):
    append(account, corpus.plain(), corpus.html_only(), corpus.BOUNDARY_MISSING)

    assert mailbox_poll(account=account) == {"imported": 2, "quarantined": 1}
    assert mailbox_poll(account=account) == {}

    imported = EmailMessage.objects.order_by("id")
    assert list(imported.values_list("message_id", "source")) == [
        ("<plain-1@voorbeeld.nl>", "imap"),
        ("<html-only@voorbeeld.nl>", "imap"),
    ]
    assert imported[1].body_text == "Beste gemeente,\n\nOnze dochter is geboren op 1 mei.\n\n  * Naam: Sara"
    quarantine = QuarantinedEmail.objects.get()
    assert (quarantine.reason, quarantine.source) == ("broken_mime", "imap")
    assert Path(quarantine.raw.path).read_bytes() == crlf(corpus.BOUNDARY_MISSING)  # byte for byte as stored
    state = MailboxState.objects.get()
    assert (state.mailbox, state.last_uid) == (f"{USER}@127.0.0.1:{account.port}/{account.folder}", 3)

    # New mail after the first poll: a reply in the thread, and the first message delivered a second time.
    append(account, corpus.reply_with_history(in_reply_to="<plain-1@voorbeeld.nl>"), corpus.plain())
    assert mailbox_poll(account=account) == {"imported": 1, "duplicate": 1}
    assert mailbox_poll(account=account) == {}

    assert EmailMessage.objects.count() == 3
    assert ContactMoment.objects.count() == 3
    assert WorkItem.objects.count() == 3
    reply = EmailMessage.objects.get(message_id="<reply-1@voorbeeld.nl>")
    assert reply.thread_id == imported[0].thread_id
    assert MailboxState.objects.get().last_uid == 5
    # Nothing on the server was marked read, moved or deleted.
    with _mailbox(account) as mailbox:
        assert [m.flags for m in mailbox.fetch(mark_seen=False, headers_only=True)] == [()] * 5


def test_a_crash_before_the_place_was_saved_or_a_renumbered_folder_imports_nothing_twice(account, person):
    append(account, corpus.plain(), corpus.alternative(), corpus.NO_SENDER)
    assert mailbox_poll(account=account) == {"imported": 2, "quarantined": 1}

    MailboxState.objects.update(last_uid=0)  # as if the worker died before recording its place
    assert mailbox_poll(account=account) == {"duplicate": 2, "quarantined": 1}
    MailboxState.objects.update(uid_validity=1)  # the server renumbered the folder
    assert mailbox_poll(account=account) == {"duplicate": 2, "quarantined": 1}

    assert EmailMessage.objects.count() == 2
    assert ContactMoment.objects.count() == 2
    assert WorkItem.objects.count() == 2
    assert QuarantinedEmail.objects.count() == 1
    assert MailboxState.objects.count() == 2


def test_a_message_over_the_limit_is_quarantined_by_its_headers_and_left_on_the_server(account, settings):
    big = corpus.plain(body="x" * 5000 + "\n")
    settings.EMAIL_MAX_MESSAGE_BYTES = 4000
    append(account, big)

    assert mailbox_poll(account=account) == {"quarantined": 1}

    quarantine = QuarantinedEmail.objects.get()
    assert quarantine.reason == "too_large"
    assert quarantine.detail == f"{len(crlf(big))} bytes, limit 4000; left on the server in {account.folder} UID 1"
    kept = Path(quarantine.raw.path).read_bytes()
    assert b"Message-ID: <plain-1@voorbeeld.nl>" in kept and b"xxxx" not in kept
    assert not EmailMessage.objects.exists()
    assert mailbox_poll(account=account) == {}
    with _mailbox(account) as mailbox:
        assert mailbox.uids() == ["1"]


def test_the_batch_limit_leaves_the_rest_for_the_next_poll(account, person):
    append(account, corpus.plain(), corpus.alternative(), corpus.latin1())
    assert mailbox_poll(account=account, batch=2) == {"imported": 2}
    assert mailbox_poll(account=account, batch=2) == {"imported": 1}
    assert EmailMessage.objects.count() == 3


def test_the_beat_task_polls_the_configured_mailbox(account, settings, person):
    settings.IMAP_HOST, settings.IMAP_PORT = account.host, account.port
    settings.IMAP_USER, settings.IMAP_PASSWORD = account.user, account.password
    settings.IMAP_SECURITY, settings.IMAP_FOLDER = "none", account.folder
    append(account, corpus.plain())

    assert tasks.poll_email_mailbox.apply().get() == {"imported": 1}


def test_the_beat_task_survives_a_wrong_password_and_a_server_that_is_down(account, settings):
    settings.IMAP_HOST, settings.IMAP_PORT, settings.IMAP_SECURITY = account.host, account.port, "none"
    settings.IMAP_USER, settings.IMAP_PASSWORD = account.user, "wrong"
    assert tasks.poll_email_mailbox() == {"error": 1}
    settings.IMAP_PORT, settings.IMAP_PASSWORD = _free_port(), account.password
    assert tasks.poll_email_mailbox() == {"error": 1}
    assert not MailboxState.objects.exists()


def test_without_an_imap_host_the_task_does_nothing(settings):
    settings.IMAP_HOST = ""
    assert tasks.poll_email_mailbox() == {}


def test_a_silent_server_ends_the_poll_with_an_error_instead_of_a_hang(settings):
    """A listener that accepts and never greets: the read timeout ends the poll; the lock is released."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings.IMAP_HOST, settings.IMAP_PORT, settings.IMAP_SECURITY = "127.0.0.1", silent.getsockname()[1], "none"
        settings.IMAP_USER, settings.IMAP_PASSWORD, settings.IMAP_TIMEOUT_SECONDS = USER, PASSWORD, 0.5

        assert tasks.poll_email_mailbox() == {"error": 1}
        assert tasks.poll_email_mailbox() == {"error": 1}  # not {"skipped": 1}: the lock went with the error
    assert not MailboxState.objects.exists()


def test_a_certificate_that_is_not_trusted_is_refused(dovecot_server, settings):
    account, tls_port = dovecot_server
    settings.IMAP_HOST, settings.IMAP_PORT, settings.IMAP_SECURITY = account.host, tls_port, "ssl"
    settings.IMAP_USER, settings.IMAP_PASSWORD = account.user, account.password

    assert tasks.poll_email_mailbox() == {"error": 1}
    assert not MailboxState.objects.exists()
