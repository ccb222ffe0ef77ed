package org.postern.auth.dmarc;

import java.io.IOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Test-only: a {@code public_suffix_list.dat} file read with the list's own algorithm (publicsuffix.org "Formal
 * algorithm": exception rules win, then the longest rule, then the implicit "*"). Used to compare the Debian
 * 2023-02-09 snapshot with the list bundled in Guava.
 */
final class PublicSuffixListFile implements PublicSuffixList {

    private final Set<String> rules = new HashSet<>();
    private final Set<String> wildcards = new HashSet<>();
    private final Set<String> exceptions = new HashSet<>();

    PublicSuffixListFile(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String rule = line.strip();
            int space = rule.indexOf(' ');
            if (space >= 0) rule = rule.substring(0, space);
            if (rule.isEmpty() || rule.startsWith("//")) continue;
            rule = rule.toLowerCase(Locale.ROOT);
            if (rule.startsWith("!")) exceptions.add(rule.substring(1));
            else if (rule.startsWith("*.")) wildcards.add(rule.substring(2));
            else rules.add(rule);
        }
    }

    @Override
    public Optional<String> registrableDomain(String domain) {
        if (domain.isEmpty() || domain.startsWith(".") || domain.contains("..")) return Optional.empty();
        List<String> labels = List.of(domain.toLowerCase(Locale.ROOT).split("\\."));
        List<String> unicode = labels.stream().map(l -> IDN.toUnicode(l, IDN.ALLOW_UNASSIGNED)).toList();
        int suffixLabels = suffixLabelCount(unicode);
        if (labels.size() <= suffixLabels) return Optional.empty();
        return Optional.of(String.join(".", labels.subList(labels.size() - suffixLabels - 1, labels.size())));
    }

    private int suffixLabelCount(List<String> labels) {
        int best = 1; // the implicit "*" rule
        for (int n = 1; n <= labels.size(); n++) {
            String tail = String.join(".", labels.subList(labels.size() - n, labels.size()));
            if (exceptions.contains(tail)) return n - 1;
            if (rules.contains(tail)) best = Math.max(best, n);
            if (n > 1) {
                String parent = String.join(".", labels.subList(labels.size() - n + 1, labels.size()));
                if (wildcards.contains(parent)) best = Math.max(best, n);
            }
        }
        return best;
    }
}
