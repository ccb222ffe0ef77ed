package org.postern.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A SessionHandler for protocol tests: accepts everything unless told otherwise, records every call as a short
 * event string, and keeps completed messages in memory.
 */
final class RecordingHandler implements SessionHandler {

    private static final AtomicLong REFS = new AtomicLong();

    final String ref = "T" + REFS.incrementAndGet();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<byte[]> messages = new CopyOnWriteArrayList<>();
    final List<String> aborts = new CopyOnWriteArrayList<>();
    final List<Reply> refusals = new CopyOnWriteArrayList<>();
    final List<TlsInfo> tls = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile String closeReason;
    /** Most octets any one sink received: shows the session stopped forwarding a refused message. */
    final AtomicLong largestSinkWrite = new AtomicLong();

    Reply greeting = Reply.greeting("mx.test");
    Function<RcptTo, Reply> rcptAnswer = r -> Reply.of(250, "2.1.5", "Ok");
    Reply completeAnswer = Reply.of(250, "2.0.0", "Ok: queued");
    /** Whether this listener offers AUTH; the right password is "secret". */
    volatile boolean offersAuth;
    /** The credentials AUTH handed over, as "MECHANISM user password". */
    final List<String> credentials = new CopyOnWriteArrayList<>();

    /** When set, the sink's stream fails on every write, like a full disk. */
    volatile boolean sinkFails;

    @Override public Reply connect(ConnectionInfo connection) {
        events.add("connect");
        return greeting;
    }

    @Override public Reply helo(HeloInfo helo) {
        events.add((helo.extended() ? "ehlo:" : "helo:") + helo.name());
        return Reply.of(250, "2.0.0", "Hello");
    }

    @Override public void tlsEstablished(TlsInfo info) {
        events.add("tls:" + info.protocol());
        tls.add(info);
    }

    @Override public boolean offersAuth() {
        return offersAuth;
    }

    @Override public Reply authenticate(String mechanism, String user, String password) {
        events.add("auth:" + mechanism + ":" + user);
        credentials.add(mechanism + " " + user + " " + password);
        return password.equals("secret") ? Reply.of(235, "2.7.0", "Authentication successful")
                : Reply.of(535, "5.7.8", "Authentication credentials invalid");
    }

    @Override public Reply mailFrom(MailFrom mailFrom) {
        events.add("mail:" + mailFrom.address());
        return Reply.of(250, "2.1.0", "Ok");
    }

    @Override public Reply rcptTo(RcptTo rcptTo) {
        events.add("rcpt:" + rcptTo.address());
        return rcptAnswer.apply(rcptTo);
    }

    @Override public Reply dataStart() {
        events.add("dataStart");
        return Reply.of(354, "", "go ahead");
    }

    @Override public MessageSink openMessage() {
        events.add("openMessage");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new MessageSink() {
            @Override public OutputStream content() {
                return new OutputStream() {
                    @Override public void write(int b) throws IOException {
                        if (sinkFails) throw new IOException("disk full");
                        buffer.write(b);
                        largestSinkWrite.accumulateAndGet(buffer.size(), Math::max);
                    }

                    @Override public void write(byte[] b, int off, int len) throws IOException {
                        if (sinkFails) throw new IOException("disk full");
                        buffer.write(b, off, len);
                        largestSinkWrite.accumulateAndGet(buffer.size(), Math::max);
                    }
                };
            }

            @Override public Reply complete(long size) {
                events.add("complete:" + size);
                messages.add(buffer.toByteArray());
                return completeAnswer;
            }

            @Override public void abort(String why) {
                events.add("abort");
                aborts.add(why);
            }
        };
    }

    @Override public void reset() {
        events.add("reset");
    }

    @Override public void protocolRefusal(String command, Reply reply) {
        events.add("refusal:" + command + ":" + reply.code());
        refusals.add(reply);
    }

    @Override public void closed(String reason) {
        events.add("closed:" + reason);
        closeReason = reason;
        closed.countDown();
    }

    @Override public String reference() {
        return ref;
    }

    /** Waits for closed() and returns its reason. */
    String awaitClosed() {
        try {
            if (!closed.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("session not closed; last events "
                        + events.subList(Math.max(0, events.size() - 20), events.size()));
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return closeReason;
    }

    boolean closedWithin(Duration d) {
        try {
            return closed.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Events of one kind, e.g. "mail:" → the MAIL commands the handler saw. */
    List<String> eventsStartingWith(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }
}
