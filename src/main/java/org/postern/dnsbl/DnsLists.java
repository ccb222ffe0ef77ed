package org.postern.dnsbl;

import com.google.common.net.InetAddresses;
import org.postern.dns.DnsResolver;
import org.postern.dns.DnsResolver.Answer;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The operator's DNS lists and how to ask them. {@link #lookup} starts one lookup per list at once, each on its own
 * virtual thread, and returns at once; {@link Pending#await()} collects the answers later (at RCPT), waiting at most
 * until the deadline. Answers are cached for their TTL by the resolver, so a client that reconnects costs no query.
 */
public final class DnsLists {

    /** Longest a listing's TXT may be in a reply; DNS data is foreign input. */
    private static final int MAX_TXT = 200;
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().name("postern-dnsbl").start(task);

    private final List<DnsList> lists;
    private final int threshold;
    private final DnsResolver dns;
    private final Duration wait;

    /** @param wait how long after the lookups started an answer is still waited for (then: not listed, traced) */
    public DnsLists(List<DnsList> lists, int threshold, DnsResolver dns, Duration wait) {
        this.lists = List.copyOf(lists);
        this.threshold = threshold;
        this.dns = dns;
        this.wait = wait;
    }

    public static DnsLists none() {
        return new DnsLists(List.of(), Integer.MAX_VALUE, null, Duration.ZERO);
    }

    public boolean isEmpty() {
        return lists.isEmpty();
    }

    /** Starts asking every list about {@code ip}; nothing blocks here. */
    public Pending lookup(InetAddress ip) {
        if (lists.isEmpty()) return new Pending(ip, List.of(), System.nanoTime());
        List<CompletableFuture<Object>> futures = new ArrayList<>();
        for (DnsList list : lists) futures.add(CompletableFuture.supplyAsync(() -> ask(list, ip), VIRTUAL));
        return new Pending(ip, futures, System.nanoTime() + wait.toNanos());
    }

    /** One list's answer: a Listings.Hit, a Listings.Failure, or Boolean.FALSE for "not listed". */
    private Object ask(DnsList list, InetAddress ip) {
        String name = QueryNames.of(ip, list.zone());
        Answer<InetAddress> answer = dns.a(name);
        return switch (answer) {
            case Answer.NotFound<InetAddress> n -> Boolean.FALSE;
            case Answer.TempFail<InetAddress> t -> new Listings.Failure(list.zone(), "temporary DNS failure: " + t.why());
            case Answer.Found<InetAddress> found -> interpret(list, name, found.values());
        };
    }

    private Object interpret(DnsList list, String name, List<InetAddress> answers) {
        List<String> codes = answers.stream().map(InetAddresses::toAddrString).sorted().toList();
        if (answers.stream().anyMatch(DnsList::isErrorAnswer) && answers.stream().noneMatch(DnsList::isListingAnswer)) {
            return new Listings.Failure(list.zone(), "the list refused the query (" + String.join(" ", codes) + ")");
        }
        OptionalInt weight = list.weightOf(answers);
        if (weight.isEmpty()) return Boolean.FALSE;
        // RFC 5782 §2.1: the TXT at the same name explains the listing; a failure here costs the text, not the hit.
        Optional<String> txt = dns.txt(name) instanceof Answer.Found<String> t && !t.values().isEmpty()
                ? Optional.of(printable(t.values().get(0))) : Optional.empty();
        return new Listings.Hit(list.zone(), weight.getAsInt(), codes, txt.filter(s -> !s.isBlank()));
    }

    /** Keeps a TXT safe to quote in an SMTP reply line: printable ASCII only, bounded. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < MAX_TXT; i++) {
            char c = s.charAt(i);
            // brackets would let a list's text imitate our own "[ref=...]"
            sb.append(c == '[' ? '(' : c == ']' ? ')' : c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString().trim();
    }

    /** Lookups under way for one address. */
    public final class Pending {
        private final InetAddress ip;
        private final List<CompletableFuture<Object>> futures;
        private final long deadlineNanos;

        private Pending(InetAddress ip, List<CompletableFuture<Object>> futures, long deadlineNanos) {
            this.ip = ip;
            this.futures = futures;
            this.deadlineNanos = deadlineNanos;
        }

        /** The answers so far; a list still silent at the deadline counts as not listed and is reported. */
        public Listings await() {
            if (lists.isEmpty()) return Listings.notLooked();
            List<Listings.Hit> hits = new ArrayList<>();
            List<Listings.Failure> failures = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                Object r;
                try {
                    r = futures.get(i).get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    r = new Listings.Failure(lists.get(i).zone(), "interrupted");
                } catch (java.util.concurrent.TimeoutException e) {
                    r = new Listings.Failure(lists.get(i).zone(), "no answer within " + wait.toMillis() + " ms");
                } catch (java.util.concurrent.ExecutionException e) {
                    r = new Listings.Failure(lists.get(i).zone(), "lookup failed: " + e.getCause());
                }
                if (r instanceof Listings.Hit h) hits.add(h);
                if (r instanceof Listings.Failure f) failures.add(f);
            }
            return new Listings(InetAddresses.toAddrString(ip), hits, failures, threshold, true);
        }
    }
}
