package org.postern.policy;

/** SMTP phases in the order knowledge arrives (ARCHITECTURE, "The one idea that shapes everything"). */
public enum Phase {
    CONNECT, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA
}
