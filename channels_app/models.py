"""The doors' models, one module per door; imported here so Django finds them."""

from channels_app.email.models import EmailAttachment, EmailMessage, EmailThread, MailboxState, QuarantinedEmail

__all__ = ["EmailAttachment", "EmailMessage", "EmailThread", "MailboxState", "QuarantinedEmail"]
