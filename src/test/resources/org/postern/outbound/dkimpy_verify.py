# Verifies every DKIM-Signature of a message with dkimpy (Debian python3-dkim; Ed25519 needs python3-nacl).
# argv: message file (CRLF), key records file (lines "name<TAB>TXT value"). Prints one line per signature:
# "<index> <a=> <s=> pass|fail".
import re
import sys

import dkim

message = open(sys.argv[1], 'rb').read()
records = {}
for line in open(sys.argv[2], encoding='ascii'):
    name, value = line.rstrip('\n').split('\t', 1)
    records[name.rstrip('.').lower()] = value.encode('ascii')


def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode('ascii')
    return records.get(name.rstrip('.').lower())


count = len(re.findall(rb'(?im)^dkim-signature:', message.split(b'\r\n\r\n', 1)[0]))
if count == 0:
    print('no signature')
for i in range(count):
    d = dkim.DKIM(message)
    try:
        ok = d.verify(idx=i, dnsfunc=dnsfunc)
    except dkim.DKIMException as e:   # e.g. "body hash mismatch" is raised, not returned
        ok = False
    sig = dict(d.signature_fields) if d.signature_fields else {}
    a = sig.get(b'a', b'?').decode()
    s = sig.get(b's', b'?').decode()
    print(i, a, s, 'pass' if ok else 'fail')
