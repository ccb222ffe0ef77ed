package org.postern.smtp;

/** Makes one handler per accepted connection. */
@FunctionalInterface
public interface SessionHandlerFactory {
    SessionHandler newSession();
}
