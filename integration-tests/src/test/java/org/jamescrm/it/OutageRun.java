package org.jamescrm.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.james.GuiceJamesServer;
import org.jamescrm.emulator.EmulatorRequest;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;

/**
 * A CRM outage under load, end to end: SMTP clients send client mail to a real James 3.8.1 with the
 * product installed, capturing into the Bitrix24 emulator at the portal's default limits. A while
 * after the first mail the portal goes down (every request answered by a proxy's 502 page); when it
 * comes back, a storm follows (503s, {@code QUERY_LIMIT_EXCEEDED}, 429 {@code OPERATION_TIME_LIMIT},
 * 2 s of latency, dropped connections), then calm. The mails are sent evenly over the three phases.
 * The run then waits until every capture is in the portal and reports what a mail administrator
 * would check: every mail in its mailbox, every capture in the CRM exactly once, what the portal
 * saw as misuse, and how long the backlog took to drain.
 *
 * <p>The end-to-end test runs a short plan; {@code bin/benchmark outage} runs the long one
 * ({@link org.jamescrm.it.bench.OutageBenchmark}).
 */
public final class OutageRun {
    static final String ALICE = "alice@company.example";
    private static final String PROXY_502 = "<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>";

    /**
     * What to run.
     *
     * @param mails        client mails sent in all
     * @param clients      SMTP clients sending at the same time
     * @param before       sending before the outage
     * @param outage       how long the portal is down
     * @param storm        how long the storm after the outage lasts
     * @param drainLimit   how long to wait, after the storm, for the last capture
     * @param durable      James's ActiveMQ queue and file repository instead of the memory server's
     * @param queueParameters CaptureToCrm parameters that replace the product's ({@code retryDelays},
     *                     {@code breakerProbe}, ...); empty for the product's configuration
     */
    public record Plan(int mails, int clients, Duration before, Duration outage, Duration storm, Duration drainLimit, boolean durable,
                       Map<String, String> queueParameters) {
        Duration sending() {
            return before.plus(outage).plus(storm);
        }
    }

    /**
     * What came out.
     *
     * @param inMailboxes   mails found in Alice's INBOX over IMAP, each Message-ID counted once
     * @param captured      mails with exactly one activity in the portal
     * @param lost          mails with no activity in the portal when the run ended
     * @param duplicated    mails with more than one activity (or lead) in the portal
     * @param violations    what the emulator recorded as misuse of the portal
     * @param drain         from the portal's return (the outage's end) to the last capture in it
     * @param drainAfterStorm from the storm's end to the last capture in the portal (zero when it came before)
     * @param peakHeapBytes the largest used heap sampled in this JVM (James, the emulator and the clients)
     * @param refusedRequests portal requests answered with an HTTP error status (the outage's and the storm's)
     */
    public record Figures(Plan plan, int inMailboxes, int captured, int lost, int duplicated, List<String> violations, Duration drain,
                          Duration drainAfterStorm, long peakHeapBytes, long refusedRequests) {
        /** One line per figure, for the benchmark's output and docs/RELIABILITY.md. */
        public String report() {
            return String.join("\n",
                "flavour:            " + (plan.durable() ? "ActiveMQ queue + file repository" : "memory server (product configuration)"),
                "mails:              " + plan.mails() + " from " + plan.clients() + " SMTP clients over " + plan.sending().toSeconds() + " s",
                "outage:             " + plan.outage().toSeconds() + " s, then a storm of " + plan.storm().toSeconds() + " s",
                "in mailboxes:       " + inMailboxes,
                "captured once:      " + captured,
                "lost:               " + lost,
                "duplicated:         " + duplicated,
                "emulator violations: " + violations.size(),
                "refused requests:   " + refusedRequests,
                "drain:              " + drain.toMillis() / 1000.0 + " s after the portal came back, "
                    + drainAfterStorm.toMillis() / 1000.0 + " s after the storm ended",
                "peak heap:          " + peakHeapBytes / (1024 * 1024) + " MB (this JVM)");
        }
    }

    private final Plan plan;

    private OutageRun(Plan plan) {
        this.plan = plan;
    }

    /** Runs {@code plan} on a fresh James in a temporary folder and returns the figures. */
    public static Figures run(Plan plan) throws Exception {
        return new OutageRun(plan).run();
    }

