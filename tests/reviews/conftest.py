# The real SMTP server of the notification tests, for the review actions' e-mails.
from tests.notifications.conftest import smtp_server  # noqa: F401
