package org.postern.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for one directory: makes renames and unlinks in it durable with fsync(2) on the directory, and lets
 * concurrent callers share one fsync. A caller takes a ticket after its rename; one caller at a time (the leader)
 * fsyncs on behalf of every ticket issued before it started, the others wait. A ticket issued while an fsync runs
 * is not covered by it, because its rename may have missed that fsync; it waits for the next one.
 *
 * <p>Directory fsync works on Linux and the BSDs; it is how Postfix and every MTA make a queue file's name durable.
 */
final class DirectorySync {

    private final Path dir;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long issued;
    private long synced;
    private boolean leaderRunning;

    DirectorySync(Path dir) {
        this.dir = dir;
    }

    /** Returns once every change made to the directory before this call is durable. */
    void sync() throws IOException {
        lock.lock();
        try {
            long ticket = ++issued;
            while (synced < ticket) {
                if (leaderRunning) {
                    done.awaitUninterruptibly();
                    continue;
                }
                leaderRunning = true;
                long covers = issued;
                IOException failure = null;
                lock.unlock();
                try {
                    fsync(dir);
                } catch (IOException e) {
                    failure = e;
                } finally {
                    lock.lock();
                    leaderRunning = false;
                    if (failure == null) synced = Math.max(synced, covers);
                    done.signalAll();
                }
                // The waiters covered by a failed fsync are not told; one of them leads the next attempt.
                if (failure != null) throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    static void fsync(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
