package org.jamescrm.james.bench;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.capture.ScrubbedConnector;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.decisions.FileDecisionStore;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.james.mail.MailSummarizer;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MessageHeaders;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.Classifier;
import org.jamescrm.rules.MessageSummary;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.jamescrm.spi.ConnectorProviders;

/**
 * What the capture costs inside the mail pipeline, per message (target: at most 50 µs): reading the
 * header fields and envelope of a James mail and classifying it, with settings that have filters,
 * a never-log list and per-mailbox overrides, and for a mail that is not captured, recording its
 * decision. Body parsing is not part of it: it runs in the capture queue. Run with {@code bin/benchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dlogback.configurationFile=logback-bench.xml")
public class PipelineClassificationBenchmark {
    static final String SETTINGS = "<crmcapture>"
        + "<internal><domain>subsidiary.example</domain></internal>"
        + "<neverLog><domain>bank.example</domain><address>lawyer@law.example</address></neverLog>"
        + "<filter name=\"app-notifications\" field=\"sender\" pattern=\"^noreply@app\\.example$\"/>"
        + "<filter name=\"jira\" field=\"header:X-JIRA-FingerPrint\" pattern=\".\"/>"
        + "<mailbox address=\"sales@company.example\" group=\"true\"><distribution>round-robin</distribution>"
        + "<queue>alice@company.example, bob@company.example</queue></mailbox>"
        + "</crmcapture>";
    static final String MESSAGE = "Return-Path: <carol@client.example>\r\n"
        + "Received: from mx.client.example (mx.client.example [192.0.2.10]) by mail.company.example with ESMTPS id 4A2B; "
        + "Sun, 22 Nov 2026 10:15:02 +0300\r\n"
        + "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=client.example; s=mail; h=from:to:subject:date;\r\n"
        + " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\r\n"
        + "From: =?UTF-8?Q?Carol_Cli=C3=A9nt?= <carol@client.example>\r\n"
        + "To: Alice Adams <alice@company.example>, Sales <sales@company.example>\r\n"
        + "Cc: Bob Brown <bob@company.example>\r\n"
        + "Subject: =?UTF-8?B?UXVvdGUgZm9yIDQwIG9mZmljZSBjaGFpcnMg4oCTIGRlbGl2ZXJ5IGluIEphbnVhcnk=?=\r\n"
        + "Date: Sun, 22 Nov 2026 10:15:00 +0300\r\n"
        + "Message-ID: <quote-request-1@client.example>\r\n"
        + "In-Reply-To: <offer-7@company.example>\r\n"
        + "References: <offer-6@company.example> <offer-7@company.example>\r\n"
        + "MIME-Version: 1.0\r\n"
        + "X-Mailer: Thunderbird 128.4\r\n"
        + "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
        + "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHello Alice, a quote please.\r\n"
        + "--b1\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>Hello Alice, a quote please.</p>\r\n--b1--\r\n";

    private CaptureSettings settings;
    private MailClassifier mailClassifier;
    private Classifier classifier;
    private MailetContext context;
    private Mail mail;
    private MessageSummary summary;
    private final MailSummarizer summarizer = new MailSummarizer();
    /** The settings file and the decision file, deleted after the run. */
    private Path folder;
    private FileDecisionStore decisionFile;
    private CaptureService captureService;
    private Mail internalMail;

    @Setup
    public void setUp() throws Exception {
        settings = new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(SETTINGS.getBytes(StandardCharsets.UTF_8)), "bench.xml");
        // real objects, no mocks: a mock's own bookkeeping (stack walks per call) would be measured too
        folder = Files.createTempDirectory("crm-capture-bench");
        Path file = folder.resolve("crm-capture.xml");
        Files.writeString(file, SETTINGS);
        FileSystem fileSystem = (FileSystem) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FileSystem.class},
            (proxy, method, arguments) -> method.getName().equals("getFile") ? file.toFile() : null);
        mailClassifier = new MailClassifier(new CaptureSettingsSource(fileSystem, ConnectorProviders.load(), Clock.systemUTC()));
        classifier = new Classifier();
        Domain local = Domain.of("company.example");
        context = (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MailetContext.class},
            (proxy, method, arguments) -> method.getName().equals("isLocalServer") ? local.equals(arguments[0]) : null);
        mail = FakeMail.builder().name("bench").sender(new MailAddress("carol@client.example"))
            .recipients(new MailAddress("alice@company.example"), new MailAddress("sales@company.example"), new MailAddress("bob@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII))))
            .build();
        MessageHeaders.Builder headers = MessageHeaders.builder();
        headers.add("From", "Carol Client <carol@client.example>").add("To", "alice@company.example").add("Subject", "Quote")
            .add("Message-ID", "<quote-request-1@client.example>").add("Date", "Sun, 22 Nov 2026 10:15:00 +0300");
        summary = new MessageSummary(new Envelope(Optional.of(EmailAddress.of("carol@client.example")),
            List.of(EmailAddress.of("alice@company.example"), EmailAddress.of("sales@company.example"))),
            Optional.of(EmailAddress.of("carol@client.example")), headers.build(), false);
        // the decision of a mail not captured is recorded in the pipeline: logged and kept in the local store's file
        JsonViews json = new JsonViews();
        decisionFile = new FileDecisionStore(folder.resolve("decisions.jsonl"), 10_000, json);
        DecisionLog decisions = new DecisionLog(10_000, json, decisionFile);
        captureService = new CaptureService(ScrubbedConnector.open(settings.connector(), new ConnectorContext(Clock.systemUTC())),
            () -> settings, decisions, new MissingCrmUsers(), Clock.systemUTC());
        internalMail = FakeMail.builder().name("internal").sender(new MailAddress("bob@company.example"))
            .recipients(new MailAddress("alice@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(MESSAGE
                .replace("From: =?UTF-8?Q?Carol_Cli=C3=A9nt?= <carol@client.example>", "From: Bob Brown <bob@company.example>")
                .replace("To: Alice Adams <alice@company.example>, Sales <sales@company.example>", "To: Alice Adams <alice@company.example>")
                .getBytes(StandardCharsets.US_ASCII))))
            .build();
    }

    @TearDown
    public void tearDown() throws Exception {
        decisionFile.close();
        BenchmarkFolders.delete(folder);
    }

    /** The whole synchronous cost: a James mail's envelope and header fields read and classified. */
    @Benchmark
    public Classification summarizeAndClassifyAJamesMail() throws Exception {
        return mailClassifier.classify(mail, context);
    }

    /**
     * The whole synchronous cost for a mail that is not captured (here an internal one): read,
     * classified, and its decision recorded as {@code CaptureToCrm} records it (a JSON line logged
     * and appended to the local store's decision file).
     */
    @Benchmark
    public DecisionRecord classifyAndRecordAnInternalMail() throws Exception {
        MessageSummary read = summarizer.summarize(internalMail);
        Classification classification = mailClassifier.classify(read, context);
        return captureService.recordExclusion(summarizer.messageId(internalMail), summarizer.captureKey(internalMail), read.author(),
            classification);
    }

    /** The pure rules alone, on facts already read. */
    @Benchmark
    public Classification classifyFacts() {
        return classifier.classify(summary, "company.example"::equals, settings);
    }
}
