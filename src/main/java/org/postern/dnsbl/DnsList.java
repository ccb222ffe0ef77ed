package org.postern.dnsbl;

import com.google.common.net.InetAddresses;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One list the operator configured ({@code dnsbl:} entry). A positive weight is a blocklist, a negative one an
 * allowlist (DNSWL) that offsets blocklist weight. With {@code return-codes} only the mapped answers count, each with
 * its own weight (e.g. a combined list answering 127.0.0.2 for spam sources and 127.0.0.10 for dynamic ranges).
 *
 * @param returnCodes answer address (e.g. "127.0.0.2") to weight; empty: every listing answer weighs {@code weight}
 */
public record DnsList(String zone, int weight, Map<String, Integer> returnCodes) {

    public DnsList {
        returnCodes = Map.copyOf(returnCodes);
    }

    public static DnsList of(String zone, int weight) {
        return new DnsList(zone, weight, Map.of());
    }

    /** RFC 5782 §2.1: listing answers are in 127.0.0.0/8, so they can never be mistaken for a real host. */
    static boolean isListingAnswer(InetAddress a) {
        byte[] b = a.getAddress();
        return a instanceof Inet4Address && b[0] == 127 && !isErrorAnswer(a);
    }

    /**
     * 127.255.255.0/24 is what large lists answer to a refused query (e.g. through a public resolver, or over quota):
     * an error of the lookup, never a listing.
     */
    static boolean isErrorAnswer(InetAddress a) {
        byte[] b = a.getAddress();
        return a instanceof Inet4Address && b[0] == 127 && b[1] == (byte) 255 && b[2] == (byte) 255;
    }

    /**
     * The weight of the answers, or empty when they do not list the address (no listing answer, or none of the
     * mapped return codes). Several mapped codes: the heaviest counts, so one list counts once.
     */
    OptionalInt weightOf(List<InetAddress> answers) {
        OptionalInt best = OptionalInt.empty();
        for (InetAddress a : answers) {
            if (!isListingAnswer(a)) continue;
            Optional<Integer> w = returnCodes.isEmpty() ? Optional.of(weight)
                    : Optional.ofNullable(returnCodes.get(InetAddresses.toAddrString(a)));
            if (w.isPresent() && (best.isEmpty() || Math.abs(w.get()) > Math.abs(best.getAsInt()))) best = OptionalInt.of(w.get());
        }
        return best;
    }
}
