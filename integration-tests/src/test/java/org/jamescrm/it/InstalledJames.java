package org.jamescrm.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerBuilder;
import org.apache.james.JamesServerExtension;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.data.UsersRepositoryModuleChooser;
import org.apache.james.modules.protocols.ImapGuiceProbe;
import org.apache.james.modules.protocols.SmtpGuiceProbe;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.WebAdminGuiceProbe;

/**
 * Installs the product into a fresh James working directory exactly as the README tells an
 * administrator: the product's {@code conf/} files and the 3.8 jar in {@code extensions-jars/}, both
 * taken from the layout {@code james-config} builds. The only changes: servers bind to free ports,
 * a test may edit a configuration file (a smarthost, other capture settings) and add a jar beside the
 * product's (a CRM connector plug-in).
 */
final class InstalledJames {
    /** The layout built by james-config: conf/ and extensions-jars/ as installed for the main job. */
    static final Path INSTALLATION = Path.of(System.getProperty("product.installation", "../james-config/target/james"));

    private final Map<String, UnaryOperator<String>> edits = new LinkedHashMap<>();
    private final Map<String, String> addedConfFiles = new LinkedHashMap<>();
    private final List<Path> extensionJars = new ArrayList<>();
    private boolean durable;
    private Path sharedErrorRepository;
    private volatile Path workingDirectory;

    private InstalledJames() {
        edit("smtpserver.xml", xml -> replaceOnce(xml, "<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:0</bind>"));
        edit("imapserver.xml", xml -> replaceOnce(xml, "<bind>127.0.0.1:1143</bind>", "<bind>127.0.0.1:0</bind>"));
        edit("webadmin.properties", properties -> replaceOnce(properties, "port=8000", "port=0"));
    }

    /** The product's configuration with free ports. */
    static InstalledJames withProductConfiguration() {
        return new InstalledJames();
    }

    /** Also applies {@code edit} to {@code conf/<file>}. */
    InstalledJames edit(String file, UnaryOperator<String> edit) {
        edits.merge(file, edit, (first, second) -> text -> second.apply(first.apply(text)));
        return this;
    }

    /** Also writes {@code conf/<file>}, a file the product's configuration does not have (a key, a certificate). */
    InstalledJames addConfFile(String file, String content) {
        addedConfFiles.put(file, content);
        return this;
    }

    /** Sends outgoing mail through RemoteDelivery's documented smarthost option to {@code port} on loopback. */
    InstalledJames smarthost(int port) {
        return edit("mailetcontainer.xml", xml -> replaceOnce(xml, "<bounceProcessor>bounces</bounceProcessor>",
            "<bounceProcessor>bounces</bounceProcessor>\n        <gateway>127.0.0.1</gateway>\n        <gatewayPort>" + port + "</gatewayPort>"));
    }

    /** Replaces {@code conf/crm-capture.xml} by {@code settings}. */
    InstalledJames captureSettings(String settings) {
        return edit("crm-capture.xml", ignored -> settings);
    }

    /**
     * The capture settings of the CRMs' capture-rules tests around {@code crm} (its {@code <connector>} and
     * its own element): the capture address, lead creation off but repeat leads on, the group mailbox
     * sales@ in round robin between Alice and Bob (creating leads), and Dora's leadless mailbox.
     */
    static String captureRulesSettings(String crm) {
        return "<crmcapture>\n" + crm + """
          <captureAddress>crm@company.example</captureAddress>
          <defaults>
            <createLeadForIncoming>false</createLeadForIncoming>
            <repeatSale>lead</repeatSale>
          </defaults>
          <mailbox address="sales@company.example" group="true">
            <createLeadForIncoming>true</createLeadForIncoming>
            <distribution>round-robin</distribution>
            <queue>alice@company.example, bob@company.example</queue>
          </mailbox>
          <mailbox address="dora@company.example">
            <createLeadForIncoming>true</createLeadForIncoming>
            <leadless>true</leadless>
          </mailbox>
        </crmcapture>
        """;
    }

    /** Capture settings that select the Bitrix24 connector on {@code portal} through an inbound webhook, all else default. */
    InstalledJames bitrix24(java.net.URI portal, int webhookUser, String webhookCode) {
        return captureSettings("""
            <crmcapture>
              <connector>bitrix24</connector>
              <bitrix24>
                <portal>%s</portal>
                <webhook user="%d" code="%s"/>
              </bitrix24>
            </crmcapture>
            """.formatted(portal, webhookUser, webhookCode));
    }

