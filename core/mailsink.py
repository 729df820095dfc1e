"""A local SMTP server that keeps every message as a readable .eml file in a Maildir.

`make run` points Django's SMTP backend at it, so development e-mail travels over real SMTP
and lands under .data/mail/new/, one file per message, readable with any mail client or `less`.
"""

import argparse
import asyncio
import mailbox
import signal
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class MaildirHandler:
    def __init__(self, folder: Path) -> None:
        # Maildir creates the folder with its tmp/new/cur, but not the folder's parents.
        folder.parent.mkdir(parents=True, exist_ok=True)
        self.maildir = mailbox.Maildir(str(folder), create=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode()
        # The message is kept byte for byte as it arrived (re-serialising would re-fold headers);
        # only the envelope recipients are prepended, as a delivering MTA would.
        recipients = ", ".join(envelope.rcpt_tos).encode("ascii", "replace")
        self.maildir.add(mailbox.MaildirMessage(b"X-Envelope-To: " + recipients + b"\r\n" + raw))
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--maildir", type=Path, required=True)
    args = parser.parse_args()
    controller = Controller(MaildirHandler(args.maildir), hostname=args.host, port=args.port)
    controller.start()
    print(f"mail: SMTP on {args.host}:{args.port}, messages in {args.maildir}/new", flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
