package org.postern.admin;

import org.postern.account.Principal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions (in memory: a restart logs everyone out, which is acceptable for an admin console) with a CSRF
 * token each, and the login rate limit: at most {@link #MAX_FAILURES} failed logins per client address and per login
 * name in {@link #WINDOW}; past it, even a right password waits (429).
 */
public final class Sessions {

    public record Session(String id, Principal principal, String csrf, Instant expires) { }

    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Duration IDLE = Duration.ofHours(8);

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public Sessions(Clock clock) {
        this.clock = clock;
    }

    public Session open(Principal p) {
        Session s = new Session(randomId(), p, randomId(), clock.instant().plus(IDLE));
        sessions.put(s.id(), s);
        return s;
    }

    public Optional<Session> find(String id) {
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        if (clock.instant().isAfter(s.expires())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void close(String id) { sessions.remove(id); }

    /** True when this client or this login name has failed too often lately. */
    public boolean throttled(String clientIp, String login) {
        return recent("ip:" + clientIp) >= MAX_FAILURES || recent("login:" + login.toLowerCase(java.util.Locale.ROOT)) >= MAX_FAILURES;
    }

    public void failed(String clientIp, String login) {
        if (failures.size() > 10_000) prune(); // random login names must not grow the map without end
        for (String key : new String[] {"ip:" + clientIp, "login:" + login.toLowerCase(java.util.Locale.ROOT)}) {
            Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (q) {
                q.addLast(clock.instant());
            }
        }
    }

    private void prune() {
        failures.keySet().removeIf(key -> recent(key) == 0);
        sessions.values().removeIf(x -> clock.instant().isAfter(x.expires()));
    }

    private int recent(String key) {
        Deque<Instant> q = failures.get(key);
        if (q == null) return 0;
        synchronized (q) {
            Instant cutoff = clock.instant().minus(WINDOW);
            while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) q.removeFirst();
            return q.size();
        }
    }

    private String randomId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
