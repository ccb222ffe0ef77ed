package org.postern.content;

import java.net.IDN;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a domain imitates one of the tenant's own: the same name in other letters (Cyrillic "а" for Latin "a",
 * "rn" for "m", "0" for "o"), one or two typing slips away, or the tenant's name dressed up
 * ("contoso-secure.example"). Compares the registrable domains' first labels; a domain of the tenant's own
 * organisation is never a lookalike.
 */
final class LookalikeDomains {

    /** Characters that render like a Latin letter or digit (a small part of Unicode's confusables table). */
    private static final Map<Character, Character> CONFUSABLE = Map.ofEntries(
            Map.entry('а', 'a'), Map.entry('е', 'e'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'),
            Map.entry('у', 'y'), Map.entry('х', 'x'), Map.entry('і', 'i'), Map.entry('ј', 'j'), Map.entry('ѕ', 's'),
            Map.entry('ԁ', 'd'), Map.entry('һ', 'h'), Map.entry('ӏ', 'l'), Map.entry('ο', 'o'), Map.entry('α', 'a'),
            Map.entry('ν', 'v'), Map.entry('ι', 'i'), Map.entry('κ', 'k'), Map.entry('τ', 't'), Map.entry('ρ', 'p'),
            Map.entry('0', 'o'), Map.entry('1', 'l'), Map.entry('3', 'e'), Map.entry('5', 's'), Map.entry('i', 'l'),
            Map.entry('à', 'a'), Map.entry('á', 'a'), Map.entry('â', 'a'), Map.entry('ä', 'a'), Map.entry('é', 'e'),
            Map.entry('è', 'e'), Map.entry('ê', 'e'), Map.entry('ë', 'e'), Map.entry('í', 'l'), Map.entry('ï', 'l'),
            Map.entry('ó', 'o'), Map.entry('ö', 'o'), Map.entry('ô', 'o'), Map.entry('ú', 'u'), Map.entry('ü', 'u'));

    private static final int MIN_NAME = 4;

    private LookalikeDomains() {
    }

    /** The tenant domain that {@code candidate} imitates, with how, e.g. "contoso.test by homoglyphs". */
    static Optional<String> imitates(String candidate, Collection<String> tenantDomains) {
        String candidateOrg = LinkAnalysis.organisationOf(ascii(candidate));
        for (String own : tenantDomains) {
            if (candidateOrg.equals(own(own).organisation())) return Optional.empty(); // the tenant's own organisation
        }
        String theirs = firstLabel(unicode(candidateOrg));
        for (String domain : tenantDomains) {
            Own own = own(domain);
            if (own.name().length() < MIN_NAME) continue;
            Optional<String> how = compare(theirs, own.name());
            if (how.isPresent()) return Optional.of(own.organisation() + " by " + how.get());
        }
        return Optional.empty();
    }

    /** A tenant domain's organisation and the name a lookalike imitates ("contoso" of mail.contoso.co.uk). */
    private record Own(String organisation, String name) { }

    /**
     * Tenant domains are few and asked about for every message; IDN conversion and the public suffix list are not
     * cheap, so each domain is worked out once (the map is emptied if a configuration ever makes it large).
     */
    private static final Map<String, Own> OWN = new ConcurrentHashMap<>();
    private static final int OWN_LIMIT = 100_000;

    private static Own own(String domain) {
        Own known = OWN.get(domain);
        if (known != null) return known;
        if (OWN.size() >= OWN_LIMIT) OWN.clear();
        String org = LinkAnalysis.organisationOf(ascii(domain));
        Own own = new Own(org, firstLabel(unicode(org)));
        OWN.put(domain, own);
        return own;
    }

    private static Optional<String> compare(String theirs, String ours) {
        if (theirs.equals(ours)) return Optional.of("the same name under another suffix");
        if (skeleton(theirs).equals(skeleton(ours))) return Optional.of("look-alike characters");
        int distance = distance(theirs, ours);
        if (distance <= (ours.length() >= 9 ? 2 : 1)) return Optional.of("edit distance " + distance);
        if (ours.length() >= 5 && theirs.contains(ours)) return Optional.of("containing the name");
        return Optional.empty();
    }

    /** What a reader sees: confusable letters folded, "rn" read as "m", "vv" as "w", hyphens ignored. */
    static String skeleton(String label) {
        StringBuilder out = new StringBuilder(label.length());
        for (char c : label.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '-') continue;
            out.append(CONFUSABLE.getOrDefault(c, c));
        }
        return out.toString().replace("rn", "m").replace("vv", "w").replace("cl", "d");
    }

    /** Damerau–Levenshtein (optimal string alignment): a swap of neighbours is one slip, as when typing. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2) return 3;
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String firstLabel(String domain) {
        int dot = domain.indexOf('.');
        return dot < 0 ? domain : domain.substring(0, dot);
    }

    private static String ascii(String domain) {
        try {
            return IDN.toASCII(domain.strip(), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (RuntimeException e) {
            return domain.strip().toLowerCase(Locale.ROOT);
        }
    }

    private static String unicode(String domain) {
        try {
            return IDN.toUnicode(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (RuntimeException e) {
            return domain;
        }
    }
}
