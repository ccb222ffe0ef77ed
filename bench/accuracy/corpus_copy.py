"""Writes a converted copy of the SpamAssassin corpus archives (same archive and entry names, so the folds and labels
stay the same): shared by strip-headers.py and gateway-view.py."""
import io
import os
import tarfile

ARCHIVES = ["easy_ham", "easy_ham_2", "hard_ham", "spam", "spam_2"]


def copy_corpus(source: str, target: str, convert) -> None:
    """Every message of SOURCE's archives through convert(bytes) -> bytes into TARGET's archives of the same names."""
    os.makedirs(target, exist_ok=True)
    for name in ARCHIVES:
        with tarfile.open(os.path.join(source, name + ".tar.gz")) as src, \
                tarfile.open(os.path.join(target, name + ".tar.gz"), "w:gz") as dst:
            for member in src:
                if not member.isfile():
                    continue
                data = convert(src.extractfile(member).read())
                info = tarfile.TarInfo(member.name)
                info.size = len(data)
                dst.addfile(info, io.BytesIO(data))
