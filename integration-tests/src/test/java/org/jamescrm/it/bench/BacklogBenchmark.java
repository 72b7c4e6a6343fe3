package org.jamescrm.it.bench;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;


/**
 * The backlog run of docs/RELIABILITY.md: does James's heap stay bounded while captures pile up?
 * A James of the product's layout in its own JVM with {@code -Xmx512m} (BACKLOG_HEAP to change) and
 * a GC log, capturing into the Bitrix24 emulator, which is down from the start (a proxy's 502 page).
 * SMTP clients send {@code captures} client mails, then one mail with a large attachment (25 MB),
 * then two mails of 36 MB at once. Once every mail is in its mailbox, the backlog waits a minute,
 * the portal comes back and the backlog drains. Captures retry every 30 seconds here, up to 1,000
 * times, so that none is parked while the portal is down and the drain does not wait for the
 * product's long steps. Reports whether James ran out of memory, the peak heap (before and after
 * a collection, from the GC log), full collections and evacuation failures, the capture queue's
 * depth, and the drain time. Run by {@code bin/benchmark backlog [captures] [attachment MB] [big mail MB]};
 * with {@code BACKLOG_CAPTURE=false} the same James runs without the capture mailet, for comparison.
 * With {@code BACKLOG_DIRECTION=outbound} Alice sends the same mails to the clients instead, through
 * RemoteDelivery's smarthost ({@link Smarthost}, in this JVM, announcing 8BITMIME as real relays do):
 * James's memory server then keeps none of them in its in-heap mailboxes, and what the heap holds is
 * James's queues and the capture's. With
 * {@code BACKLOG_QUEUE=activemq} James's queues are its ActiveMQ queue (a KahaDB store on disk), so
 * that neither James's spool and outgoing queue nor the capture queue keep their mails in the heap.
 * Each full collection and evacuation failure is reported with the phase of the run it fell in, and
 * each evacuation failure with its cause (out of room, or a pinned region). Should James's
 * RemoteDelivery stop delivering with mails left in its outgoing queue (it can on ActiveMQ), the run
 * goes on after {@link #STALLED} and reports how many never left.
 * {@code BACKLOG_JAVA_OPTS} adds options to James's JVM, e.g. a flight recording of allocations by
 * thread ({@code -XX:StartFlightRecording=filename=...,settings=profile}) to learn whose garbage a
 * collection was.
 */
public final class BacklogBenchmark {
    private static final String ALICE = "alice@company.example";
    private static final Pattern COLLECTION = Pattern.compile("GC\\(\\d+\\) (Pause \\w+).*? (\\d+)M->(\\d+)M\\((\\d+)M\\)");
    /** The JVM's uptime a GC log line starts with ({@code -Xlog:gc:...:uptime}). */
    private static final Pattern UPTIME = Pattern.compile("^\\[(\\d+(?:[.,]\\d+)?)s\\]");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** How long James may deliver nothing, its spool empty, before the run goes on without the mails left in its outgoing queue. */
    private static final Duration STALLED = Duration.ofMinutes(3);
    /** Why G1 failed to evacuate: {@code Allocation} (no room to copy to: the heap is full) or {@code Pinned} (a region held in place). */
    /** A mail queue's size in WebAdmin's answer ({@code {"name":"spool","size":0}}). */
    private static final Pattern QUEUE_SIZE = Pattern.compile("\"size\":(\\d+)");
    private static final Pattern EVACUATION_FAILURE = Pattern.compile("Evacuation Failure: (\\w+)");

