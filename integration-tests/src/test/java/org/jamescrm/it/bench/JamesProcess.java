package org.jamescrm.it.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.net.imap.IMAPClient;
import org.jamescrm.it.ActiveMqJamesServerMain;
import org.jamescrm.it.NaiveThreadsJamesServerMain;

/**
 * A James of the product's layout (what james-config builds and {@code bin/run-james} starts) in a
 * JVM of its own, with the layout's JVM options, in a fresh folder: the conf copied with free ports and
 * the benchmark's edits, the server and extension jars linked. The benchmarks that measure James's own process use it.
 */
final class JamesProcess implements AutoCloseable {
    static final Path INSTALLATION = Path.of(System.getProperty("bench.installation", "../james-config/target/james"));
    /** The JVM options of the layout, in its conf/ folder. */
    static final String OPTIONS_FILE = "jvm.options";

    private final HttpClient http = HttpClient.newHttpClient();
    private final Path directory;
    private final Process process;
    final int smtp;
    final int imap;
    final int webAdmin;

    private JamesProcess(Path directory, Process process, int smtp, int imap, int webAdmin) {
        this.directory = directory;
        this.process = process;
        this.smtp = smtp;
        this.imap = imap;
        this.webAdmin = webAdmin;
    }

    /** Which James 3.8.1 memory server runs: as {@code bin/run-james} starts it, or with one part replaced. */
    enum Server {
        /** The memory server as {@code bin/run-james} starts it: its queues in the heap, each mail cloned there. */
        MEMORY(null),
        /** James's ActiveMQ queue, its embedded broker's store under the working directory ({@link ActiveMqJamesServerMain}). */
        ACTIVEMQ_QUEUES(ActiveMqJamesServerMain.class),
        /** Each new mail's thread found without searching the mailboxes ({@link NaiveThreadsJamesServerMain}). */
        NAIVE_THREADS(NaiveThreadsJamesServerMain.class);

        private final Class<?> mainClass;

        Server(Class<?> mainClass) {
            this.mainClass = mainClass;
        }

        /** The server named {@code memory}, {@code activemq-queues} or {@code naive-threads}. */
        static Server named(String name) {
            for (Server server : values()) {
                if (server.optionName().equals(name)) {
                    return server;
                }
            }
            throw new IllegalArgumentException("the James server is memory, activemq-queues or naive-threads, not " + name);
        }

        /** Its name as the benchmarks' option gives it: {@code naive-threads} for {@link #NAIVE_THREADS}. */
        String optionName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** What follows the JVM options on the command line. */
        List<String> launch() {
            if (mainClass == null) {
                return List.of("-jar", "james-server-memory-app.jar");
            }
            // the benchmark's own class path holds the server, the broker and the launchers; the product
            // is loaded from extensions-jars/ only, as the end-to-end tests load it
            String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').endsWith("/crm-connector/target/classes"))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()) // James runs in a folder of its own
                .collect(Collectors.joining(File.pathSeparator));
            return List.of("-cp", classPath, mainClass.getName());
        }
    }

    /** The configuration with RemoteDelivery sending every outgoing mail to a smarthost on loopback at {@code port}. */
    static String withSmarthost(String xml, int port) {
        String target = "<bounceProcessor>bounces</bounceProcessor>";
        return replace(xml, "mailetcontainer.xml", target,
            target + "\n        <gateway>127.0.0.1</gateway>\n        <gatewayPort>" + port + "</gatewayPort>");
    }

