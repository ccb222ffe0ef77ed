package org.postern.cli;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The few SMTP client steps the demo needs, over a real socket, printing nothing itself. */
final class DemoClient implements Closeable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    DemoClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Reads one (possibly multi-line) reply and returns its last line. */
    String reply() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) return "(connection closed)";
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    String send(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    /** DATA with the given message (lines joined by CRLF, dot-stuffed); returns the final reply. */
    String data(String message) throws IOException {
        String go = send("DATA");
        if (!go.startsWith("354")) return go;
        StringBuilder sb = new StringBuilder();
        for (String line : message.split("\r?\n", -1)) {
            sb.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        sb.append(".\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