    private Figures run() throws Exception {
        Path folder = Files.createTempDirectory("crm-outage-");
        HeapPeak heap = new HeapPeak();
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().start()) {
            portal.addUser(Map.of("NAME", "Alice", "LAST_NAME", "Adams", "EMAIL", ALICE, "ACTIVE", "Y"));
            InstalledJames installation = InstalledJames.withProductConfiguration()
                .bitrix24(portal.portalUrl(), portal.webhookUserId(), portal.webhookCode());
            if (plan.durable()) {
                installation.durable();
            }
            plan.queueParameters().forEach((name, value) -> installation.edit("mailetcontainer.xml", xml -> xml.contains("<" + name + ">")
                ? xml.replaceFirst("<" + name + ">[^<]*</" + name + ">", "<" + name + ">" + value + "</" + name + ">")
                : xml.replaceFirst("<onMailetException>", "<" + name + ">" + value + "</" + name + ">\n        <onMailetException>")));
            GuiceJamesServer james = installation.server(installation.install(folder.toFile()));
            james.start();
            try {
                MailClient mail = InstalledJames.connect(james, ALICE).mail();
                heap.start();
                List<String> messageIds = java.util.stream.IntStream.range(0, plan.mails())
                    .mapToObj(n -> "<outage-" + n + "@client" + n + ".example>").toList();
                Future<?> sending = send(mail, messageIds);
                sleep(plan.before());
                portal.faults().everyMatching(request -> true,
                    Bitrix24Emulator.Fault.response(502, "text/html", PROXY_502).kitFault());
                sleep(plan.outage());
                portal.faults().clear();
                long back = System.nanoTime();
                storm(portal);
                sleep(plan.storm());
                portal.faults().clear();
                long calm = System.nanoTime();
                sending.get();
                long last = awaitCaptures(portal, messageIds, back);
                return figures(portal, mail, messageIds, Duration.ofNanos(last - back), Duration.ofNanos(Math.max(0, last - calm)), heap.stop());
            } finally {
                james.stop();
            }
        } finally {
            heap.stop();
            deleteTree(folder);
        }
    }

    /** Sends the mails evenly over the sending time from {@link Plan#clients()} clients; each mail a new client's. */
    private Future<?> send(MailClient mail, List<String> messageIds) {
        ExecutorService clients = Executors.newFixedThreadPool(plan.clients());
        ExecutorService sending = Executors.newSingleThreadExecutor();
        long start = System.nanoTime();
        long interval = plan.sending().toNanos() / plan.mails();
        AtomicInteger next = new AtomicInteger();
        Future<?> all = sending.submit(() -> {
            List<Future<?>> senders = new ArrayList<>();
            for (int c = 0; c < plan.clients(); c++) {
                senders.add(clients.submit(() -> {
                    int n;
                    while ((n = next.getAndIncrement()) < messageIds.size()) {
                        long due = start + n * interval;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        String client = "client" + n + "@client" + n + ".example";
                        mail.send(client, List.of(ALICE), ClientMailCaptureEndToEndTest.message("Client " + n + " <" + client + ">", ALICE,
                            messageIds.get(n), "", "Order " + n, "We would like to order " + n + " chairs."));
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
            clients.shutdown();
            return null;
        });
        sending.shutdown();
        return all;
    }

    /** The storm after the outage: about three requests in ten get a fault, chosen at random (fixed seed). */
    private static void storm(Bitrix24Emulator portal) {
        Random random = new Random(16);
        Object lock = new Object();
        Function<Double, Predicate<EmulatorRequest>> share = probability -> request -> {
            synchronized (lock) {
                return random.nextDouble() < probability;
            }
        };
        portal.faults().everyMatching(share.apply(0.10), Bitrix24Emulator.Fault.status(503).kitFault());
        portal.faults().everyMatching(share.apply(0.06), Bitrix24Emulator.Fault.queryLimit().kitFault());
        portal.faults().everyMatching(share.apply(0.04), Bitrix24Emulator.Fault.operationTimeLimit(Duration.ofSeconds(5)).kitFault());
        portal.faults().everyMatching(share.apply(0.08), Bitrix24Emulator.Fault.latency(Duration.ofSeconds(2)).kitFault());
        portal.faults().everyMatching(share.apply(0.06), Bitrix24Emulator.Fault.drop().kitFault());
    }

    /** Waits until every mail has an activity in the portal (or the drain limit passes); returns when the last one came. */
    private long awaitCaptures(Bitrix24Emulator portal, List<String> messageIds, long back) throws InterruptedException {
        long deadline = System.nanoTime() + plan.drainLimit().toNanos();
        long last = back;
        int captured = 0;
        while (System.nanoTime() < deadline) {
            int now = (int) messageIds.stream().filter(activityCounts(portal)::containsKey).count();
            if (now > captured) {
                captured = now;
                last = System.nanoTime();
            }
            if (captured == messageIds.size()) {
                break;
            }
            Thread.sleep(250);
        }
        return last;
    }

    private Figures figures(Bitrix24Emulator portal, MailClient mail, List<String> messageIds, Duration drain, Duration drainAfterStorm,
                            long peakHeap) throws IOException {
        Map<String, Long> activities = activityCounts(portal);
        Map<String, Long> leads = portal.leads().stream().map(lead -> String.valueOf(lead.get("ORIGIN_ID")))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        String inbox = mail.inbox(ALICE);
        int inMailboxes = (int) messageIds.stream().filter(id -> inbox.contains("Message-ID: " + id + "\r\n")).count();
        int captured = (int) messageIds.stream().filter(id -> activities.getOrDefault(id, 0L) == 1).count();
        int lost = (int) messageIds.stream().filter(id -> !activities.containsKey(id)).count();
        int duplicated = (int) messageIds.stream().filter(id -> activities.getOrDefault(id, 0L) > 1 || leads.getOrDefault(id, 0L) > 1).count();
        long refused = portal.requests().stream().filter(request -> request.status() >= 400).count();
        return new Figures(plan, inMailboxes, captured, lost, duplicated,
            portal.violations().all().stream().map(Object::toString).toList(), drain, drainAfterStorm, peakHeap, refused);
    }

    private static Map<String, Long> activityCounts(Bitrix24Emulator portal) {
        return portal.activities().stream().map(activity -> String.valueOf(activity.get("ORIGIN_ID")))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The largest used heap of this JVM, sampled every 100 ms while running. */
    private static final class HeapPeak {
        private final AtomicLong peak = new AtomicLong();
        private volatile Thread sampler;

        void start() {
            Thread thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-peak");
            thread.setDaemon(true);
            thread.start();
            sampler = thread;
        }

        long stop() {
            Thread running = sampler;
            if (running != null) {
                running.interrupt();
            }
            return peak.get();
        }
    }
}
