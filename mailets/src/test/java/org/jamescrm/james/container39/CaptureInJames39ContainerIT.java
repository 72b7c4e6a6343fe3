package org.jamescrm.james.container39;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.jamescrm.james.container39.CollectingMailet.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.jamescrm.testing.TestMessages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product slice in the James 3.9.0 mailet container: the shaded 3.9 extension jar loaded from
 * {@code extensions-jars/}, the product's extensions.properties, crm-capture.xml, domainlist.xml and the
 * context, spooler and root processor of its mailetcontainer.xml (see {@link ProductInstallation}).
 * Mail enters through James's mailet context as the SMTP server would put it in the spool; the CRM and
 * the decision log are read through James's extension loader ({@link ExtensionProbe}).
 */
class CaptureInJames39ContainerIT {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final String CAROL = "carol@client.example";
    static final String CAROL_MESSAGE_ID = "<quote-request-39@client.example>";
    static final String CAROL_MAIL = message("Carol Client <" + CAROL + ">", "Alice Adams <" + ALICE + ">", CAROL_MESSAGE_ID, "",
        "Quote for 40 office chairs", "Hello Alice,\r\n\r\ncould you send us a quote for 40 office chairs?\r\n\r\nCarol");
    static final Duration DELIVERY = Duration.ofSeconds(30);
    static final Duration CAPTURE = Duration.ofSeconds(30);

    @TempDir
    static Path workDir;
    static Path installedJar;
    static James39MailetContainer james;
    static ExtensionProbe probe;
    static boolean carolHasWritten;

    @BeforeAll
    static void startJamesWithTheProduct() throws Exception {
        installedJar = ProductInstallation.install(workDir);
        james = James39MailetContainer.start(workDir, List.of(ALICE, BOB));
        System.out.printf("James 3.9.0 mailet container with the product started in %d ms (Java %s)%n",
            james.startDuration().toMillis(), System.getProperty("java.version"));
        probe = new ExtensionProbe(james.extensionLoader());
    }

