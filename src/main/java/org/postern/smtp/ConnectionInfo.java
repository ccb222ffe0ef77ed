package org.postern.smtp;

import java.net.InetAddress;

/**
 * What is known when a client connects: its address and which listener it reached.
 *
 * @param listener name of the listener ("smtp", "submission")
 */
public record ConnectionInfo(String sessionId, InetAddress clientAddress, int clientPort,
                             InetAddress localAddress, int localPort, String listener) {
}
