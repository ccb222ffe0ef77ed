package org.postern.queue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recipients of one SMTP/LMTP transaction and the result each has so far; the first result for a recipient
 * is final. Whatever is unresolved when the transaction ends is deferred.
 */
final class RecipientResults {

    private final List<String> recipients;
    private final Map<String, RecipientResult> resolved = new HashMap<>();

    RecipientResults(List<String> recipients) {
        this.recipients = List.copyOf(recipients);
    }

    List<String> unresolved() {
        return recipients.stream().filter(r -> !resolved.containsKey(r)).toList();
    }

    void resolve(String recipient, SmtpReply reply, String detail) {
        resolved.putIfAbsent(recipient, reply.resultFor(recipient, detail));
    }

    void resolveUnresolved(SmtpReply reply, String detail) {
        for (String r : unresolved()) resolve(r, reply, detail);
    }

    void deferUnresolved(String detail) {
        for (String r : unresolved()) resolved.put(r, RecipientResult.deferred(r, detail));
    }

    /** One result per recipient, in envelope order. */
    List<RecipientResult> list() {
        deferUnresolved("no reply from the server");
        return recipients.stream().map(resolved::get).toList();
    }
}
