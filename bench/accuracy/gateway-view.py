#!/usr/bin/env python3
"""Writes a copy of the SpamAssassin corpus archives with each message as a gateway in front of the recipient's MX
receives it, for measuring how a model trained on mailbox copies judges mail at the gateway:

    python3 bench/accuracy/gateway-view.py ../shared/corpus/spamassassin /tmp/gateway
    python3 bench/accuracy/gateway-view.py --postern ../shared/corpus/spamassassin /tmp/gateway-postern

The Received lines the recipient's side wrote (the top ones whose "by" host is one of the corpus owners' servers)
are taken off. With --postern the start of the Received line Postern writes for the connecting client of the last
line taken off (the MX hop) is put on top, as the gateway puts it on the message it classifies:
"from HELO (REVERSE-NAME [IP]) by mx.example.net (Postern) with ESMTP". --full adds that line's per-message end (the
MX hop's id, recipient and date), which the gateway does not classify: the corpus's dates and addresses tell its
spam from its ham.

The model is trained on the corpus as stored and tested on the copy, fold by fold (CrossValidation's
-Dpostern.testCorpus and -Dpostern.testHeuristicsCorpus; README, "The receiving hop").
"""
import hashlib
import re
import sys

from corpus_copy import copy_corpus

# The corpus owners' receiving servers (the top "by" hosts over the corpus) and local delivery steps.
RECIPIENT_SIDE = re.compile(r'(?i)(^|\.)(netnoteinc\.com|jmason\.org|slashnull\.org|zzzzason\.org|taint\.org|'
                            r'pro-ns\.net|webnote\.net|midrange\.com|lerctr\.org|mothlight\.dyndns\.org|'
                            r'ruhr-uni-bochum\.de)$|^(localhost|alias|uid|mailhost)$')
BY = re.compile(rb'(?i)\bby\s+([^\s;()]+)')
FROM = re.compile(rb'(?i)^\s*from\s+(\S+)(?:\s+\(([^)]*)\))?')
IP = re.compile(rb'[\[(](\d{1,3}(?:\.\d{1,3}){3})[\])]')
HOSTNAME = re.compile(rb'(?i)^[a-z0-9-]+(\.[a-z0-9-]+)+$')
FOR = re.compile(rb'(?i)\bfor\s+<([^>]+)>')
DATE = re.compile(rb';\s*(.*)$', re.S)


def fields(head: bytes) -> list:
    out = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and out:
            out[-1] += b"\n" + line
        else:
            out.append(line)
    return out


def our_line(mx_hop: bytes, raw: bytes, full: bool):
    """Postern's Received line for the client the MX hop names, or None when the hop names no address."""
    m, ip = FROM.match(mx_hop), IP.search(mx_hop)
    if not m or not ip:
        return None
    words = (m.group(2) or b"").split()
    name = words[0] if words and HOSTNAME.match(words[0]) else b"unknown"
    line = b"Received: from " + m.group(1) + b" (" + name + b" [" + ip.group(1) + b"])\n\tby mx.example.net (Postern) with ESMTP"
    if full:
        line += b" id " + hashlib.sha1(raw).hexdigest()[:12].upper().encode()
        rcpt = FOR.search(mx_hop)
        if rcpt:
            line += b"\n\tfor <" + rcpt.group(1) + b">"
        date = DATE.search(mx_hop)
        line += b"; " + (date.group(1).strip() if date else b"Thu, 1 Jan 2002 00:00:00 +0000")
    return line


def convert(raw: bytes, postern: bool, full: bool) -> bytes:
    raw = raw.replace(b"\r\n", b"\n")
    end = raw.find(b"\n\n")
    head, body = (raw[:end], raw[end:]) if end >= 0 else (raw, b"")
    fs = fields(head)
    envelope = fs.pop(0) + b"\n" if fs and fs[0].startswith(b"From ") else b""
    taken, mx_hop = set(), None
    for i, f in enumerate(fs):
        if f[:9].lower() != b"received:":
            continue
        hop = b" ".join(f[9:].split())
        by = BY.search(hop)
        if not by or not RECIPIENT_SIDE.search(by.group(1).decode("latin-1").rstrip(".")):
            break
        taken.add(i)
        mx_hop = hop
    fs = [f for i, f in enumerate(fs) if i not in taken]
    if postern and mx_hop is not None:
        line = our_line(mx_hop, raw, full)
        if line is not None:
            fs.insert(0, line)
    return envelope + b"\n".join(fs) + body


if __name__ == "__main__":
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    paths = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(paths) != 2 or not flags <= {"--postern", "--full"}:
        sys.exit("usage: gateway-view.py [--postern [--full]] SOURCE_DIR TARGET_DIR")
    copy_corpus(paths[0], paths[1], lambda raw: convert(raw, "--postern" in flags, "--full" in flags))
