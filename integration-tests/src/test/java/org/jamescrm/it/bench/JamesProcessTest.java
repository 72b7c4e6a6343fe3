package org.jamescrm.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks' James starts with the JVM options of the product's layout, as {@code bin/run-james}
 * passes them: the file is one the java launcher reads, its heap is fixed, and a benchmark's own heap
 * size replaces the layout's; the servers a benchmark may start are named as its option names them.
 */
class JamesProcessTest {
    private static final Path PRODUCT_OPTIONS = Path.of("../james-config/src/main/conf", JamesProcess.OPTIONS_FILE);

    @Test
    void theProductsOptionsShouldFixTheHeapAndTouchItAtStart() throws Exception {
        List<String> options = JamesProcess.installedOptions(PRODUCT_OPTIONS);

        String initial = options.stream().filter(option -> option.startsWith("-Xms")).findFirst().orElseThrow().substring(4);
        String maximum = options.stream().filter(option -> option.startsWith("-Xmx")).findFirst().orElseThrow().substring(4);
        assertThat(initial).isEqualTo(maximum);
        assertThat(options).contains("-XX:+AlwaysPreTouch").noneMatch(option -> option.startsWith("#") || option.isBlank());
    }

    @Test
    void theJavaLauncherShouldAcceptTheProductsOptionsFileAsItIs() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "@" + PRODUCT_OPTIONS.toAbsolutePath(), "-XX:+PrintFlagsFinal", "-version")
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("bool AlwaysPreTouch\\s+= true")
            .containsPattern("size_t MaxHeapSize\\s+= " + (1L << 30) + "\\s");
    }

    @Test
    void commentsAndBlankLinesShouldNotBecomeOptions(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("jvm.options");
        Files.writeString(file, "# a comment\n\n  -Xmx1g  \n# -Xms2g\n-XX:+AlwaysPreTouch\n");

        assertThat(JamesProcess.installedOptions(file)).containsExactly("-Xmx1g", "-XX:+AlwaysPreTouch");
        assertThat(JamesProcess.installedOptions(folder.resolve("absent"))).isEmpty();
    }

    @Test
    void aHeapSizeOfTheBenchmarkShouldReplaceBothOfTheLayouts() {
        List<String> installed = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");

        assertThat(JamesProcess.withInstalledOptions(installed, List.of("-Xmx512m", "-Xlog:gc")))
            .containsExactly("-XX:+AlwaysPreTouch", "-Xmx512m", "-Xlog:gc");
        assertThat(JamesProcess.withInstalledOptions(installed, List.of("-Xlog:gc")))
            .containsExactly("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Xlog:gc");
    }

    @Test
    void aServerShouldBeNamedAsTheBenchmarksOptionNamesIt() {
        assertThat(JamesProcess.Server.named("memory")).isEqualTo(JamesProcess.Server.MEMORY);
        assertThat(JamesProcess.Server.named("activemq-queues")).isEqualTo(JamesProcess.Server.ACTIVEMQ_QUEUES);
        assertThat(JamesProcess.Server.named("naive-threads")).isEqualTo(JamesProcess.Server.NAIVE_THREADS);
        assertThat(JamesProcess.Server.NAIVE_THREADS.launch()).last().isEqualTo("org.jamescrm.it.NaiveThreadsJamesServerMain");
        assertThatThrownBy(() -> JamesProcess.Server.named("jpa")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("the James server is memory, activemq-queues or naive-threads, not jpa");
    }
}
