package org.postern.policy;

/** What happens to an accepted message. */
public sealed interface Disposition {

    /** A short lower-case name for headers and traces (deliver, junk, quarantine, drop, redirect). */
    String verdict();

    record Deliver() implements Disposition { public String verdict() { return "deliver"; } }

    record Junk() implements Disposition { public String verdict() { return "junk"; } }

    record Quarantine() implements Disposition { public String verdict() { return "quarantine"; } }

    record Drop() implements Disposition { public String verdict() { return "drop"; } }

    record Redirect(String address) implements Disposition { public String verdict() { return "redirect"; } }
}
