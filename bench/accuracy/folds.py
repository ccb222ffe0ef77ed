#!/usr/bin/env python3
"""Helpers of bench/accuracy/run.sh (standard library only).

  folds.py split CORPUS WORK FOLDS   extracts the SpamAssassin corpus archives into WORK/msgs/<archive>/<file> and
                                     writes, for each fold k, hard-linked directories WORK/fold<k>/{train-spam,
                                     train-ham,test}; a message is in fold CRC-32(entry name) mod FOLDS (fold 0 of
                                     5 is the held-out side of the bundled model's split). Labels: spam* archives.
  folds.py metrics NAME T5 T7 FILE   FILE holds "label score [auc-score]" lines (label 1 spam, 0 ham): the
                                     thresholds apply to score, the ROC AUC to auc-score when given (Postern: the
                                     SCL, then its unrounded total); prints one TSV line:
                                     NAME recall@T5 FP@T5 FP@T7 AUC spam ham (rates in %).
"""
import os
import sys
import tarfile
import zlib


def split(corpus, work, folds):
    index = []
    for archive in sorted(os.listdir(corpus)):
        if not archive.endswith(".tar.gz"):
            continue
        spam = archive.startswith("spam")
        with tarfile.open(os.path.join(corpus, archive)) as tar:
            for member in tar:
                if not member.isfile():
                    continue
                entry = member.name
                base = os.path.basename(entry)
                if base == "cmds" or base.startswith("."):
                    continue
                target = os.path.join(work, "msgs", entry)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with tar.extractfile(member) as src, open(target, "wb") as dst:
                    dst.write(src.read())
                fold = zlib.crc32(entry.encode("utf-8")) % folds
                index.append((entry, spam, fold))
    with open(os.path.join(work, "index.tsv"), "w") as out:
        for entry, spam, fold in index:
            out.write("%s\t%d\t%d\n" % (entry, 1 if spam else 0, fold))
    for k in range(folds):
        base = os.path.join(work, "fold%d" % k)
        for sub in ("train-spam", "train-ham", "test"):
            os.makedirs(os.path.join(base, sub), exist_ok=True)
        for entry, spam, fold in index:
            name = entry.replace("/", "_")
            sub = "test" if fold == k else ("train-spam" if spam else "train-ham")
            link = os.path.join(base, sub, name)
            if not os.path.exists(link):
                os.link(os.path.join(work, "msgs", entry), link)
    print("%d messages (%d spam) in %d folds" % (len(index), sum(1 for i in index if i[1]), folds))


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
