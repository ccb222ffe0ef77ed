#!/usr/bin/env python3
"""Writes a copy of the SpamAssassin corpus archives with every message cut down to its Subject field and body,
as some public corpora store mail, for checking how the content filter does on mail unlike its training corpus:

    python3 bench/accuracy/strip-headers.py ../shared/corpus/spamassassin /tmp/stripped
    PEERS="" CORPUS=/tmp/stripped bench/accuracy/run.sh

With --text the body is the decoded text instead (the text/plain parts, else the text/html parts without their
markup), with no MIME structure left, as corpora such as Enron-Spam keep mail:

    python3 bench/accuracy/strip-headers.py --text ../shared/corpus/spamassassin /tmp/textonly

With --text --no-blank-line the text starts on the line right under the Subject, as Enron-Spam's files have it:

    python3 bench/accuracy/strip-headers.py --text --no-blank-line ../shared/corpus/spamassassin /tmp/enronlike
"""
import email
import html
import re
import sys

from corpus_copy import copy_corpus

def strip(raw: bytes) -> bytes:
    raw = raw.replace(b"\r\n", b"\n")
    end = raw.find(b"\n\n")
    head, body = (raw[:end], raw[end + 2:]) if end >= 0 else (raw, b"")
    lines = head.split(b"\n")
    subject = b"Subject: "
    for k, line in enumerate(lines):
        if line.lower().startswith(b"subject:"):
            subject = line
            j = k + 1
            while j < len(lines) and lines[j][:1] in (b" ", b"\t"):  # folded continuation lines
                subject += b"\n" + lines[j]
                j += 1
            break
    return subject + b"\n\n" + body


SEPARATOR = b"\n\n"


def text_only(raw: bytes) -> bytes:
    message = email.message_from_bytes(raw)
    plain, markup = [], []
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() not in ("text/plain", "text/html"):
            continue
        payload = part.get_payload(decode=True) or b""
        try:
            text = payload.decode(part.get_content_charset() or "latin-1", errors="replace")
        except LookupError:
            text = payload.decode("latin-1", errors="replace")
        (plain if part.get_content_type() == "text/plain" else markup).append(text)
    body = "\n".join(plain)
    if not plain:
        body = re.sub(r"(?is)<(script|style).*?</\1>", " ", "\n".join(markup))
        body = html.unescape(re.sub(r"(?s)<[^>]*>", " ", body))
    subject = str(message.get("Subject", "") or "").replace("\n", " ")
    return ("Subject: " + subject).encode("utf-8", errors="replace") + SEPARATOR + body.encode("utf-8", errors="replace")


if __name__ == "__main__":
    args = sys.argv[1:]
    text = args[:1] == ["--text"]
    if text:
        args = args[1:]
    if text and args[:1] == ["--no-blank-line"]:
        SEPARATOR = b"\n"
        args = args[1:]
    if len(args) != 2:
        sys.exit("usage: strip-headers.py [--text [--no-blank-line]] CORPUS_DIR TARGET_DIR")
    copy_corpus(args[0], args[1], text_only if text else strip)
