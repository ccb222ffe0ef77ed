package org.postern.edge;

import org.postern.config.OperatorConfig;
import org.postern.config.Units;
import org.postern.counters.Counters;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Lockout after repeated failed SMTP AUTH: a user name that failed {@code userFailures} times within the window, or
 * a client address that failed {@code ipFailures} times (password spraying across many users), is refused without a
 * password check until its failures have aged out of the (sliding) window. Counted with the node's counters, so with
 * {@code redis:} configured a lockout holds on every node.
 */
final class AuthLockout {

    /** The limits; {@link #DEFAULTS}: 5 failures per user, 10 per address, within 15 minutes. */
    record Settings(int userFailures, int ipFailures, Duration window) {
        static final Settings DEFAULTS = new Settings(5, 10, Duration.ofMinutes(15));

        /** {@code outbound.auth-lockout}, each limit defaulting to {@link #DEFAULTS}. */
        static Settings of(OperatorConfig config) {
            var configured = config.outbound().flatMap(OperatorConfig.Outbound::authLockout);
            return new Settings(
                    configured.flatMap(OperatorConfig.AuthLockout::userFailures).orElse(DEFAULTS.userFailures()),
                    configured.flatMap(OperatorConfig.AuthLockout::addressFailures).orElse(DEFAULTS.ipFailures()),
                    configured.flatMap(OperatorConfig.AuthLockout::window).map(Units::duration).orElse(DEFAULTS.window()));
        }

        /** "15 min", or "30 s" for a window that is not whole minutes. */
        String windowText() {
            return window.toSeconds() % 60 == 0 ? window.toMinutes() + " min" : window.toSeconds() + " s";
        }
    }

    private final Settings settings;
    private final Counters counters;

    AuthLockout(Settings settings, Counters counters) {
        this.settings = settings;
        this.counters = counters;
    }

    /** Why the attempt is refused unchecked, if it is: "user alice@contoso.test ..." or "client 192.0.2.1 ...". */
    Optional<String> locked(InetAddress ip, String user) {
        if (!counters.canTake(userKey(user), settings.userFailures(), settings.window())) {
            return Optional.of("user " + Submission.printable(user) + " locked after " + settings.userFailures()
                    + " failed authentications within " + settings.windowText());
        }
        if (!counters.canTake(ipKey(ip), settings.ipFailures(), settings.window())) {
            return Optional.of("client " + ip.getHostAddress() + " locked after " + settings.ipFailures()
                    + " failed authentications within " + settings.windowText());
        }
        return Optional.empty();
    }

    /** A failure counts against the user name and the address (a full budget just stays full). */
    void failed(InetAddress ip, String user) {
        counters.tryTake(userKey(user), settings.userFailures(), settings.window());
        counters.tryTake(ipKey(ip), settings.ipFailures(), settings.window());
    }

    private static String userKey(String user) {
        return "auth-fail:user:" + user.strip().toLowerCase(Locale.ROOT);
    }

    private static String ipKey(InetAddress ip) {
        return "auth-fail:ip:" + ip.getHostAddress();
    }
}