    private BacklogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int captures = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int attachment = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int bigMail = args.length > 2 ? Integer.parseInt(args[2]) : 36;
        String heap = System.getenv().getOrDefault("BACKLOG_HEAP", "512m");
        // BACKLOG_CAPTURE=false runs the same James without the capture mailet: what the mail server alone costs
        boolean capture = !"false".equals(System.getenv("BACKLOG_CAPTURE"));
        // outbound: the mails leave for a smarthost, so that the memory server's in-heap mailbox holds none of them
        boolean outbound = "outbound".equals(System.getenv("BACKLOG_DIRECTION"));
        Direction direction = outbound ? Direction.OUTBOUND : Direction.INBOUND;
        // activemq: James's queues on disk, so that the heap holds neither James's queued mails nor the capture queue's
        JamesProcess.Server jamesServer = "activemq".equals(System.getenv("BACKLOG_QUEUE")) ? JamesProcess.Server.ACTIVEMQ_QUEUES : JamesProcess.Server.MEMORY;
        Optional<Smarthost> smarthost = outbound ? Optional.of(Smarthost.start()) : Optional.empty();
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().rateLimit(1000, 100).start()) {
            portal.addUser(Map.of("NAME", "Alice", "LAST_NAME", "Adams", "EMAIL", ALICE, "ACTIVE", "Y"));
            portal.faults().everyMatching(request -> true, Bitrix24Emulator.Fault.response(502, "text/html",
                "<html><body>502 Bad Gateway</body></html>").kitFault());
            Map<String, UnaryOperator<String>> edits = Map.of(
                "crm-capture.xml", ignored -> """
                    <crmcapture>
                      <connector>bitrix24</connector>
                      <bitrix24>
                        <portal>%s</portal>
                        <webhook user="%d" code="%s"/>
                      </bitrix24>
                    </crmcapture>
                    """.formatted(portal.portalUrl(), portal.webhookUserId(), portal.webhookCode()),
                "mailetcontainer.xml", xml -> {
                    String configured = smarthost.map(server -> JamesProcess.withSmarthost(xml, server.port())).orElse(xml);
                    return capture
                        ? configured.replaceFirst("<retryDelays>[^<]*</retryDelays>", "<retryDelays>30 seconds</retryDelays>")
                            .replaceFirst("<maxRetries>[^<]*</maxRetries>", "<maxRetries>1000</maxRetries>")
                        : JamesProcess.withoutCapture(configured);
                });
            List<String> jvmOptions = new ArrayList<>(List.of("-Xmx" + heap, "-Xlog:gc:file=gc.log:uptime", "-XX:+ExitOnOutOfMemoryError"));
            jvmOptions.addAll(Arrays.asList(System.getenv().getOrDefault("BACKLOG_JAVA_OPTS", "").split("\\s+")));
            jvmOptions.removeIf(String::isBlank);
            try (JamesProcess james = JamesProcess.start("backlog", edits, jvmOptions, jamesServer)) {
                james.addUser(ALICE);
                QueueDepth depth = new QueueDepth(james.webAdmin);
                depth.start();
                Phases phases = new Phases(james.process().info().startInstant().orElseThrow());
                long start = System.nanoTime();
                phases.begin("sending the small mails");
                send(james.smtp, captures, direction);
                double sendSeconds = (System.nanoTime() - start) / 1e9;
                phases.begin("sending the large mails");
                sendLarge(james.smtp, List.of("<attachment-1@client.example>"), attachment, direction);
                sendLarge(james.smtp, List.of("<big-1@client.example>", "<big-2@client.example>"), bigMail, direction);
                phases.begin("delivering what is left");
                String notDelivered = "";
                if (smarthost.isPresent()) {
                    int sent = awaitSent(smarthost.get(), james, captures + 3, Duration.ofMinutes(30));
                    if (sent < captures + 3) {
                        notDelivered = " (" + (captures + 3 - sent) + " never left: James's outgoing queue held "
                            + queueSize(james.webAdmin, "outgoing") + " with no delivery for " + STALLED.toMinutes() + " minutes)";
                    }
                } else {
                    james.awaitInbox(ALICE, captures + 3, Duration.ofMinutes(30));
                }
                double deliveredSeconds = (System.nanoTime() - start) / 1e9;
                phases.begin("the outage, all delivered");
                Thread.sleep(60_000); // the backlog waits, retried every 30 s
                portal.faults().clear();
                phases.begin("the drain, the portal back");
                long back = System.nanoTime();
                long deadline = back + Duration.ofMinutes(20).toNanos();
                int captured = 0;
                while (capture && System.nanoTime() < deadline && james.process().isAlive()) {
                    captured = (int) benchmarkActivities(portal).distinct().count();
                    if (captured >= captures + 3) {
                        break;
                    }
                    Thread.sleep(500);
                }
                int written = (int) benchmarkActivities(portal).count(); // more than captured: a mail captured twice
                double drainSeconds = (System.nanoTime() - back) / 1e9;
                depth.stop();
                boolean alive = james.process().isAlive();
                String log = Files.readString(james.file("james.log"));
                List<String> gc = Files.readAllLines(james.file("gc.log"));
                Path kept = Path.of("target", "backlog-gc.log");
                Files.createDirectories(kept.getParent());
                Files.write(kept, gc);
                phases.begin("the end");
                report(captures, attachment, bigMail, heap, sendSeconds, deliveredSeconds, notDelivered, drainSeconds, captured,
                    written, alive, log.contains("OutOfMemoryError"), gc, depth.max.get(), kept, direction, jamesServer);
                phases.report(gc);
            }
        } finally {
            if (smarthost.isPresent()) {
                smarthost.get().close();
            }
        }
        System.exit(0);
    }

    /** The origin ids (Message-IDs) of the activities the portal holds for the benchmark's mails, one per activity. */
    private static Stream<String> benchmarkActivities(Bitrix24Emulator portal) {
        return portal.activities().stream().map(activity -> String.valueOf(activity.get("ORIGIN_ID")))
            .filter(id -> id.startsWith("<backlog-") || id.startsWith("<attachment-") || id.startsWith("<big-"));
    }

    /** Which way the mails go: from the clients to Alice's mailbox, or from Alice to the clients through the smarthost. */
    private enum Direction {
        INBOUND, OUTBOUND;

        String sender(String client) {
            return this == INBOUND ? client : ALICE;
        }

        String recipient(String client) {
            return this == INBOUND ? ALICE : client;
        }

        String arrived() {
            return this == INBOUND ? "all in the mailbox" : "all received by the smarthost";
        }
    }

    /**
     * Waits until the smarthost has received {@code count} mails from James, or until it has received
     * none for {@link #STALLED} with James's spool empty: James's RemoteDelivery on its ActiveMQ queue
     * can leave a few mails in its outgoing queue for good (a delivery thread blocks in the queue's
     * receive()), with the capture or without it, and the capture's figures do not wait for those.
     *
     * @return how many mails the smarthost received
     */
    private static int awaitSent(Smarthost smarthost, JamesProcess james, int count, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        int received;
        long progressed = System.nanoTime();
        while ((received = smarthost.received()) < count) {
            if (!james.process().isAlive()) {
                throw new IllegalStateException("James stopped; see " + james.file("james.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the smarthost did not receive " + count + " mails within " + limit);
            }
            Thread.sleep(500);
            if (smarthost.received() > received) {
                progressed = System.nanoTime();
            } else if (System.nanoTime() - progressed > STALLED.toNanos() && queueSize(james.webAdmin, "spool") == 0) {
                return smarthost.received();
            }
        }
        return received;
    }

    /** The size of one of James's mail queues, from its WebAdmin. */
    private static long queueSize(int webAdmin, String queue) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdmin + "/mailQueues/" + queue)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        Matcher size = QUEUE_SIZE.matcher(body);
        return size.find() ? Long.parseLong(size.group(1)) : -1;
    }

    private static void report(int captures, int attachment, int bigMail, String heap, double sendSeconds, double deliveredSeconds,
                               String notDelivered, double drainSeconds, int captured, int written, boolean alive, boolean outOfMemory,
                               List<String> gc, int maxDepth, Path kept, Direction direction, JamesProcess.Server server) {
        long peakBefore = 0;
        long peakAfter = 0;
        int collections = 0;
        int full = 0;
        for (String line : gc) {
            Matcher collection = COLLECTION.matcher(line);
            if (collection.find()) {
                collections++;
                peakBefore = Math.max(peakBefore, Long.parseLong(collection.group(2)));
                if (!line.contains("Evacuation Failure")) { // a failed evacuation leaves the heap full: no measure of what lives
                    peakAfter = Math.max(peakAfter, Long.parseLong(collection.group(3)));
                }
                if (collection.group(1).equals("Pause Full")) {
                    full++;
                }
            }
        }
        long evacuationFailures = gc.stream().filter(line -> line.contains("Evacuation Failure") || line.contains("To-space exhausted")).count();
        // a pinned region (JDK 22+) is one G1 could not move, not a heap out of room
        long pinned = gc.stream().filter(line -> line.contains("Evacuation Failure: Pinned")).count();
        System.out.printf(Locale.ROOT, """

            Backlog: %d client mails (%s) + one %d MB attachment + two %d MB mails at once, portal down, James -Xmx%s, %s queues
            sent in %.1f s, %s after %.1f s%s; %d captures in the capture queue at most
            portal back: %d of %d captured after %.1f s, in %d activities (one a mail: %s)
            James alive at the end: %s; OutOfMemoryError in its log: %s
            collections: %d, full collections: %d, evacuation failures: %d (out of room: %d, pinned regions: %d)
            peak heap before a collection: %d MB; largest heap left after a collection (evacuation failures aside): %d MB
            GC log kept in %s
            """, captures, direction.name().toLowerCase(Locale.ROOT), attachment, bigMail, heap,
            server == JamesProcess.Server.ACTIVEMQ_QUEUES ? "activemq" : "memory", sendSeconds,
            direction.arrived(), deliveredSeconds, notDelivered, maxDepth, captured, captures + 3, drainSeconds, written, written == captured,
            alive, outOfMemory, collections, full, evacuationFailures, evacuationFailures - pinned, pinned, peakBefore, peakAfter, kept.toAbsolutePath());
    }

    /** The phases of the run, in James's uptime, to tell which one each full collection and evacuation failure fell in. */
    private static final class Phases {
        private final Instant jamesStarted;
        private final List<String> names = new ArrayList<>();
        private final List<Double> starts = new ArrayList<>();

        Phases(Instant jamesStarted) {
            this.jamesStarted = jamesStarted;
            names.add("James starting");
            starts.add(0.0);
        }

        void begin(String name) {
            names.add(name);
            starts.add(Duration.between(jamesStarted, Instant.now()).toMillis() / 1e3);
        }

        void report(List<String> gc) {
            Map<String, List<String>> events = new LinkedHashMap<>();
            names.forEach(name -> events.put(name, new ArrayList<>()));
            for (String line : gc) {
                Matcher uptime = UPTIME.matcher(line);
                boolean full = line.contains("Pause Full");
                boolean failed = line.contains("Evacuation Failure") || line.contains("To-space exhausted");
                if (uptime.find() && (full || failed)) {
                    double at = Double.parseDouble(uptime.group(1).replace(',', '.'));
                    int phase = 0;
                    while (phase + 1 < starts.size() && starts.get(phase + 1) <= at) {
                        phase++;
                    }
                    Matcher cause = EVACUATION_FAILURE.matcher(line);
                    String what = full ? "full" : "evacuation failure" + (cause.find() ? " (" + cause.group(1).toLowerCase(Locale.ROOT) + ")" : "");
                    events.get(names.get(phase)).add(String.format(Locale.ROOT, "%s at %.1f s", what, at));
                }
            }
            System.out.println("full collections and evacuation failures by phase (James's uptime):");
            for (int phase = 0; phase + 1 < names.size(); phase++) {
                List<String> fell = events.get(names.get(phase));
                System.out.printf(Locale.ROOT, "  %-28s %6.1f-%6.1f s: %s%n", names.get(phase), starts.get(phase), starts.get(phase + 1),
                    fell.isEmpty() ? "none" : String.join(", ", fell));
            }
        }
    }

    /** Sends {@code count} small client mails from 8 SMTP connections, each from a client of its own. */
    private static void send(int port, int count, Direction direction) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                senders.add(pool.submit(() -> {
                    SMTPClient smtp = connect(port);
                    try {
                        int n;
                        while ((n = next.getAndIncrement()) < count) {
                            String client = "client" + n + "@client" + (n % 100) + ".example";
                            String sender = direction.sender(client);
                            String recipient = direction.recipient(client);
                            int mail = n;
                            transfer(smtp, sender, recipient, data -> data.write("From: " + sender + "\r\nTo: " + recipient
                                + "\r\nSubject: Order " + mail + "\r\nDate: Sat, 05 Dec 2026 10:00:00 +0000\r\nMessage-ID: <backlog-" + mail
                                + "@client.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                                + "We would like to order " + mail + " chairs, delivered before the end of the month.\r\n"));
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

    /** Sends one mail per Message-ID at the same time, each with an attachment of {@code megabytes}, written as it goes. */
    private static void sendLarge(int port, List<String> messageIds, int megabytes, Direction direction) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(messageIds.size());
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (String messageId : messageIds) {
                senders.add(pool.submit(() -> {
                    SMTPClient smtp = connect(port);
                    try {
                        String sender = direction.sender("carol@client.example");
                        String recipient = direction.recipient("carol@client.example");
                        transfer(smtp, sender, recipient, data -> writeLarge(data, sender, recipient, messageId, megabytes));
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

    private static void writeLarge(Writer data, String sender, String recipient, String messageId, int megabytes) throws IOException {
        data.write("From: " + sender + "\r\nTo: " + recipient + "\r\nSubject: The plans\r\n"
            + "Date: Sat, 05 Dec 2026 10:00:00 +0000\r\nMessage-ID: " + messageId + "\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe plans.\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=\"plans.bin\"\r\n\r\n");
        byte[] chunk = new byte[57 * 1024]; // 57 bytes a base64 line
        Arrays.fill(chunk, (byte) 42);
        String encoded = Base64.getMimeEncoder().encodeToString(chunk) + "\r\n";
        for (long left = (long) megabytes << 20; left > 0; left -= chunk.length) {
            data.write(encoded);
        }
        data.write("--b--\r\n");
    }

    private interface Body {
        void write(Writer data) throws IOException;
    }

    private static SMTPClient connect(int port) throws IOException {
        SMTPClient smtp = new SMTPClient();
        smtp.connect("127.0.0.1", port);
        check(smtp, SMTPReply.isPositiveCompletion(smtp.helo("client.example")), "HELO");
        return smtp;
    }

    private static void transfer(SMTPClient smtp, String sender, String recipient, Body body) throws IOException {
        check(smtp, smtp.setSender(sender), "MAIL FROM");
        check(smtp, smtp.addRecipient(recipient), "RCPT TO");
        try (Writer data = smtp.sendMessageData()) {
            if (data == null) {
                throw new IOException("DATA refused: " + smtp.getReplyString());
            }
            body.write(data);
        }
        check(smtp, smtp.completePendingCommand(), "end of DATA");
    }

    private static void check(SMTPClient smtp, boolean ok, String step) throws IOException {
        if (!ok || !SMTPReply.isPositiveCompletion(smtp.getReplyCode())) {
            throw new IOException(step + " refused: " + smtp.getReplyString());
        }
    }

    /** The largest capture queue depth James's metrics showed, sampled every second. */
    private static final class QueueDepth {
        private static final Pattern SAMPLE = Pattern.compile("(?m)^crm_capture_queue_depth_crm_capture ([0-9.eE+-]+)$");
        private final int webAdmin;
        private final AtomicInteger max = new AtomicInteger();
        private volatile Thread sampler;

        QueueDepth(int webAdmin) {
            this.webAdmin = webAdmin;
        }

        void start() {
            Thread thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdmin + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                        Matcher sample = SAMPLE.matcher(metrics);
                        if (sample.find()) {
                            max.accumulateAndGet((int) Double.parseDouble(sample.group(1)), Math::max);
                        }
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        // James busy or stopping: the next sample
                    }
                }
            }, "queue-depth");
            thread.setDaemon(true);
            thread.start();
            sampler = thread;
        }

        void stop() {
            Thread running = sampler;
            if (running != null) {
                running.interrupt();
            }
        }
    }
}
