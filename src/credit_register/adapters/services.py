"""The concrete document services a door hands the use cases: LibreOffice for PDF, SMTP (or
``.eml`` files in the outbox) for mail.

The use cases declare what they need (``core.port.DocumentServices``) and never import an
adapter; the command line, the Excel button and the add-in's server build these here, in one
place, so every door converts and mails the same way.
"""

from __future__ import annotations

from credit_register.adapters.mail import SmtpMailer
from credit_register.adapters.pdf import to_pdf
from credit_register.core.port import DocumentServices


def document_services() -> DocumentServices:
    """LibreOffice and SMTP (its settings read from the environment when first needed)."""
    return DocumentServices(to_pdf=to_pdf, mailer=SmtpMailer())
