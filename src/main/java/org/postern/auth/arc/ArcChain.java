package org.postern.auth.arc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 8617 §5.2 steps 1 to 3: collect the ARC header fields, group them into sets by instance, and check the
 * structure: exactly one AAR, AMS and AS per instance, instances 1..N without gaps, N at most 50, {@code cv=none} on
 * the first seal and {@code cv=pass} on every later one (a {@code cv=fail} anywhere ends the chain).
 */
final class ArcChain {

    static final String SEAL = "ARC-Seal";
    static final String MESSAGE_SIGNATURE = "ARC-Message-Signature";
    static final String AUTHENTICATION_RESULTS = "ARC-Authentication-Results";
    static final int MAX_SETS = 50;

    /** {@code i=<1..50>;} at the start of an AAR (RFC 8617 §4.1.1: {@code arc-info = instance [CFWS] ";" ...}). */
    private static final Pattern AAR_INSTANCE = Pattern.compile("^[ \\t\\r\\n]*i[ \\t\\r\\n]*=[ \\t\\r\\n]*([0-9]+)[ \\t\\r\\n]*;");
    private static final Pattern INSTANCE = Pattern.compile("[0-9]{1,2}");

    /** The outcome of collecting: no ARC fields, a broken structure, or the sets in instance order. */
    sealed interface Collected {
        record Empty() implements Collected { }

        record Broken(ArcProblem problem, String why, int highestInstance) implements Collected { }

        record Sets(List<ArcSet> sets) implements Collected { }
    }

    private ArcChain() {
    }

    static Collected collect(List<HeaderField> headers) {
        Map<Integer, List<HeaderField>> aars = new TreeMap<>();
        Map<Integer, List<HeaderField>> amss = new TreeMap<>();
        Map<Integer, List<HeaderField>> seals = new TreeMap<>();
        Map<Integer, TagList> amsTags = new TreeMap<>();
        Map<Integer, TagList> sealTags = new TreeMap<>();
        int fields = 0;
        for (HeaderField h : headers) {
            if (h.isNamed(AUTHENTICATION_RESULTS)) {
                fields++;
                Matcher m = AAR_INSTANCE.matcher(h.value());
                Optional<Integer> i = m.find() ? instance(m.group(1)) : Optional.empty();
                if (i.isEmpty()) return broken("ARC-Authentication-Results without a valid leading i=", aars, amss, seals);
                aars.computeIfAbsent(i.get(), k -> new ArrayList<>()).add(h);
            } else if (h.isNamed(MESSAGE_SIGNATURE) || h.isNamed(SEAL)) {
                fields++;
                boolean seal = h.isNamed(SEAL);
                Optional<TagList> tags = TagList.parse(h.value());
                if (tags.isEmpty()) return broken(h.name() + " is not a valid tag list", aars, amss, seals);
                Optional<Integer> i = tags.get().get("i").flatMap(ArcChain::instance);
                if (i.isEmpty()) return broken(h.name() + " without a valid i=", aars, amss, seals);
                (seal ? seals : amss).computeIfAbsent(i.get(), k -> new ArrayList<>()).add(h);
                (seal ? sealTags : amsTags).put(i.get(), tags.get());
            }
        }
        if (fields == 0) return new Collected.Empty();
        return assemble(aars, amss, seals, amsTags, sealTags);
    }

    private static Collected assemble(Map<Integer, List<HeaderField>> aars, Map<Integer, List<HeaderField>> amss,
                                      Map<Integer, List<HeaderField>> seals, Map<Integer, TagList> amsTags,
                                      Map<Integer, TagList> sealTags) {
        int n = highest(aars, amss, seals);
        if (n > MAX_SETS) {
            return new Collected.Broken(ArcProblem.TOO_MANY_SETS, "instance " + n + " exceeds " + MAX_SETS, n);
        }
        // Step 2 before step 3: a newest seal saying cv=fail ends validation whatever else is wrong.
        if (seals.containsKey(n) && seals.get(n).size() == 1 && cv(sealTags.get(n)).equals("fail")) {
            return new Collected.Broken(ArcProblem.CHAIN_MARKED_FAILED, "ARC-Seal i=" + n + " has cv=fail", n);
        }
        List<ArcSet> sets = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            for (var group : List.of(Map.entry(AUTHENTICATION_RESULTS, aars), Map.entry(MESSAGE_SIGNATURE, amss),
                    Map.entry(SEAL, seals))) {
                int count = group.getValue().getOrDefault(i, List.of()).size();
                if (count != 1) {
                    return new Collected.Broken(ArcProblem.BROKEN_STRUCTURE,
                            count + " " + group.getKey() + " header fields for instance " + i, n);
                }
            }
            String cv = cv(sealTags.get(i));
            String expected = i == 1 ? "none" : "pass";
            if (!cv.equals(expected)) {
                return new Collected.Broken(cv.equals("fail") ? ArcProblem.CHAIN_MARKED_FAILED
                        : ArcProblem.BROKEN_STRUCTURE, "ARC-Seal i=" + i + " has cv=" + cv + ", expected " + expected, n);
            }
            sets.add(new ArcSet(i, aars.get(i).getFirst(), amss.get(i).getFirst(), amsTags.get(i),
                    seals.get(i).getFirst(), sealTags.get(i), cv));
        }
        return new Collected.Sets(sets);
    }

    /** RFC 8617 §4.2.1: {@code cv} is none, fail or pass; ABNF literals are case-insensitive. */
    private static String cv(TagList seal) {
        return seal.get("cv").map(v -> v.toLowerCase(Locale.ROOT)).orElse("");
    }

    /** {@code instance = 1*2DIGIT}, 1 to 50 (RFC 8617 §4.2.1); larger values are caught as too many sets. */
    private static Optional<Integer> instance(String text) {
        String t = text.strip();
        if (!INSTANCE.matcher(t).matches()) return Optional.empty();
        int i = Integer.parseInt(t);
        return i >= 1 ? Optional.of(i) : Optional.empty();
    }

    @SafeVarargs
    private static int highest(Map<Integer, List<HeaderField>>... maps) {
        int n = 0;
        for (Map<Integer, List<HeaderField>> m : maps) {
            for (int k : m.keySet()) n = Math.max(n, k);
        }
        return n;
    }

    @SafeVarargs
    private static Collected broken(String why, Map<Integer, List<HeaderField>>... seen) {
        return new Collected.Broken(ArcProblem.BROKEN_STRUCTURE, why, highest(seen));
    }
}
