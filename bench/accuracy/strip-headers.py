#!/usr/bin/env python3
"""Writes a copy of the SpamAssassin corpus archives with every message cut down to its Subject field and body,
as some public corpora store mail, for checking how the content filter does on mail unlike its training corpus:

    python3 bench/accuracy/strip-headers.py ../shared/corpus/spamassassin /tmp/stripped
    PEERS="" CORPUS=/tmp/stripped bench/accuracy/run.sh
"""
import io
import os
import sys
import tarfile

ARCHIVES = ["easy_ham", "easy_ham_2", "hard_ham", "spam", "spam_2"]


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


def main(source: str, target: str) -> None:
    os.makedirs(target, exist_ok=True)
    for name in ARCHIVES:
        with tarfile.open(os.path.join(source, name + ".tar.gz")) as src, \
                tarfile.open(os.path.join(target, name + ".tar.gz"), "w:gz") as dst:
            for member in src:
                if not member.isfile():
                    continue
                data = strip(src.extractfile(member).read())
                info = tarfile.TarInfo(member.name)
                info.size = len(data)
                dst.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: strip-headers.py CORPUS_DIR TARGET_DIR")
    main(sys.argv[1], sys.argv[2])
