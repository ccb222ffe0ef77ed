#!/usr/bin/python3
"""Regenerates the dkimpy-signed fixtures in this folder (see ../README.md).

Run from this folder with Debian's python3-dkim (dkimpy) and python3-nacl:
    /usr/bin/python3 generate.py            # re-sign with the committed keys
    /usr/bin/python3 generate.py --new-keys # also make new keys with dknewkey and openssl
dkimpy's own verifier checks every message and its verdict is printed.
"""
import subprocess
import time
import sys

import dkim

DOMAIN = b"dkimpy.example"
KEYS = {  # selector: (dknewkey type or RSA bits, key file)
    "rsa2048": ("rsa", "rsa2048.key"),
    "ed25519": ("ed25519", "ed25519.key"),
    "rsa512": ("512", "rsa512.key"),
}

PLAIN = (
    b"Received: from client.dkimpy.example (client.dkimpy.example [192.0.2.10])\r\n"
    b"\tby mx.dkimpy.example with ESMTPS; Tue, 04 Mar 2025 10:00:00 +0000\r\n"
    b"From: Alice Example <alice@dkimpy.example>\r\n"
    b"To: Bob <bob@postern.test>\r\n"
    b"Subject: A plain message with   odd\r\n"
    b"  \t folding and  spacing\r\n"
    b"Date: Tue, 04 Mar 2025 10:00:00 +0000\r\n"
    b"Message-ID: <plain-1@dkimpy.example>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=us-ascii\r\n"
    b"\r\n"
    b"Hello Bob,\r\n"
    b"\r\n"
    b"  This line starts with spaces and ends with a tab\t\r\n"
    b"this one has  inner   runs of spaces \r\n"
    b"\r\n"
    b"-- \r\n"
    b"Alice\r\n"
    b"\r\n"
    b"\r\n"
)

MULTIPART = (
    b"From: =?utf-8?q?Ren=C3=A9e?= <renee@dkimpy.example>\r\n"
    b"To: bob@postern.test, carol@postern.test\r\n"
    b"Cc: dave@postern.test\r\n"
    b"Subject: Caf\xc3\xa9 menu (UTF-8 header, RFC 6532)\r\n"
    b"Date: Tue, 04 Mar 2025 11:30:00 +0100\r\n"
    b"Message-ID: <multipart-1@dkimpy.example>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: multipart/alternative; boundary=\"b1\"\r\n"
    b"\r\n"
    b"--b1\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9e, 4 \xe2\x82\xac\r\n"
    b"--b1\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b"<p>Cr=C3=A8me br=C3=BBl=C3=A9e, 4 =E2=82=AC</p>\r\n"
    b"--b1--\r\n"
)

