"""Reads of the e-mail door: a thread as the agent sees it, in a constant number of queries."""

from django.db.models import Prefetch

from channels_app.email.models import EmailAttachment, EmailMessage, EmailThread


def email_thread_get(*, thread_id: int) -> EmailThread | None:
    """The thread with its messages (oldest first) and their attachments: three queries, whatever
    the number of messages and files."""
    messages = EmailMessage.objects.order_by("created_at", "id").prefetch_related(
        Prefetch("attachments", queryset=EmailAttachment.objects.order_by("id"))
    )
    return (
        EmailThread.objects.filter(pk=thread_id)
        .prefetch_related(Prefetch("messages", queryset=messages, to_attr="message_list"))
        .first()
    )


def email_message_inbound(*, message_id: int) -> EmailMessage | None:
    return EmailMessage.objects.select_related("thread").filter(pk=message_id).first()


def email_thread_contact(thread: EmailThread) -> int | None:
    """The contact at hand for a thread: its newest inbound message's contact moment."""
    inbound = [m for m in thread.message_list if m.direction == EmailMessage.Direction.INBOUND and m.contact_moment_id]
    return inbound[-1].contact_moment_id if inbound else None
