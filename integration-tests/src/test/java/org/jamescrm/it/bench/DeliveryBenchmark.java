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
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;
import org.jamescrm.testing.TestMessages;

/**
 * The delivery benchmark of docs/BENCHMARKS.md: what the capture costs the mail server. A fresh
 * James 3.8.1 (the layout james-config builds, as {@code bin/run-james} starts it, in its own JVM)
 * per run, with the product's configuration, or the same without the {@code CaptureToCrm} mailet;
 * runs alternate in pairs. Each run warms up, then SMTP clients send client mail to a mailbox and
 * the run is timed until IMAP shows every mail; James's CPU time over the run is read from the
 * process. Run by {@code bin/benchmark delivery [pairs] [mails] [clients] [KB per mail] [warm-up mails] [warm-up mailboxes] [HTML]};
 * the HTML part is {@code plain} paragraphs (the default) or written as {@code outlook} writes it
 * ({@link TestMessages#outlookOrderBody}: tables, styles, spans, as real mail HTML has);
 * the warm-up goes to mailboxes of its own, spread over several of them for a long one (James's memory
 * server searches a mailbox for the thread of each mail it appends, so one large mailbox would slow
 * it down as it grows); with
 * {@code -Dbench.jfr=DIR} every run records a JFR profile into DIR, and
 * {@code -Dbench.jvm="OPTIONS"} adds JVM options to every James (a compilation log, other collectors), and
 * {@code -Dbench.installation=DIR} measures another build's layout, and
 * {@code -Dbench.server=naive-threads} runs both arms on a memory server that gives each new mail a
 * thread of its own instead of searching the mailbox for it ({@code NaiveThreadsJamesServerMain}): a
 * James that spends less per mail, as the JPA server does ({@code memory} by default), and
 * {@code -Dbench.cpus=LIST} binds James alone to those CPUs (Linux's {@code taskset -c LIST}), so that
 * its CPU is the limit and not the benchmark's clients' (run the benchmark itself with {@code taskset}
 * on the other CPUs).
 */
public final class DeliveryBenchmark {
    private static final Duration INBOX_LIMIT = Duration.ofMinutes(10);

    private final int mails;
    private final int clients;
    private final String body;
    private final int warmUp;
    private final List<String> warmUpMailboxes;
    private final JamesProcess.Server server;

