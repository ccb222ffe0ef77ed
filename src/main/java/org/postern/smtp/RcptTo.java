package org.postern.smtp;

import java.util.Map;

/** A parsed RCPT TO: the forward-path without angle brackets, and upper-cased parameters. */
public record RcptTo(String address, Map<String, String> parameters) {
    public RcptTo { parameters = Map.copyOf(parameters); }
}
