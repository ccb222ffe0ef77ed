package org.postern.edge;

import org.postern.rules.RuleOutcome;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What enforced transport rules change in the envelope and in the header block Postern adds. */
final class RuleEffects {

    private RuleEffects() { }

    /** A redirect replaces the recipients; added recipients join them (no repeats). */
    static List<String> recipients(List<String> accepted, RuleOutcome rules) {
        Set<String> out = new LinkedHashSet<>();
        if (rules.redirect().isPresent()) out.add(rules.redirect().get());
        else out.addAll(accepted);
        out.addAll(rules.addedRecipients());
        return new ArrayList<>(out);
    }

    /** Fields a rule adds (names and values were validated when the rule was applied: no CR, LF or our own fields). */
    static String addedHeaders(RuleOutcome rules) {
        StringBuilder sb = new StringBuilder();
        for (RuleOutcome.HeaderField f : rules.headersToAdd()) sb.append(f.name()).append(": ").append(f.value()).append("\r\n");
        return sb.toString();
    }
}