    private DeliveryBenchmark(int mails, int clients, int kilobytes, int warmUp, int warmUpMailboxes, String html, JamesProcess.Server server) {
        if (warmUpMailboxes < 1) {
            throw new IllegalArgumentException("the warm-up needs at least one mailbox, not " + warmUpMailboxes);
        }
        this.mails = mails;
        this.clients = clients;
        this.body = switch (html) {
            case "plain" -> TestMessages.orderBody(kilobytes);
            case "outlook" -> TestMessages.outlookOrderBody(kilobytes);
            default -> throw new IllegalArgumentException("the HTML is plain or outlook, not " + html);
        };
        this.warmUp = warmUp;
        this.server = server;
        this.warmUpMailboxes = warmUpMailboxes == 1 ? List.of("bob@company.example")
            : IntStream.rangeClosed(1, warmUpMailboxes).mapToObj(i -> "bob" + i + "@company.example").toList();
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int mails = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int kilobytes = args.length > 3 ? Integer.parseInt(args[3]) : 21;
        int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : 300;
        int warmUpMailboxes = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        String html = args.length > 6 ? args[6] : "plain";
        JamesProcess.Server server = JamesProcess.Server.named(System.getProperty("bench.server", "memory"));
        DeliveryBenchmark benchmark = new DeliveryBenchmark(mails, clients, kilobytes, warmUp, warmUpMailboxes, html, server);
        System.out.printf(Locale.ROOT, "%nDelivery: %d mails of %d KB (%s HTML) from %d SMTP clients after %d to warm up (%d mailboxes), fresh James per run (%s server), %s%n%n",
            mails, kilobytes, html, clients, warmUp, warmUpMailboxes, server.optionName(),
            JamesProcess.INSTALLATION.toAbsolutePath().normalize());
        System.out.println("| pair | with capture mails/s | without mails/s | ratio | CPU ms/mail with | CPU ms/mail without "
            + "| JIT ms/mail with | without | GC ms/mail with | without | capture's threads ms/mail | James's threads ms/mail with | without "
            + "| compiler threads ms/mail with | without |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
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
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", pair,
                with.perSecond(), without.perSecond(), ratio, with.cpuMillisPerMail(), without.cpuMillisPerMail(), with.jitMillisPerMail(),
                without.jitMillisPerMail(), with.gcMillisPerMail(), without.gcMillisPerMail(), with.threads().captureMillis() / mails,
                with.threads().jamesMillis() / mails, without.threads().jamesMillis() / mails, with.threads().compilerMillis() / mails,
                without.threads().compilerMillis() / mails);
        }
        System.out.printf(Locale.ROOT, "%nmedian ratio with / without: %.3f; median CPU difference: %.3f ms per mail%n", median(ratios),
            median(cpuDeltas));
    }

    /**
     * One run's figures over its timed part: mails a second, and per mail James's CPU time, the time
     * its JIT compilers spent (a fresh JVM still compiles long after its warm-up; a server that runs
     * for days has long stopped) and its garbage collections' time, the last two as {@code jstat} reads them.
     */
    private record Run(double perSecond, double cpuMillisPerMail, double jitMillisPerMail, double gcMillisPerMail, ThreadTimes threads) {
    }

    private Run run(boolean capture, int pair) throws Exception {
        List<String> options = new ArrayList<>();
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            Files.createDirectories(Path.of(jfr));
            String name = (capture ? "capture-" : "without-") + pair + ".jfr";
            options.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr).toAbsolutePath().resolve(name));
        }
        String jvm = System.getProperty("bench.jvm", "").strip();
        if (!jvm.isEmpty()) {
            options.addAll(List.of(jvm.split("\\s+")));
        }
        Map<String, UnaryOperator<String>> edits = capture ? Map.of() : Map.of("mailetcontainer.xml", JamesProcess::withoutCapture);
        try (JamesProcess james = JamesProcess.start("delivery", edits, options, server)) {
            james.addUser("alice@company.example");
            for (String user : warmUpMailboxes) {
                james.addUser(user);
            }
            // the warm-up goes to other mailboxes: the timed part starts on an empty one, whatever the warm-up's size
            send(james.smtp, warmUp, "warm-" + pair, n -> warmUpMailboxes.get(n % warmUpMailboxes.size()));
            for (int i = 0; i < warmUpMailboxes.size(); i++) {
                int share = warmUp / warmUpMailboxes.size() + (i < warmUp % warmUpMailboxes.size() ? 1 : 0);
                james.awaitInbox(warmUpMailboxes.get(i), share, INBOX_LIMIT);
            }
            Thread.sleep(1000);
            Duration cpuBefore = cpu(james.process());
            JvmTimes timesBefore = JvmTimes.of(james.process());
            ThreadTimes threadsBefore = ThreadTimes.of(james.process());
            long start = System.nanoTime();
            send(james.smtp, mails, "run-" + pair, n -> "alice@company.example");
            james.awaitInbox("alice@company.example", mails, INBOX_LIMIT);
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(1000); // the captures that follow delivery
            Duration cpu = cpu(james.process()).minus(cpuBefore);
            JvmTimes times = JvmTimes.of(james.process()).minus(timesBefore);
            ThreadTimes threads = ThreadTimes.of(james.process()).minus(threadsBefore);
            return new Run(mails / seconds, cpu.toNanos() / 1e6 / mails, times.jitMillis() / mails, times.gcMillis() / mails, threads);
        }
    }

    /** Sends {@code count} client mails, the n-th to {@code recipients(n)}, from {@link #clients} connections, each sending its share in turn. */
    private void send(int port, int count, String run, IntFunction<String> recipients) throws Exception {
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
                            String recipient = recipients.apply(n);
                            check(smtp, smtp.setSender(sender), "MAIL FROM");
                            check(smtp, smtp.addRecipient(recipient), "RCPT TO");
                            try (Writer data = smtp.sendMessageData()) {
                                if (data == null) {
                                    throw new IOException("DATA refused: " + smtp.getReplyString());
                                }
                                data.write(TestMessages.order(sender, recipient, "<" + run + "-" + n + "@client.example>", n, body));
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

    /**
     * The CPU time of James's threads so far, from Linux's per-thread counters: the capture's own
     * threads (named {@code crm-capture-...}: the capture queue's consumers and dequeuer, the rounds),
     * and James's (SMTP, the spool and its mailets, the capture mailet's classification and hand-over
     * included, IMAP, the mailbox), and the JIT compilers' (their CPU, where {@link JvmTimes} reads the
     * compilations' elapsed time, which on a busy core includes the time a compiler waited for it). The
     * garbage collector's threads are in none. A thread that ended between two readings takes its time
     * with it: the JVM may stop a compiler thread it started for a burst of compilations.
     */
    record ThreadTimes(double captureMillis, double jamesMillis, double compilerMillis) {
        /** A clock tick of the kernel's per-thread counters (USER_HZ, 100 on Linux). */
        private static final double TICK_MILLIS = 10;
        private static final int CAPTURE = 0;
        private static final int JAMES = 1;
        private static final int JVM = 2;
        private static final int COMPILER = 3;

        static ThreadTimes of(Process process) throws IOException {
            double[] millis = new double[4];
            try (java.nio.file.DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()), "task"))) {
                for (Path task : tasks) {
                    try {
                        String name = Files.readString(task.resolve("comm")).strip(); // the thread's name, its first 15 characters
                        String stat = Files.readString(task.resolve("stat"));
                        // after "pid (name) ": state, then the fields up to utime (the 14th) and stime (the 15th)
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        millis[kind(name)] += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_MILLIS;
                    } catch (java.nio.file.NoSuchFileException ended) {
                        // the thread ended while it was read
                    }
                }
            }
            return new ThreadTimes(millis[CAPTURE], millis[JAMES], millis[COMPILER]);
        }

        private static int kind(String name) {
            if (name.startsWith("crm-capture")) {
                return CAPTURE;
            }
            if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                return COMPILER;
            }
            return name.startsWith("GC Thread") || name.startsWith("G1 ") ? JVM : JAMES;
        }

        ThreadTimes minus(ThreadTimes before) {
            return new ThreadTimes(captureMillis - before.captureMillis, jamesMillis - before.jamesMillis,
                compilerMillis - before.compilerMillis);
        }
    }

    /** The JIT compilers' and the garbage collector's time of a JVM so far, in milliseconds, from {@code jstat}. */
    private record JvmTimes(double jitMillis, double gcMillis) {
        static JvmTimes of(Process process) throws IOException, InterruptedException {
            List<String> compiler = jstat("-compiler", process);
            List<String> gc = jstat("-gcutil", process);
            // -compiler: Compiled Failed Invalid Time ...; -gcutil: ... GCT (seconds)
            return new JvmTimes(Double.parseDouble(column(compiler, "Time")) * 1000, Double.parseDouble(column(gc, "GCT")) * 1000);
        }

        JvmTimes minus(JvmTimes before) {
            return new JvmTimes(jitMillis - before.jitMillis, gcMillis - before.gcMillis);
        }

        private static List<String> jstat(String option, Process process) throws IOException, InterruptedException {
            Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
            Process run = new ProcessBuilder(jstat.toString(), option, Long.toString(process.pid())).redirectErrorStream(true).start();
            List<String> lines = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            if (run.waitFor() != 0 || lines.size() < 2) {
                throw new IOException("jstat " + option + " answered: " + String.join(" / ", lines));
            }
            return lines;
        }

        private static String column(List<String> lines, String name) throws IOException {
            List<String> names = List.of(lines.get(0).trim().split("\\s+"));
            List<String> values = List.of(lines.get(1).trim().split("\\s+"));
            int index = names.indexOf(name);
            if (index < 0 || index >= values.size()) {
                throw new IOException("jstat has no column " + name + ": " + lines);
            }
            return values.get(index);
        }
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
