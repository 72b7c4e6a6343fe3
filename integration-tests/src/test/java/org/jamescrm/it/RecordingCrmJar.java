package org.jamescrm.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The jar of the recording CRM, a connector plug-in that exists only in the tests (its sources are in
 * {@code src/test/plugin}), built the way its author would build it: compiled against the product's
 * 3.8 jar, the one James loads, so against the published SPI and nothing else, and packed with its
 * {@code META-INF/services/org.jamescrm.spi.CrmConnectorProvider}. The tests put it in James's
 * {@code extensions-jars/} beside the product's jar ({@link InstalledJames#recordingCrm}).
 *
 * <p>Why its sources are not test sources: James's extension class loader asks its parent, the test
 * class path, first. The product is not on that class path (the surefire execution excludes it), so a
 * plug-in class found there would fail to link against {@code org.jamescrm.spi}; and were the product
 * there, the plug-in would implement another copy of the SPI than the one James's product classes
 * load it with. Compiled here, the plug-in is only in its jar, as in an administrator's installation.
 */
final class RecordingCrmJar {
    /** The plug-in's sources: Java files by package and the {@code META-INF/services} file. */
    static final Path SOURCES = Path.of(System.getProperty("plugin.sources", "src/test/plugin"));
    /** Where the jar is built and the recorded writes of each test class are kept. */
    static final Path BUILD = Path.of(System.getProperty("plugin.build", "target/recording-crm")).toAbsolutePath();
    private static final Path JAR = BUILD.resolve("recording-crm.jar");

    private static boolean built;

    private RecordingCrmJar() {
    }

    /** The jar, built on first use. */
    static synchronized Path jar() {
        if (!built) {
            build();
            built = true;
        }
        return JAR;
    }

    /** A fresh file for the writes the recording CRM of {@code testClass}'s James records. */
    static Path writesOf(Class<?> testClass) {
        try {
            Files.createDirectories(BUILD);
            Path writes = BUILD.resolve(testClass.getSimpleName() + "-writes.jsonl");
            Files.deleteIfExists(writes);
            return writes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void build() {
        try {
            Path classes = BUILD.resolve("classes");
            deleteRecursively(classes);
            Files.createDirectories(classes);
            compile(classes);
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(JAR), manifest())) {
                add(jar, classes, file -> true);
                add(jar, SOURCES, file -> !file.toString().endsWith(".java"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the recording CRM's jar from " + SOURCES.toAbsolutePath(), e);
        }
    }

    private static void compile(Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("the recording CRM is compiled by the tests: run them on a JDK, not a JRE");
        }
        List<Path> sources = files(SOURCES).stream().filter(file -> file.toString().endsWith(".java")).toList();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-Xlint:all,-options",
                "-classpath", ExtensionJarContentTest.JAMES38_JAR.toAbsolutePath().toString(), "-d", classes.toString());
            boolean compiled = compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
            if (!compiled || !diagnostics.getDiagnostics().isEmpty()) {
                throw new IllegalStateException("the recording CRM does not compile cleanly against "
                    + ExtensionJarContentTest.JAMES38_JAR + ":\n" + diagnostics.getDiagnostics().stream()
                        .map(Object::toString).collect(Collectors.joining("\n")));
            }
        }
    }

    private static Manifest manifest() {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        return manifest;
    }

    private static void add(JarOutputStream jar, Path root, Predicate<Path> included) throws IOException {
        for (Path file : files(root)) {
            if (included.test(file)) {
                jar.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
