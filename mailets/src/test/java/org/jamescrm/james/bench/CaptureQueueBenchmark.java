package org.jamescrm.james.bench;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.capture.ScrubbedConnector;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.FileDecisionStore;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.james.mail.ManualSaveReplies;
import org.jamescrm.james.queue.CaptureAttributes;
import org.jamescrm.james.queue.CaptureDeliverer;
import org.jamescrm.james.queue.CaptureOutcome;
import org.jamescrm.james.queue.ManualSaves;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.ParseScope;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.testing.TestMessages;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the capture queue spends on each mail after the mail pipeline let it go, the part of the
 * delivery benchmark's CPU difference that is the product's own: the mail of the delivery benchmark
 * (21 KB, a text and an HTML part, a new client each) read from James's own message, parsed, decided
 * in a round of its own and written into the in-memory CRM, its decision logged and kept in the
 * local store's file, as the shipped configuration does. James's own share (its queue's clone of
 * the mail, SMTP, IMAP) is not in it. Run with {@code bin/benchmark queue -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Dlogback.configurationFile=logback-bench.xml")
public class CaptureQueueBenchmark {
    static final String SETTINGS = "<crmcapture><connector>memory</connector><memory>"
        + "<user email=\"alice@company.example\" name=\"Alice Adams\"/><user email=\"bob@company.example\" name=\"Bob Brown\"/>"
        + "</memory><defaults><body>full</body></defaults></crmcapture>";

    /** One mail of the capture queue captured: read, parsed, decided, written, its decision kept. */
    @Benchmark
    public CaptureOutcome captureOneMail(Capture capture) throws Exception {
        return capture.deliverer.deliver(capture.next).get(1, TimeUnit.MINUTES);
    }

    /** The capture queue's parts over the in-memory CRM, and the next mail, made before each call (not measured). */
    @State(Scope.Benchmark)
    public static class Capture {
        private final String body = TestMessages.orderBody(21);
        private Path folder;
        private FileDecisionStore decisionFile;
        private MailClassifier classifier;
        private MailetContext context;
        private CaptureRounds rounds;
        private CaptureDeliverer deliverer;
        private Mail next;
        private int sent;

        @Setup
        public void setUp() throws Exception {
            folder = Files.createTempDirectory("crm-capture-bench");
            Path file = folder.resolve("crm-capture.xml");
            Files.writeString(file, SETTINGS);
            // real objects, no mocks: a mock's own bookkeeping would be measured too
            FileSystem fileSystem = (FileSystem) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FileSystem.class},
                (proxy, method, arguments) -> method.getName().equals("getFile") ? file.toFile() : null);
            CaptureSettingsSource source = new CaptureSettingsSource(fileSystem, ConnectorProviders.load(), Clock.systemUTC());
            CaptureSettings settings = source.current();
            classifier = new MailClassifier(source);
            Domain local = Domain.of("company.example");
            context = (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MailetContext.class},
                (proxy, method, arguments) -> method.getName().equals("isLocalServer") ? local.equals(arguments[0]) : null);
            JsonViews json = new JsonViews();
            // the CRM the settings select, opened as the product opens every CRM
            CrmConnector crm = ScrubbedConnector.open(settings.connector(), new ConnectorContext(Clock.systemUTC()));
            decisionFile = new FileDecisionStore(folder.resolve("decisions.jsonl"), 10_000, json);
            DecisionLog decisions = new DecisionLog(10_000, json, decisionFile);
            CaptureService service = new CaptureService(crm, () -> settings, decisions, new MissingCrmUsers(), Clock.systemUTC());
            rounds = new CaptureRounds(service, 300, Duration.ofSeconds(3), runnable -> {
                Thread thread = new Thread(runnable, "bench-rounds");
                thread.setDaemon(true);
                return thread;
            });
            deliverer = new CaptureDeliverer(rounds, new ManualSaves(classifier, context, new ManualSaveReplies(context)));
        }

        /** The next mail, as James's SMTP server hands it on: its message James's own, its capture attributes written. */
        @Setup(Level.Invocation)
        public void nextMail() throws Exception {
            int n = ++sent;
            String name = "bench-" + n;
            byte[] bytes = message(n, body).getBytes(StandardCharsets.US_ASCII);
            // its size known, as James's own mails know it from their stored source
            next = FakeMail.builder().name(name).state(Mail.DEFAULT).sender(new MailAddress(sender(n)))
                .recipient(new MailAddress("alice@company.example"))
                .mimeMessage(new MimeMessageWrapper(MimeMessageInputStreamSource.create(name, new ByteArrayInputStream(bytes))))
                .size(bytes.length)
                .build();
            CaptureAttributes.write(next, classifier.classify(next, context), Instant.now());
        }

        @TearDown
        public void tearDown() throws Exception {
            rounds.close();
            decisionFile.close();
            BenchmarkFolders.delete(folder);
        }
    }

    /** The parse alone, of the same mail, in the shipped configuration's scope. */
    @Benchmark
    public MessageFacts parseOneMail(Parse parse) throws Exception {
        return parse.parser.parse(new ByteArrayInputStream(parse.message), parse.scope);
    }

    /** The parse alone of a mail of the same size whose HTML is written as Outlook writes it (tables, styles, spans). */
    @Benchmark
    public MessageFacts parseOneOutlookMail(Parse parse) throws Exception {
        return parse.parser.parse(new ByteArrayInputStream(parse.outlookMessage), parse.scope);
    }

    /** What the parse alone needs: one message, parsed again and again (a state of its own: no mail made per call). */
    @State(Scope.Benchmark)
    public static class Parse {
        final MessageParser parser = new MessageParser();
        final ParseScope scope = new ParseScope(24L << 20, true);
        final byte[] message = message(0, TestMessages.orderBody(21)).getBytes(StandardCharsets.US_ASCII);
        final byte[] outlookMessage = message(0, TestMessages.outlookOrderBody(21)).getBytes(StandardCharsets.US_ASCII);
    }

    /** A client of its own per mail, as in the delivery benchmark: each makes a lead and an activity. */
    private static String sender(int n) {
        return "client" + n + "@client" + (n % 50) + ".example";
    }

    private static String message(int n, String body) {
        return TestMessages.order(sender(n), "alice@company.example", "<bench-" + n + "@client.example>", n, body);
    }
}
