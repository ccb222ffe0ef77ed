package org.postern.edge;

import java.util.concurrent.Executor;

/** Executors the edge uses for work beside a session (one virtual thread per task). */
final class Threads {
    static final Executor VIRTUAL = task -> Thread.ofVirtual().name("postern-aside").start(task);

    private Threads() { }
}