# file: (message, [(selector, options)...] applied in order (the last is on top), tamper, expected top first)
CASES = [
    ("rsa-relaxed-relaxed.eml", PLAIN, [("rsa2048", dict(canonicalize=(b"relaxed", b"relaxed")))], None, ["pass"]),
    ("rsa-simple-simple.eml", PLAIN, [("rsa2048", dict(canonicalize=(b"simple", b"simple")))], None, ["pass"]),
    ("rsa-relaxed-simple-multipart.eml", MULTIPART, [("rsa2048", {})], None, ["pass"]),
    ("ed25519-relaxed-relaxed-multipart.eml", MULTIPART,
     [("ed25519", dict(canonicalize=(b"relaxed", b"relaxed")))], None, ["pass"]),
    ("ed25519-simple-simple.eml", PLAIN, [("ed25519", dict(canonicalize=(b"simple", b"simple")))], None, ["pass"]),
    ("dual-ed25519-rsa.eml", PLAIN, [("ed25519", dict(canonicalize=(b"relaxed", b"relaxed"))),
                                     ("rsa2048", dict(canonicalize=(b"relaxed", b"relaxed")))], None, ["pass", "pass"]),
    ("ed25519-identity-subdomain.eml", PLAIN,
     [("ed25519", dict(identity=b"alice@mail.dkimpy.example", canonicalize=(b"relaxed", b"relaxed")))],
     None, ["pass"]),
    ("rsa-oversigned.eml", PLAIN,
     [("rsa2048", dict(include_headers=[b"from", b"to", b"subject", b"date", b"message-id", b"from", b"subject",
                                        b"reply-to"]))], None, ["pass"]),
    ("rsa-length-then-appended.eml", PLAIN, [("rsa2048", dict(length=True))],
     ("append", b"Appended after signing: not covered by l=\r\n"), ["pass"]),
    ("ed25519-body-tampered.eml", PLAIN, [("ed25519", dict(canonicalize=(b"relaxed", b"relaxed")))],
     ("replace", (b"Hello Bob", b"Hello Eve")), ["fail"]),
    ("rsa-header-tampered.eml", MULTIPART, [("rsa2048", {})],
     ("replace", (b"Subject: Caf", b"Subject: Tea")), ["fail"]),
    ("rsa-sha1.eml", PLAIN, [("rsa2048", dict(signature_algorithm=b"rsa-sha1"))], None, ["policy"]),
    ("rsa512-weak-key.eml", PLAIN, [("rsa512", {})], None, ["policy"]),
]


def new_keys():
    for selector, (kind, path) in KEYS.items():
        if kind in ("rsa", "ed25519"):
            subprocess.check_call(["dknewkey", "--ktype", kind, selector])
        else:
            subprocess.check_call(["openssl", "genrsa", "-out", path, kind], stderr=subprocess.DEVNULL)
            der = subprocess.check_output(["openssl", "rsa", "-in", path, "-pubout", "-outform", "DER"],
                                          stderr=subprocess.DEVNULL)
            import base64
            with open(selector + ".dns", "w") as f:
                f.write("v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode())


def zone():
    records = {}
    for selector in KEYS:
        with open(selector + ".dns") as f:
            records[f"{selector}._domainkey.{DOMAIN.decode()}"] = f.read().strip()
    return records


def main():
    if "--new-keys" in sys.argv:
        new_keys()
    records = zone()
    with open("keys.zone", "w", newline="\n") as f:
        f.write("# <name> <TXT record>, one per line; served by the tests' in-process DNS server\n")
        for name, text in records.items():
            f.write(f"{name} {text}\n")

    def dnsfunc(name, timeout=5):
        return records.get(name.decode().rstrip("."), "").encode()

    manifest = []
    for filename, message, signings, tamper, expected in CASES:
        signed = message
        for selector, options in signings:
            with open(KEYS[selector][1], "rb") as f:
                key = f.read()
            if KEYS[selector][0] == "ed25519":
                options = dict(options, signature_algorithm=b"ed25519-sha256")
            header = dkim.sign(signed, selector.encode(), DOMAIN, key, **options)
            signed = header + signed
        if tamper:
            kind, arg = tamper
            signed = signed + arg if kind == "append" else signed.replace(arg[0], arg[1], 1)
        verdicts = []
        d = dkim.DKIM(signed)
        for i in range(len(signings)):
            try:
                verdicts.append("pass" if d.verify(idx=i, dnsfunc=dnsfunc) else "fail")
            except dkim.DKIMException as e:
                verdicts.append("error: " + str(e))
        print(f"{filename}: dkimpy says {verdicts}; expected {expected}")
        with open(filename, "wb") as f:
            f.write(signed)
        manifest.append(f"{filename} {' '.join(expected)}")
    with open("expected.txt", "w", newline="\n") as f:
        f.write("# <file> <dkim result per signature, top first>; checked by DkimpyFixturesTest\n")
        f.write(f"# verify-at: {int(time.time()) + 86400}\n")
        f.write("\n".join(manifest) + "\n")


if __name__ == "__main__":
    main()
