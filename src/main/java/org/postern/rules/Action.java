package org.postern.rules;

/**
 * What a rule does when it matches (the {@code then} map of INTERFACES §3), validated when the rule was compiled:
 * header names and values, addresses and texts are safe to write as they are.
 */
public sealed interface Action {

    /** The action as the trace shows it, e.g. {@code set-scl -1} or {@code add-header X-External: yes}. */
    String describe();

    /** {@code set-scl: -1..9}: overrides the spam confidence level; the last rule that sets it wins. */
    record SetScl(int scl) implements Action {
        @Override public String describe() { return "set-scl " + scl; }
    }

    /**
     * {@code reject: TEXT}: refuse the message in the SMTP session with the tenant's text (printable ASCII);
     * ends rule processing.
     */
    record Reject(String text) implements Action {
        @Override public String describe() { return "reject \"" + text + "\""; }
    }

    /** {@code quarantine: true}: hold the message in quarantine. */
    record Quarantine() implements Action {
        @Override public String describe() { return "quarantine"; }
    }

    /** {@code redirect: ADDR}: deliver to this address instead of the recipients; the last redirect wins. */
    record Redirect(String address) implements Action {
        @Override public String describe() { return "redirect " + address; }
    }

    /** {@code add-recipient: ADDR}: deliver a copy to this address as well. */
    record AddRecipient(String address) implements Action {
        @Override public String describe() { return "add-recipient " + address; }
    }

    /** {@code add-header: {Name: value}}: one field per entry; never a Postern, Received or Authentication-Results field. */
    record AddHeader(String name, String value) implements Action {
        @Override public String describe() { return "add-header " + name + ": " + value; }
    }

    /** {@code remove-header: Name}: remove every field of that name as received. */
    record RemoveHeader(String name) implements Action {
        @Override public String describe() { return "remove-header " + name; }
    }

    /** {@code prepend-subject: TEXT}: put the text before the subject. */
    record PrependSubject(String text) implements Action {
        @Override public String describe() { return "prepend-subject \"" + text + "\""; }
    }

    /** {@code delete: true}: accept and drop the message silently; ends rule processing. */
    record Delete() implements Action {
        @Override public String describe() { return "delete"; }
    }

    /** {@code stop: true} (in {@code then} or on the rule): later rules are not processed. */
    record Stop() implements Action {
        @Override public String describe() { return "stop"; }
    }
}