    /** Capture settings that select the EspoCRM connector on {@code site} with an API key, all else default. */
    InstalledJames espocrm(java.net.URI site, String apiKey) {
        return captureSettings("""
            <crmcapture>
              <connector>espocrm</connector>
              <espocrm>
                <url>%s</url>
                <apiKey>%s</apiKey>
              </espocrm>
            </crmcapture>
            """.formatted(site, apiKey));
    }

    /**
     * The {@code <connector>} and {@code <zoho>} elements selecting the Zoho connector on {@code org}, its
     * accounts host on the emulator's loopback server.
     */
    static String zohoElement(org.jamescrm.emulator.zoho.ZohoEmulator org) {
        return """
              <connector>zoho</connector>
              <zoho>
                <dataCentre>%s</dataCentre>
                <clientId>%s</clientId>
                <clientSecret>%s</clientSecret>
                <refreshToken>%s</refreshToken>
                <accountsUrl>%s</accountsUrl>
              </zoho>
            """.formatted(org.dataCentre(), org.clientId(), org.clientSecret(), org.refreshToken(), org.accountsUrl());
    }

    /** Capture settings that select the Zoho connector on {@code org} (its Self Client), all else default. */
    InstalledJames zoho(org.jamescrm.emulator.zoho.ZohoEmulator org) {
        return captureSettings("<crmcapture>\n" + zohoElement(org) + "</crmcapture>\n");
    }

    /**
     * Also puts {@code jar} in {@code extensions-jars/} beside the product's jar, as an administrator
     * adds a CRM connector: James loads the folder's jars in one class loader.
     */
    InstalledJames extensionJar(Path jar) {
        extensionJars.add(jar);
        return this;
    }

    /**
     * Adds the recording CRM's jar ({@link RecordingCrmJar}) and selects it, recording its writes in
     * {@code writes}; Alice and Bob are its users {@code u-alice} and {@code u-bob}; all else default.
     */
    InstalledJames recordingCrm(Path writes) {
        return extensionJar(RecordingCrmJar.jar()).captureSettings("""
            <crmcapture>
              <connector>recording</connector>
              <recording>
                <file>%s</file>
                <user id="u-alice" email="alice@company.example" name="Alice Adams"/>
                <user id="u-bob" email="bob@company.example" name="Bob Brown"/>
              </recording>
            </crmcapture>
            """.formatted(writes));
    }

    /**
     * What a single-server James keeps across a restart: James's ActiveMQ mail queue (KahaDB store
     * under the working directory) instead of the memory queue, and the capture error repository in
     * James's file mail repository ({@code file://var/mail/crm-capture-error/}), as the James apps
     * that run ActiveMQ configure their repositories. Mailboxes and users stay in memory.
     */
    InstalledJames durable() {
        durable = true;
        edit("mailrepositorystore.xml", ignored -> DURABLE_REPOSITORIES);
        return edit("mailetcontainer.xml", xml -> replaceOnce(xml, "<errorRepository>memory://var/mail/crm-capture-error/</errorRepository>",
            "<errorRepository>file://var/mail/crm-capture-error/</errorRepository>"));
    }

    /**
     * The capture error repository in James's file mail repository on a directory every server of a
     * cluster mounts ({@code shared}, reached as {@code var/mail/crm-capture-error} of each working
     * directory), its keys read from the directory at every listing ({@code CACHEKEYS="false"}): what
     * one server parks, any server lists and replays. The queue stays James's memory queue.
     */
    InstalledJames sharedErrorRepository(Path shared) {
        sharedErrorRepository = shared;
        edit("mailrepositorystore.xml", ignored -> DURABLE_REPOSITORIES.replace("CACHEKEYS=\"true\"", "CACHEKEYS=\"false\""));
        return edit("mailetcontainer.xml", xml -> replaceOnce(xml, "<errorRepository>memory://var/mail/crm-capture-error/</errorRepository>",
            "<errorRepository>file://var/mail/crm-capture-error/</errorRepository>"));
    }

