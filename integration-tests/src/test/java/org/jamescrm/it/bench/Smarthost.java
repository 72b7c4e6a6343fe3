package org.jamescrm.it.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smarthost of the backlog benchmark: an SMTP server (RFC 5321) that accepts every mail, counts
 * it and keeps nothing. It announces 8BITMIME, as the relays James hands mail to do (Postfix,
 * Exchange, the big providers): to a server that does not, James's RemoteDelivery loads each mail
 * whole to convert it to 7 bit, and the benchmark would measure that conversion of the 36 MB mails
 * rather than the capture. One thread a connection; the content is read line by line and dropped.
 */
final class Smarthost implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "smarthost");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger received = new AtomicInteger();

    private Smarthost(ServerSocket server) {
        this.server = server;
    }

    /** A smarthost listening on a free port of 127.0.0.1. */
    static Smarthost start() throws IOException {
        Smarthost smarthost = new Smarthost(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        smarthost.connections.execute(smarthost::accept);
        return smarthost;
    }

    /** The port it listens on. */
    int port() {
        return server.getLocalPort();
    }

    /** How many mails it has accepted. */
    int received() {
        return received.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 65536); OutputStream out = socket.getOutputStream()) {
            reply(out, "220 smarthost.example ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-smarthost.example\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES");
                    case "HELO" -> reply(out, "250 smarthost.example");
                    case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 2.0.0 OK");
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        String content;
                        while ((content = readLine(in)) != null && !content.equals(".")) {
                            // dropped: the benchmark counts mails, the content is James's to send
                        }
                        if (content == null) {
                            return;
                        }
                        received.incrementAndGet();
                        reply(out, "250 2.0.0 Accepted");
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.1 Not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to count
        }
    }

    /** A line without its CRLF (or LF); null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
