package org.postern.smtp;

import java.util.Map;
import java.util.OptionalLong;

/**
 * A parsed MAIL FROM. {@code address} is the reverse-path without angle brackets, "" for the null sender.
 * Parameters are upper-cased keys (SIZE, BODY, SMTPUTF8, ...) with their raw values ("" when valueless).
 * {@code body} is "7BIT" or "8BITMIME" (RFC 6152), or "" when the client sent no BODY parameter.
 * A source route ({@code <@a,@b:user@c>}) has already been removed (RFC 5321 Appendix C).
 */
public record MailFrom(String address, OptionalLong declaredSize, boolean smtpUtf8, String body, Map<String, String> parameters) {
    public MailFrom { parameters = Map.copyOf(parameters); }
    public boolean isNullSender() { return address.isEmpty(); }
    /** MAIL FROM ... REQUIRETLS (RFC 8689): the sender asks for verified TLS on every hop. */
    public boolean requireTls() { return parameters.containsKey("REQUIRETLS"); }
}