    /** James's file mail repository for {@code file://} URLs beside the memory one, file by default. */
    private static final String DURABLE_REPOSITORIES = """
        <?xml version="1.0"?>
        <mailrepositorystore>
          <defaultProtocol>file</defaultProtocol>
          <mailrepositories>
            <mailrepository class="org.apache.james.mailrepository.file.FileMailRepository">
              <protocols>
                <protocol>file</protocol>
              </protocols>
              <config FIFO="false" CACHEKEYS="true"/>
            </mailrepository>
            <mailrepository class="org.apache.james.mailrepository.memory.MemoryMailRepository">
              <protocols>
                <protocol>memory</protocol>
              </protocols>
            </mailrepository>
          </mailrepositories>
        </mailrepositorystore>
        """;

    /** A James 3.8.1 memory server with this installation, one per test class. */
    JamesServerExtension extension() {
        return new JamesServerBuilder<MemoryJamesConfiguration>(this::install)
            .server(this::server)
            .lifeCycle(JamesServerExtension.Lifecycle.PER_CLASS)
            .build();
    }

    /** The memory server, with James's ActiveMQ queue when {@link #durable()}. */
    GuiceJamesServer server(MemoryJamesConfiguration configuration) {
        GuiceJamesServer server = MemoryJamesServerMain.createServer(configuration);
        return durable ? server.overrideWith(new ActiveMqMailQueueModule()) : server;
    }

    /** What the tests talk to: SMTP/IMAP and WebAdmin of a started server. */
    record Clients(MailClient mail, WebAdminClient webAdmin) {
    }

    /** Creates the mailboxes (password {@link MailClient#PASSWORD}) and connects the clients. */
    static Clients connect(GuiceJamesServer server, String... mailboxes) throws Exception {
        for (String mailbox : mailboxes) {
            server.getProbe(DataProbeImpl.class).addUser(mailbox, MailClient.PASSWORD);
        }
        return new Clients(new MailClient(server.getProbe(SmtpGuiceProbe.class).getSmtpPort().getValue(),
            server.getProbe(ImapGuiceProbe.class).getImapPort()),
            new WebAdminClient(server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue()));
    }

    /** {@code conf/<file>} of the installed server, for a test that edits it while James runs. */
    Path confFile(String file) {
        if (workingDirectory == null) {
            throw new IllegalStateException("James is not installed yet");
        }
        return workingDirectory.resolve("conf").resolve(file);
    }

    /** Lays the working directory out and returns James's configuration for it. */
    MemoryJamesConfiguration install(File workingDirectory) {
        this.workingDirectory = workingDirectory.toPath();
        try {
            Path conf = workingDirectory.toPath().resolve("conf");
            Files.createDirectories(conf);
            try (Stream<Path> files = Files.list(INSTALLATION.resolve("conf"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, conf.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (Map.Entry<String, String> added : addedConfFiles.entrySet()) {
                Files.writeString(conf.resolve(added.getKey()), added.getValue(), StandardCharsets.UTF_8);
            }
            for (Map.Entry<String, UnaryOperator<String>> edit : edits.entrySet()) {
                Path file = conf.resolve(edit.getKey());
                Files.writeString(file, edit.getValue().apply(Files.readString(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            }
            Path extensions = workingDirectory.toPath().resolve("extensions-jars");
            Files.createDirectories(extensions);
            try (Stream<Path> jars = Files.list(INSTALLATION.resolve("extensions-jars"))) {
                for (Path jar : jars.toList()) {
                    Files.copy(jar, extensions.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (Path jar : extensionJars) {
                Files.copy(jar, extensions.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            if (sharedErrorRepository != null) { // as a shared mount would be
                Path mail = Files.createDirectories(workingDirectory.toPath().resolve("var").resolve("mail"));
                Files.createDirectories(sharedErrorRepository);
                Files.createSymbolicLink(mail.resolve("crm-capture-error"), sharedErrorRepository.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the product from " + INSTALLATION.toAbsolutePath()
                + " (run the build of james-config first)", e);
        }
        return MemoryJamesConfiguration.builder()
            .workingDirectory(workingDirectory)
            .usersRepository(UsersRepositoryModuleChooser.Implementation.DEFAULT)
            .build();
    }

    private static String replaceOnce(String text, String target, String replacement) {
        if (!text.contains(target)) {
            throw new IllegalStateException("the product configuration no longer contains '" + target + "'");
        }
        return text.replace(target, replacement);
    }
}
