package org.postern.edge;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lockout after repeated failed SMTP AUTH: a user name that failed {@code userFailures} times within the window, or
 * a client address that failed {@code ipFailures} times (password spraying across many users), is refused without a
 * password check until the window has passed since the last failure counted. Per node, in memory: a restart forgets
 * it, as Postfix's anvil does.
 */
final class AuthLockout {

    /** The limits; {@link #DEFAULTS}: 5 failures per user, 10 per address, within 15 minutes. */
    record Settings(int userFailures, int ipFailures, Duration window) {
        static final Settings DEFAULTS = new Settings(5, 10, Duration.ofMinutes(15));
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    AuthLockout(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Why the attempt is refused unchecked, if it is: "user alice@contoso.test" or "client 192.0.2.1". */
    Optional<String> locked(InetAddress ip, String user) {
        Instant now = clock.instant();
        if (recent(userKey(user), now) >= settings.userFailures()) {
            return Optional.of("user " + user + " locked after " + settings.userFailures() + " failed authentications within "
                    + settings.window().toMinutes() + " min");
        }
        if (recent(ipKey(ip), now) >= settings.ipFailures()) {
            return Optional.of("client " + ip.getHostAddress() + " locked after " + settings.ipFailures()
                    + " failed authentications within " + settings.window().toMinutes() + " min");
        }
        return Optional.empty();
    }

    void failed(InetAddress ip, String user) {
        Instant now = clock.instant();
        record(userKey(user), now);
        record(ipKey(ip), now);
        if (failures.size() > 100_000) failures.entrySet().removeIf(e -> recent(e.getKey(), now) == 0);
    }

    /** A success does not clear the address's count: a sprayer who guesses one password stays slowed. */
    void succeeded(String user) {
        failures.remove(userKey(user));
    }

    private void record(String key, Instant now) {
        failures.compute(key, (k, times) -> {
            Deque<Instant> d = times == null ? new ArrayDeque<>() : times;
            d.addLast(now);
            while (d.size() > Math.max(settings.userFailures(), settings.ipFailures())) d.removeFirst();
            return d;
        });
    }

    private int recent(String key, Instant now) {
        Instant since = now.minus(settings.window());
        int[] n = {0};
        failures.computeIfPresent(key, (k, d) -> {
            d.removeIf(t -> !t.isAfter(since));
            n[0] = d.size();
            return d.isEmpty() ? null : d;
        });
        return n[0];
    }

    private static String userKey(String user) {
        return "u:" + user.strip().toLowerCase(Locale.ROOT);
    }

    private static String ipKey(InetAddress ip) {
        return "i:" + ip.getHostAddress();
    }
}
