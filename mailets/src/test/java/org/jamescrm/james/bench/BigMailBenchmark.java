package org.jamescrm.james.bench;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.james.mail.ManualSaveReplies;
import org.jamescrm.james.queue.CaptureAttributes;
import org.jamescrm.james.queue.CaptureDeliverer;
import org.jamescrm.james.queue.ManualSaves;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.jamescrm.memory.InMemoryCrm;
import org.jamescrm.memory.MemorySettings;
import org.jamescrm.rules.Classification;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;

/**
 * The large-mail benchmark of docs/BENCHMARKS.md: a client mail with one large attachment (25 MB by
 * default, over the default attachment limit of 24 MB) through the capture queue's deliverer (stream
 * the mail, parse it, capture it into the in-memory CRM), as often as asked, in a JVM whose heap is
 * given by {@code bin/benchmark bigmail} ({@code -Xmx}). The mail's message is James's own, its content in a
 * file, as James's SMTP server stores what it receives. Reports each attempt's outcome, the bytes the parsing thread
 * allocated and its time; an attempt the heap cannot hold ends the run with OutOfMemoryError.
 * Run by {@code bin/benchmark bigmail [attempts] [attachment MB]}.
 */
public final class BigMailBenchmark {

    private BigMailBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int attempts = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Path file = Files.createTempFile("crm-bigmail-", ".eml");
        try {
            write(file, megabytes);
            run(file, attempts, megabytes);
        } finally {
            Files.deleteIfExists(file);
        }
        System.exit(0);
    }

    private static void run(Path file, int attempts, int megabytes) throws Exception {
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(
            new ByteArrayInputStream("<crmcapture/>".getBytes(StandardCharsets.UTF_8)), "crm-capture.xml");
        CaptureSettingsSource source = mock(CaptureSettingsSource.class);
        when(source.current()).thenReturn(settings);
        MailClassifier classifier = new MailClassifier(source);
        MailetContext context = mock(MailetContext.class);
        when(context.isLocalServer(any())).thenAnswer(call -> call.getArgument(0).equals(Domain.of("company.example")));
        CaptureService service = new CaptureService(new InMemoryCrm(Clock.systemUTC(), java.util.List.of(),
            MemorySettings.DEFAULT_CONTENT_LIMIT), () -> settings, new DecisionLog(1000, new JsonViews()), new MissingCrmUsers(),
            Clock.systemUTC());
        System.out.printf(Locale.ROOT, "%nLarge mail: a %d MB attachment (file %d MB), max heap %d MB%n%n", megabytes,
            Files.size(file) >> 20, Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| attempt | outcome | MB allocated by the parsing thread | ms |");
        System.out.println("|---|---|---|---|");
        try (CaptureRounds rounds = new CaptureRounds(service, 300, Duration.ofSeconds(3), Thread::new)) {
            CaptureDeliverer deliverer = new CaptureDeliverer(rounds, new ManualSaves(classifier, context, new ManualSaveReplies(context)));
            for (int attempt = 1; attempt <= attempts; attempt++) {
                Mail mail = FakeMail.builder().name("big-" + attempt).state(Mail.DEFAULT)
                    .sender(new MailAddress("carol@client.example")).recipient(new MailAddress("alice@company.example"))
                    .mimeMessage(stored(file, "big-" + attempt)).build();
                Classification classification = classifier.classify(mail, context);
                CaptureAttributes.write(mail, classification, Instant.now());
                long allocatedBefore = allocated();
                long start = System.nanoTime();
                Object outcome = deliverer.deliver(mail).get(5, TimeUnit.MINUTES);
                System.out.printf(Locale.ROOT, "| %d | %s | %d | %d |%n", attempt, outcome.getClass().getSimpleName(),
                    (allocated() - allocatedBefore) >> 20, (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    /** The message as James's SMTP server stores what it receives: a wrapper over a source that spills to a file. */
    private static MimeMessage stored(Path file, String key) throws Exception {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return new MimeMessageWrapper(MimeMessageInputStreamSource.create(key, in));
        }
    }

    /** A client mail to Alice: a short text and one attachment of {@code megabytes} MB, base64 encoded. */
    private static void write(Path file, int megabytes) throws Exception {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(("From: Carol <carol@client.example>\r\nTo: alice@company.example\r\nSubject: The plans\r\n"
                + "Date: Sat, 05 Dec 2026 10:00:00 +0000\r\nMessage-ID: <big@client.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe plans.\r\n"
                + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"plans.bin\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[57 * 1024];
            Arrays.fill(chunk, (byte) 42);
            OutputStream base64 = Base64.getMimeEncoder().wrap(new java.io.FilterOutputStream(out) {
                @Override
                public void close() {
                }
            });
            long left = (long) megabytes << 20;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                base64.write(chunk, 0, n);
                left -= n;
            }
            base64.close();
            out.write("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