    @AfterAll
    static void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void clientMailShouldReachDeliveryByteForByte() throws Exception {
        carolWritesToAlice();

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(CollectingMailet.deliveriesOf(CAROL_MESSAGE_ID)).hasSize(1));
        Delivery delivery = CollectingMailet.deliveriesOf(CAROL_MESSAGE_ID).get(0);
        assertThat(delivery.delivery()).isEqualTo("local-delivery");
        assertThat(delivery.recipients()).containsExactly(new MailAddress(ALICE));
        assertThat(new String(delivery.message(), UTF_8)).isEqualTo(CAROL_MAIL).doesNotContainIgnoringCase("X-CRM");
    }

    @Test
    void clientMailShouldBecomeALeadOfItsRecipientWithTheMailAsIncomingActivity() throws Exception {
        carolWritesToAlice();

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(activitiesWithMessageId(CAROL_MESSAGE_ID)).hasSize(1));
        Map<String, Object> crm = probe.crm();
        List<Map<String, Object>> leads = withField(crm, "leads", "email", CAROL);
        assertThat(leads).hasSize(1);
        Map<String, Object> lead = leads.get(0);
        assertThat(lead)
            .containsEntry("status", "OPEN")
            .containsEntry("name", "Carol Client")
            .containsEntry("title", "Quote for 40 office chairs")
            .containsEntry("responsibleId", userId(crm, ALICE));
        Map<String, Object> activity = activitiesWithMessageId(CAROL_MESSAGE_ID).get(0);
        assertThat(activity)
            .containsEntry("direction", "INCOMING")
            .containsEntry("from", CAROL)
            .containsEntry("completed", false)
            .containsEntry("responsibleId", userId(crm, ALICE))
            .containsEntry("bindings", List.of(Map.of("type", "LEAD", "id", lead.get("id"))));
    }

    @Test
    void employeeReplyShouldBeACompletedOutgoingActivityOnTheClientsLead() throws Exception {
        carolWritesToAlice();
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(activitiesWithMessageId(CAROL_MESSAGE_ID)).hasSize(1));
        Object carolsLead = withField(probe.crm(), "leads", "email", CAROL).get(0).get("id");
        String replyId = "<reply-39@company.example>";
        String reply = message("Alice Adams <" + ALICE + ">", "Carol Client <" + CAROL + ">", replyId,
            "In-Reply-To: " + CAROL_MESSAGE_ID + "\r\nReferences: " + CAROL_MESSAGE_ID + "\r\n",
            "Re: Quote for 40 office chairs", "Dear Carol,\r\n\r\nthe quote is attached.\r\n\r\nAlice");

        send(ALICE, List.of(CAROL), reply);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(activitiesWithMessageId(replyId)).hasSize(1));
        Map<String, Object> crm = probe.crm();
        assertThat(activitiesWithMessageId(replyId).get(0))
            .containsEntry("direction", "OUTGOING")
            .containsEntry("completed", true)
            .containsEntry("responsibleId", userId(crm, ALICE))
            .containsEntry("bindings", List.of(Map.of("type", "LEAD", "id", carolsLead)));
        assertThat(withField(crm, "leads", "email", CAROL)).hasSize(1);
    }

    @Test
    void mailBetweenEmployeesShouldNeverReachTheCrm() throws Exception {
        String lunchId = "<lunch-39@company.example>";
        String lunch = message("Alice Adams <" + ALICE + ">", "Bob Brown <" + BOB + ">", lunchId, "", "Lunch?",
            "Shall we have lunch at noon?");

        send(ALICE, List.of(BOB), lunch);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(CollectingMailet.deliveriesOf(lunchId))
            .singleElement().satisfies(delivery -> assertThat(delivery.recipients()).containsExactly(new MailAddress(BOB))));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(probe.decisions(lunchId)).hasSize(1));
        assertThat(probe.decisions(lunchId).get(0))
            .containsEntry("reason", "INTERNAL")
            .containsEntry("captured", false)
            .containsEntry("items", List.of());
        Map<String, Object> crm = probe.crm();
        assertThat(activitiesWithMessageId(lunchId)).isEmpty();
        assertThat(ExtensionProbe.objects(crm.get("leads"))).noneSatisfy(lead -> assertThat((String) lead.get("email")).endsWith("@company.example"));
        assertThat(ExtensionProbe.objects(crm.get("contacts"))).noneSatisfy(contact -> assertThat((String) contact.get("email")).endsWith("@company.example"));
    }

    @Test
    void theProductsRootProcessorShouldRunCaptureToCrmFromExtensionsJarsOnly() throws Exception {
        assertThatThrownBy(() -> Class.forName("org.jamescrm.james.CaptureToCrm")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName(ExtensionProbe.CONNECTOR)).isInstanceOf(ClassNotFoundException.class);

        List<Mailet> root = james.mailetsOf("root");

        assertThat(root).extracting(mailet -> mailet.getClass().getName()).containsExactly(
            "org.apache.james.transport.mailets.PostmasterAlias",
            "org.apache.james.transport.mailets.Null",
            "org.jamescrm.james.CaptureToCrm",
            "org.apache.james.transport.mailets.ToProcessor");
        Class<?> captureToCrm = root.get(2).getClass();
        assertThat(Path.of(captureToCrm.getProtectionDomain().getCodeSource().getLocation().toURI()).toRealPath())
            .isEqualTo(installedJar.toRealPath())
            .hasParent(workDir.resolve("extensions-jars").toRealPath());
        assertThat(captureToCrm.getClassLoader()).isNotSameAs(getClass().getClassLoader());
    }

    /** Carol's first mail to Alice, sent once for the tests that build on it. */
    private static synchronized void carolWritesToAlice() throws Exception {
        if (!carolHasWritten) {
            send(CAROL, List.of(ALICE), CAROL_MAIL);
            carolHasWritten = true;
        }
    }

    private static List<Map<String, Object>> activitiesWithMessageId(String messageId) {
        return withField(probe.crm(), "activities", "messageId", messageId);
    }

    private static List<Map<String, Object>> withField(Map<String, Object> crm, String records, String field, Object value) {
        return ExtensionProbe.objects(crm.get(records)).stream().filter(record -> value.equals(record.get(field))).toList();
    }

    private static Object userId(Map<String, Object> crm, String email) {
        List<Map<String, Object>> users = withField(crm, "users", "email", email);
        assertThat(users).as("CRM user %s", email).hasSize(1);
        return users.get(0).get("id");
    }

    /** Puts the mail in James's spool as the SMTP server does, and then releases the sender's copy as it does. */
    private static void send(String sender, List<String> recipients, String message) throws Exception {
        MimeMessage mimeMessage = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message.getBytes(UTF_8)));
        MailImpl.Builder builder = MailImpl.builder().name("it39-" + UUID.randomUUID()).sender(sender).mimeMessage(mimeMessage);
        for (String recipient : recipients) {
            builder.addRecipient(new MailAddress(recipient));
        }
        Mail mail = builder.build();
        try {
            james.mailetContext().sendMail(mail);
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    static String message(String from, String to, String messageId, String extraHeaders, String subject, String body) {
        return TestMessages.plain(from, to, messageId, extraHeaders, subject, body);
    }
}
