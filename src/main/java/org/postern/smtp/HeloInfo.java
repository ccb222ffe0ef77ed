package org.postern.smtp;

/** The client's greeting: the name it gave and whether it used EHLO. */
public record HeloInfo(String name, boolean extended) {
}
