package org.postern.dnsbl;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the configured lists said about one address: the lists that listed it (with weight, answers and the TXT of
 * the listing), the lists that could not be asked, and the threshold the summed weight is held against.
 *
 * @param looked false when no list is configured (nothing was asked)
 */
public record Listings(String address, List<Hit> hits, List<Failure> failures, int threshold, boolean looked) {

    /** A list that listed the address. {@code weight} is negative for an allowlist. */
    public record Hit(String zone, int weight, List<String> answers, Optional<String> txt) {
        public Hit { answers = List.copyOf(answers); }
    }

    /** A list that gave no usable answer (timeout, SERVFAIL, error code): counted as not listed. */
    public record Failure(String zone, String why) { }

    public Listings {
        hits = List.copyOf(hits);
        failures = List.copyOf(failures);
    }

    public static Listings notLooked() {
        return new Listings("", List.of(), List.of(), Integer.MAX_VALUE, false);
    }

    /** The summed weight of every list that listed the address (allowlists subtract). */
    public int score() {
        return hits.stream().mapToInt(Hit::weight).sum();
    }

    /** At or over the threshold: the operator's lists would refuse this client, unless a tenant's trust overrides. */
    public boolean refuse() {
        return hits.stream().anyMatch(h -> h.weight() > 0) && score() >= threshold;
    }

    /** The blocklists (positive weight) that listed the address, heaviest first: the ones a refusal names. */
    public List<Hit> blocklistHits() {
        return hits.stream().filter(h -> h.weight() > 0).sorted(Comparator.comparingInt(Hit::weight).reversed()).toList();
    }

    /** One line for the trace: "zen.dnsbl.test=10 (127.0.0.2), wl.test=-5 (127.0.0.3); score 5, threshold 10". */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (Hit h : hits) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(h.zone()).append('=').append(h.weight()).append(" (").append(String.join(" ", h.answers())).append(')');
        }
        if (sb.isEmpty()) sb.append("not listed");
        return sb.append("; score ").append(score()).append(", threshold ").append(threshold).toString();
    }
}
