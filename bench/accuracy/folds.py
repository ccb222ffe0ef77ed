#!/usr/bin/env python3
"""Helpers of bench/accuracy/run.sh (standard library only).

  folds.py split CORPUS WORK FOLDS   extracts the corpus (tar archives, directories or mbox files, see
                                     corpus_messages) into WORK/msgs/<entry> and writes, for each fold k, hard-linked
                                     directories WORK/fold<k>/{train-spam,train-ham,test}; a message is in fold
                                     CRC-32(entry name) mod FOLDS (fold 0 of 5 is the held-out side of the bundled
                                     model's split). Labels: see label(); a TREC-style index file wins (see
                                     trec_index). Test files are named spam~ENTRY or ham~ENTRY (/ as _), which is
                                     how run.sh reads the label back.
  folds.py metrics NAME T5 T7 FILE   FILE holds "label score [auc-score]" lines (label 1 spam, 0 ham): the
                                     thresholds apply to score, the ROC AUC to auc-score when given (Postern: the
                                     SCL, then its unrounded total); prints one TSV line:
                                     NAME recall@T5 FP@T5 FP@T7 AUC spam ham (rates in %).
"""
import mailbox
import os
import sys
import tarfile
import zlib


def label(item, entry):
    """Whether a message is spam, from the names it is filed under: the folder nearest the message whose name starts
    with "spam" (spam) or starts or ends with "ham" (ham), so that both spam_2.tar.gz with easy_ham/ and Enron's
    enron1/spam/ beside enron1/ham/ are read right; without such a folder, the top-level item's name (spam* is
    spam, anything else ham)."""
    for folder in reversed(entry.split("/")[:-1]):
        name = folder.lower()
        if name.startswith("spam"):
            return True
        if name.startswith("ham") or name.endswith("ham"):
            return False
    return item.lower().startswith("spam")


def trec_index(corpus):
    """The TREC spam track's layout: an index file (CORPUS/index or CORPUS/full/index) of "spam PATH" and "ham PATH"
    lines, PATH relative to the index file. Returns {real path: spam} or None when there is no index."""
    for candidate in (os.path.join(corpus, "full", "index"), os.path.join(corpus, "index")):
        if os.path.isfile(candidate):
            labels = {}
            with open(candidate) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 2 and parts[0].lower() in ("spam", "ham"):
                        path = os.path.realpath(os.path.join(os.path.dirname(candidate), parts[1]))
                        labels[path] = parts[0].lower() == "spam"
            return labels
    return None


def corpus_messages(corpus):
    """Yields (entry, spam, bytes) for every message of the corpus folder. Its top-level items are tar archives (any
    compression tarfile reads: .tar.gz, .tgz, .tar.bz2, .tar.xz, .tar), directories (every file below them) or mbox
    files (.mbox, or a file starting with "From "); labels as label() says. The entry name is the archive member's
    name, or the directory or mbox name and the path below it, so the SpamAssassin corpus gives the same entries (and
    folds) whether its archives are packed or unpacked. With a TREC index (trec_index), exactly the files it names
    are read, with its labels."""
    index = trec_index(corpus)
    if index is not None:
        for path in sorted(index):
            with open(path, "rb") as f:
                yield os.path.relpath(path, os.path.realpath(corpus)).replace(os.sep, "/"), index[path], f.read()
        return
    for item in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, item)
        if item.startswith("."):
            continue
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name == "cmds" or name.startswith("."):
                        continue
                    full = os.path.join(dirpath, name)
                    entry = os.path.relpath(full, corpus).replace(os.sep, "/")
                    with open(full, "rb") as f:
                        yield entry, label(item, entry), f.read()
        elif tarfile.is_tarfile(path):
            with tarfile.open(path) as tar:
                for member in tar:
                    base = os.path.basename(member.name)
                    if not member.isfile() or base == "cmds" or base.startswith("."):
                        continue
                    with tar.extractfile(member) as src:
                        yield member.name, label(item, member.name), src.read()
        elif item.endswith(".mbox") or _starts_with(path, b"From "):
            for i, message in enumerate(mailbox.mbox(path, create=False)):
                yield "%s/%06d" % (item, i), item.lower().startswith("spam"), message.as_bytes()


def _starts_with(path, prefix):
    with open(path, "rb") as f:
        return f.read(len(prefix)) == prefix


def split(corpus, work, folds):
    index = []
    for entry, spam, data in corpus_messages(corpus):
        target = os.path.join(work, "msgs", entry)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as dst:
            dst.write(data)
        fold = zlib.crc32(entry.encode("utf-8")) % folds
        index.append((entry, spam, fold))
    spam_count = sum(1 for _, spam, _ in index if spam)
    if spam_count in (0, len(index)):
        sys.exit("folds.py: %s holds %d messages, %d of them spam: the bench needs some of each (spam under a name "
                 "starting with spam, ham under one starting or ending with ham, or a TREC index file)" % (corpus, len(index), spam_count))
    with open(os.path.join(work, "index.tsv"), "w") as out:
        for entry, spam, fold in index:
            out.write("%s\t%d\t%d\n" % (entry, 1 if spam else 0, fold))
    for k in range(folds):
        base = os.path.join(work, "fold%d" % k)
        for sub in ("train-spam", "train-ham", "test"):
            os.makedirs(os.path.join(base, sub), exist_ok=True)
        for entry, spam, fold in index:
            name = ("spam~" if spam else "ham~") + entry.replace("/", "_")
            sub = "test" if fold == k else ("train-spam" if spam else "train-ham")
            link = os.path.join(base, sub, name)
            if not os.path.exists(link):
                os.link(os.path.join(work, "msgs", entry), link)
    print("%d messages (%d spam) in %d folds" % (len(index), spam_count, folds))


def auc(rows):
    """Probability that a random spam scores above a random ham; ties count half (Mann-Whitney U)."""
    rows = sorted(rows, key=lambda r: r[1])
    n_spam = sum(1 for r in rows if r[0] == 1)
    n_ham = len(rows) - n_spam
    if n_spam == 0 or n_ham == 0:
        return float("nan")
    rank_sum, i = 0.0, 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j][1] == rows[i][1]:
            j += 1
        mid = (i + 1 + j) / 2.0
        rank_sum += mid * sum(1 for r in rows[i:j] if r[0] == 1)
        i = j
    return (rank_sum - n_spam * (n_spam + 1) / 2.0) / (n_spam * n_ham)


def metrics(name, t5, t7, path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                rows.append((int(parts[0]), float(parts[1]), float(parts[-1])))
    spam = [s for l, s, _ in rows if l == 1]
    ham = [s for l, s, _ in rows if l == 0]
    recall = 100.0 * sum(1 for s in spam if s >= t5) / max(1, len(spam))
    fp5 = 100.0 * sum(1 for s in ham if s >= t5) / max(1, len(ham))
    fp7 = 100.0 * sum(1 for s in ham if s >= t7) / max(1, len(ham))
    print("%s\t%.2f\t%.3f\t%.3f\t%.4f\t%d\t%d" % (name, recall, fp5, fp7, auc([(l, a) for l, _, a in rows]), len(spam), len(ham)))


if __name__ == "__main__":
    if sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "metrics":
        metrics(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    else:
        sys.exit(__doc__)
