package org.postern.edge;

import org.postern.queue.Spool;
import org.postern.rules.RuleOutcome;

import java.io.IOException;
import java.io.OutputStream;
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

    /**
     * The content with the header fields rules remove left out and the subject prefixed, as a new spooled file (the
     * received one is discarded); {@code pending} itself when no rule changes the content.
     */
    static Spool.Pending rewritten(Spool spool, Spool.Pending pending, RuleOutcome rules) throws IOException {
        if (!HeaderRewrite.needed(rules.headersToRemove(), rules.subjectPrefix())) return pending;
        Spool.Pending rewritten = spool.begin();
        try (OutputStream out = rewritten.content()) {
            HeaderRewrite.rewrite(pending.contentFile(), out, rules.headersToRemove(), rules.subjectPrefix());
        } catch (IOException | RuntimeException e) {
            rewritten.discard();
            throw e;
        }
        pending.discard();
        return rewritten;
    }

    /** Fields a rule adds (names and values were validated when the rule was applied: no CR, LF or our own fields). */
    static String addedHeaders(RuleOutcome rules) {
        StringBuilder sb = new StringBuilder();
        for (RuleOutcome.HeaderField f : rules.headersToAdd()) sb.append(f.name()).append(": ").append(f.value()).append("\r\n");
        return sb.toString();
    }
}
