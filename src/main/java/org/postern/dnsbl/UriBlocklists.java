package org.postern.dnsbl;

import org.postern.dns.DnsResolver;
import org.postern.dns.DnsResolver.Answer;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * URI blocklists (DBL/SURBL style, RFC 5782 §2.3): a domain found in a message's links is listed on a zone when
 * {@code <domain>.<zone>} has an A record in 127.0.0.0/8 (127.255.255.0/24 is the list refusing the query, not a
 * listing). {@link #lookup} starts every (domain, zone) question at once on virtual threads, at most
 * {@value #IN_FLIGHT} in flight per message, and {@link Pending#await} collects what answered by the deadline: an
 * unanswered or failed question is "not listed" (and counted), never a delay past the deadline or a refusal.
 */
public final class UriBlocklists {

    /** Concurrent questions per message: a message with many link domains must not flood the resolver. */
    static final int IN_FLIGHT = 8;

    /** One listing: the domain, the zone, the zone's weight and the answer codes. */
    public record Hit(String domain, String zone, int weight, List<String> codes) { }

    /** What the lists said about one message's domains; {@code unanswered} questions count as not listed. */
    public record Result(List<Hit> hits, int asked, int unanswered) { }

    private final List<DnsList> zones;
    private final DnsResolver dns;
    private final Duration wait;

    public UriBlocklists(List<DnsList> zones, DnsResolver dns, Duration wait) {
        this.zones = List.copyOf(zones);
        this.dns = dns;
        this.wait = wait;
    }

    public static UriBlocklists none() {
        return new UriBlocklists(List.of(), null, Duration.ZERO);
    }

    public boolean isEmpty() {
        return zones.isEmpty();
    }

    /** Starts asking every zone about every domain; returns at once. */
    public Pending lookup(List<String> domains) {
        long deadline = System.nanoTime() + wait.toNanos();
        if (zones.isEmpty() || domains.isEmpty()) return new Pending(List.of(), deadline);
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<Question> questions = new ArrayList<>();
        for (String domain : domains) {
            String d = domain.toLowerCase(Locale.ROOT);
            for (DnsList zone : zones) {
                CompletableFuture<Object> answer = new CompletableFuture<>();
                questions.add(new Question(d, zone, answer));
                Thread.ofVirtual().name("postern-uribl").start(() -> {
                    try {
                        if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                            answer.complete(Unanswered.INSTANCE);
                            return;
                        }
                        try {
                            answer.complete(ask(d, zone));
                        } finally {
                            slots.release();
                        }
                    } catch (InterruptedException e) {
                        answer.complete(Unanswered.INSTANCE);
                    } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                    }
                });
            }
        }
        return new Pending(questions, deadline);
    }

    private enum Unanswered { INSTANCE }

    private record Question(String domain, DnsList zone, CompletableFuture<Object> answer) { }

    /** A Hit, Boolean.FALSE for not listed, or Unanswered for a temporary failure or a refused query. */
    private Object ask(String domain, DnsList zone) {
        Answer<InetAddress> answer = dns.a(domain + "." + zone.zone());
        return switch (answer) {
            case Answer.NotFound<InetAddress> n -> Boolean.FALSE;
            case Answer.TempFail<InetAddress> t -> Unanswered.INSTANCE;
            case Answer.Found<InetAddress> found -> {
                List<InetAddress> values = found.values();
                if (values.stream().anyMatch(DnsList::isErrorAnswer) && values.stream().noneMatch(DnsList::isListingAnswer)) {
                    yield Unanswered.INSTANCE;
                }
                var weight = zone.weightOf(values);
                yield weight.isEmpty() ? Boolean.FALSE : new Hit(domain, zone.zone(), weight.getAsInt(),
                        values.stream().map(com.google.common.net.InetAddresses::toAddrString).sorted().toList());
            }
        };
    }

    /** Questions under way for one message. */
    public static final class Pending {
        private final List<Question> questions;
        private final long deadlineNanos;

        private Pending(List<Question> questions, long deadlineNanos) {
            this.questions = questions;
            this.deadlineNanos = deadlineNanos;
        }

        /** The listings that answered by the deadline, in the order of the domains, then the zones. */
        public Result await() {
            List<Hit> hits = new ArrayList<>();
            int unanswered = 0;
            for (Question q : questions) {
                Object r;
                try {
                    r = q.answer().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    r = Unanswered.INSTANCE;
                } catch (TimeoutException | ExecutionException e) {
                    r = Unanswered.INSTANCE;
                }
                if (r instanceof Hit h) hits.add(h);
                if (r == Unanswered.INSTANCE) unanswered++;
            }
            return new Result(hits, questions.size(), unanswered);
        }
    }
}