    /** The product's mailetcontainer.xml without the CaptureToCrm mailet: the same James, capturing nothing. */
    static String withoutCapture(String xml) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(
            "\\s*<mailet match=\"All\" class=\"org\\.jamescrm\\.james\\.CaptureToCrm\">.*?</mailet>", java.util.regex.Pattern.DOTALL)
            .matcher(xml);
        if (!matcher.find()) {
            throw new IllegalStateException("no CaptureToCrm mailet in mailetcontainer.xml");
        }
        return matcher.replaceFirst("");
    }

    /**
     * Installs into a new temporary folder, applies {@code edits} (file in conf/ to its change), starts
     * James with {@code jvmOptions} (run in the folder: relative paths land there) and waits for WebAdmin.
     */
    static JamesProcess start(String name, Map<String, UnaryOperator<String>> edits, List<String> jvmOptions) throws Exception {
        return start(name, edits, jvmOptions, Server.MEMORY);
    }

    /** As {@link #start(String, Map, List)}, with {@code server} in place of the memory server. */
    static JamesProcess start(String name, Map<String, UnaryOperator<String>> edits, List<String> jvmOptions, Server server)
        throws Exception {
        Path directory = Files.createTempDirectory("crm-" + name + "-");
        int[] ports = freePorts(3);
        int smtp = ports[0];
        int imap = ports[1];
        int webAdmin = ports[2];
        Path conf = directory.resolve("conf");
        Files.createDirectories(conf);
        try (Stream<Path> files = Files.list(INSTALLATION.resolve("conf"))) {
            for (Path file : files.toList()) {
                Files.copy(file, conf.resolve(file.getFileName()));
            }
        }
        edit(conf.resolve("smtpserver.xml"), "<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:" + smtp + "</bind>");
        edit(conf.resolve("imapserver.xml"), "<bind>127.0.0.1:1143</bind>", "<bind>127.0.0.1:" + imap + "</bind>");
        edit(conf.resolve("webadmin.properties"), "port=8000", "port=" + webAdmin);
        // no JMX: its fixed port (9999) would clash with any other James on the machine, and nothing here reads it
        Files.writeString(conf.resolve("jmx.properties"), "jmx.enabled=false\n");
        for (Map.Entry<String, UnaryOperator<String>> edit : edits.entrySet()) {
            Path file = conf.resolve(edit.getKey());
            Files.writeString(file, edit.getValue().apply(Files.readString(file)));
        }
        for (String shared : List.of("extensions-jars", "james-server-memory-app.jar", "james-server-memory-app.lib")) {
            Files.createSymbolicLink(directory.resolve(shared), INSTALLATION.resolve(shared).toAbsolutePath());
        }
        List<String> command = new ArrayList<>();
        String cpus = System.getProperty("bench.cpus", "").strip();
        if (!cpus.isEmpty()) {
            // James alone bound to these CPUs (Linux's taskset), the benchmark's SMTP and IMAP clients left off them
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(withInstalledOptions(installedOptions(conf.resolve(OPTIONS_FILE)), jvmOptions));
        command.addAll(List.of("-Dworking.directory=.", "-Dlogback.configurationFile=conf/logback.xml"));
        command.addAll(server.launch());
        Process process = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true).redirectOutput(directory.resolve("james.log").toFile()).start();
        JamesProcess james = new JamesProcess(directory, process, smtp, imap, webAdmin);
        try {
            james.awaitWebAdmin();
        } catch (Exception e) {
            // the folder goes with close(): what James logged goes with the error
            IllegalStateException failed = new IllegalStateException(e.getMessage() + "; the end of its log:\n" + james.logTail(40), e);
            james.close();
            throw failed;
        }
        return james;
    }

    /**
     * The JVM options of the product's layout, as {@code bin/run-james} passes them ({@code java @conf/jvm.options}):
     * one a line, {@code #} starting a comment; none when the layout has no such file (another build's, with
     * {@code -Dbench.installation}).
     */
    static List<String> installedOptions(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /**
     * The layout's options followed by the benchmark's own; a heap size the benchmark gives ({@code -Xmx},
     * {@code -Xms}) replaces both of the layout's, so that a smaller maximum never meets a larger initial heap.
     */
    static List<String> withInstalledOptions(List<String> installed, List<String> given) {
        boolean heapGiven = given.stream().anyMatch(JamesProcess::isHeapSize);
        List<String> options = new ArrayList<>(installed.stream().filter(option -> !(heapGiven && isHeapSize(option))).toList());
        options.addAll(given);
        return options;
    }

    private static boolean isHeapSize(String option) {
        return option.startsWith("-Xmx") || option.startsWith("-Xms");
    }

    /** Replaces {@code target} in {@code file}, which must contain it. */
    static void edit(Path file, String target, String replacement) throws IOException {
        Files.writeString(file, replace(Files.readString(file), file.toString(), target, replacement));
    }

    /** Replaces {@code target} in {@code text} of the file {@code name}, which must contain it. */
    private static String replace(String text, String name, String target, String replacement) {
        if (!text.contains(target)) {
            throw new IllegalStateException(name + " no longer contains " + target);
        }
        return text.replace(target, replacement);
    }

    /** A file of James's folder (its log, a GC log written there). */
    Path file(String name) {
        return directory.resolve(name);
    }

    /** The running process: alive, CPU time. */
    Process process() {
        return process;
    }

    /** The last {@code lines} lines of James's log. */
    private String logTail(int lines) throws IOException {
        List<String> log = Files.readAllLines(file("james.log"));
        return String.join("\n", log.subList(Math.max(0, log.size() - lines), log.size()));
    }

    /** Creates the mailbox {@code user} with the password {@code secret}. */
    void addUser(String user) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdmin + "/users/" + user))
            .PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"secret\"}")).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Waits until {@code user}'s INBOX holds at least {@code count} mails, checked over IMAP (EXAMINE) every 100 ms. */
    void awaitInbox(String user, int count, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        IMAPClient client = new IMAPClient();
        client.connect("127.0.0.1", imap);
        try {
            if (!client.login(user, "secret")) {
                throw new IOException("IMAP login refused: " + client.getReplyString());
            }
            Pattern messages = Pattern.compile("MESSAGES (\\d+)");
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("James stopped; see " + file("james.log"));
                }
                // STATUS counts the messages; EXAMINE would map every one of them, ten times a second
                client.status("INBOX", new String[] {"MESSAGES"});
                Matcher matcher = messages.matcher(client.getReplyString());
                if (matcher.find() && Integer.parseInt(matcher.group(1)) >= count) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the inbox did not reach " + count + " mails within " + limit);
        } finally {
            client.disconnect();
        }
    }

    private void awaitWebAdmin() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("James stopped at start");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdmin + "/domains")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("James did not start within 3 minutes");
    }

    /** Stops James and deletes its folder. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        process.waitFor();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** {@code count} free ports, all different: each socket stays open until all are picked, so none is handed out twice. */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
