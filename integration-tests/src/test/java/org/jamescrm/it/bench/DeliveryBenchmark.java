package org.jamescrm.it.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;

/**
 * The delivery benchmark of docs/BENCHMARKS.md: what the capture costs the mail server. A fresh
 * James 3.8.1 (the layout james-config builds, as {@code bin/run-james} starts it, in its own JVM)
 * per run, with the product's configuration, or the same without the {@code CaptureToCrm} mailet;
 * runs alternate in pairs. Each run warms up, then SMTP clients send client mail to a mailbox and
 * the run is timed until IMAP shows every mail; James's CPU time over the run is read from the
 * process. Run by {@code bin/benchmark delivery [pairs] [mails] [clients] [KB per mail]}; with
 * {@code -Dbench.jfr=DIR} the capture runs record a JFR profile into DIR, and
 * {@code -Dbench.installation=DIR} measures another build's layout.
 */
public final class DeliveryBenchmark {
    private static final Duration INBOX_LIMIT = Duration.ofMinutes(10);
    private static final int WARM_UP = 300;

    private final int mails;
    private final int clients;
    private final String body;

    private DeliveryBenchmark(int mails, int clients, int kilobytes) {
        this.mails = mails;
        this.clients = clients;
        this.body = body(kilobytes);
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int mails = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int kilobytes = args.length > 3 ? Integer.parseInt(args[3]) : 21;
        DeliveryBenchmark benchmark = new DeliveryBenchmark(mails, clients, kilobytes);
        System.out.printf(Locale.ROOT, "%nDelivery: %d mails of %d KB from %d SMTP clients, fresh James per run, %s%n%n", mails, kilobytes,
            clients, JamesProcess.INSTALLATION.toAbsolutePath().normalize());
        System.out.println("| pair | with capture mails/s | without mails/s | ratio | CPU ms/mail with | CPU ms/mail without |");
        System.out.println("|---|---|---|---|---|---|");
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuDeltas = new ArrayList<>();
        for (int pair = 1; pair <= pairs; pair++) {
            Run with;
            Run without;
            if (pair % 2 == 1) {
                with = benchmark.run(true, pair);
                without = benchmark.run(false, pair);
            } else {
                without = benchmark.run(false, pair);
                with = benchmark.run(true, pair);
            }
            double ratio = with.perSecond() / without.perSecond();
            ratios.add(ratio);
            cpuDeltas.add(with.cpuMillisPerMail() - without.cpuMillisPerMail());
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.3f | %.3f | %.3f |%n", pair, with.perSecond(), without.perSecond(), ratio,
                with.cpuMillisPerMail(), without.cpuMillisPerMail());
        }
        System.out.printf(Locale.ROOT, "%nmedian ratio with / without: %.3f; median CPU difference: %.3f ms per mail%n", median(ratios),
            median(cpuDeltas));
    }

    private record Run(double perSecond, double cpuMillisPerMail) {
    }

    private Run run(boolean capture, int pair) throws Exception {
        List<String> options = new ArrayList<>();
        String jfr = System.getProperty("bench.jfr");
        if (capture && jfr != null) {
            Files.createDirectories(Path.of(jfr));
            options.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr).toAbsolutePath().resolve("capture-" + pair + ".jfr"));
        }
        Map<String, UnaryOperator<String>> edits = capture ? Map.of() : Map.of("mailetcontainer.xml", JamesProcess::withoutCapture);
        try (JamesProcess james = JamesProcess.start("delivery", edits, options)) {
            for (String user : List.of("alice@company.example", "bob@company.example")) {
                james.addUser(user);
            }
            send(james.smtp, WARM_UP, "warm-" + pair);
            james.awaitInbox("alice@company.example", WARM_UP, INBOX_LIMIT);
            Thread.sleep(1000);
            Duration cpuBefore = cpu(james.process());
            long start = System.nanoTime();
            send(james.smtp, mails, "run-" + pair);
            james.awaitInbox("alice@company.example", WARM_UP + mails, INBOX_LIMIT);
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(1000); // the captures that follow delivery
            Duration cpu = cpu(james.process()).minus(cpuBefore);
            return new Run(mails / seconds, cpu.toNanos() / 1e6 / mails);
        }
    }

    /** Sends {@code count} client mails to Alice from {@link #clients} connections, each sending its share in turn. */
    private void send(int port, int count, String run) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                senders.add(pool.submit(() -> {
                    SMTPClient smtp = new SMTPClient();
                    smtp.connect("127.0.0.1", port);
                    try {
                        check(smtp, SMTPReply.isPositiveCompletion(smtp.helo("client.example")), "HELO");
                        int n;
                        while ((n = next.getAndIncrement()) < count) {
                            // a client of its own per mail: the capture's flood guard parks many mails of one client
                            String sender = run + "-client" + n + "@client" + (n % 50) + ".example";
                            check(smtp, smtp.setSender(sender), "MAIL FROM");
                            check(smtp, smtp.addRecipient("alice@company.example"), "RCPT TO");
                            try (Writer data = smtp.sendMessageData()) {
                                if (data == null) {
                                    throw new IOException("DATA refused: " + smtp.getReplyString());
                                }
                                data.write(message(sender, "<" + run + "-" + n + "@client.example>", n));
                            }
                            check(smtp, smtp.completePendingCommand(), "end of DATA");
                        }
                        smtp.logout();
                    } finally {
                        smtp.disconnect();
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void check(SMTPClient smtp, boolean ok, String step) throws IOException {
        if (!ok || !SMTPReply.isPositiveCompletion(smtp.getReplyCode())) {
            throw new IOException(step + " refused: " + smtp.getReplyString());
        }
    }

    private String message(String sender, String messageId, int n) {
        return "From: Client " + n + " <" + sender + ">\r\nTo: Alice Adams <alice@company.example>\r\nSubject: Order " + n
            + "\r\nDate: Sat, 05 Dec 2026 10:00:00 +0000\r\nMessage-ID: " + messageId + "\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n" + body;
    }

    /** A text and an HTML part, together about {@code kilobytes} KB. */
    private static String body(int kilobytes) {
        StringBuilder text = new StringBuilder();
        String line = "We would like to order the items of the attached list, delivered before the end of the month.\r\n";
        while (text.length() < kilobytes * 1024 / 2) {
            text.append(line);
        }
        StringBuilder html = new StringBuilder("<html><body>");
        while (html.length() < kilobytes * 1024 / 2) {
            html.append("<p>").append(line.strip()).append("</p>\r\n");
        }
        html.append("</body></html>\r\n");
        return "--alt\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "--alt\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
            + html + "--alt--\r\n";
    }

    private static Duration cpu(Process process) {
        return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for James's process"));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
