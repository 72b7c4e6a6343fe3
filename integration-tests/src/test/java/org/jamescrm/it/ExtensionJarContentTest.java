package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The two extension jars hold the product's classes and its relocated libraries only, so they never
 * clash with James's own, and each speaks its James line's mail API.
 */
class ExtensionJarContentTest {
    static final Path DIST = Path.of(System.getProperty("product.dist", "../james-config/target/dist"));
    static final Path JAMES38_JAR = DIST.resolve("james-crm-capture-james38.jar");
    static final Path JAMES39_JAR = DIST.resolve("james-crm-capture-james39.jar");

    @Test
    void everyClassOfBothJarsShouldBeTheProductsOrRelocatedUnderIt() throws IOException {
        for (Path jar : List.of(JAMES38_JAR, JAMES39_JAR)) {
            assertThat(classNames(jar)).as(jar.toString()).isNotEmpty().allMatch(name -> name.startsWith("org/jamescrm/"));
            assertThat(classNames(jar)).as(jar.toString())
                .contains("org/jamescrm/james/CaptureToCrm.class", "org/jamescrm/shaded/jackson/databind/ObjectMapper.class");
        }
    }

    @Test
    void theJames38JarShouldUseJavaxMailOnly() throws IOException {
        assertThat(classesMentioning(JAMES38_JAR, "jakarta/mail")).isEmpty();
        assertThat(classesMentioning(JAMES38_JAR, "jakarta/inject")).isEmpty();
        assertThat(classesMentioning(JAMES38_JAR, "javax/mail")).contains("org/jamescrm/james/CaptureToCrm.class");
    }

    @Test
    void theJames39JarShouldUseJakartaMailOnly() throws IOException {
        assertThat(classesMentioning(JAMES39_JAR, "javax/mail")).isEmpty();
        assertThat(classesMentioning(JAMES39_JAR, "jakarta/mail")).contains("org/jamescrm/james/CaptureToCrm.class");
    }

    private static List<String> classNames(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return Collections.list(file.entries()).stream().map(JarEntry::getName).filter(name -> name.endsWith(".class")).toList();
        }
    }

    private static List<String> classesMentioning(Path jar, String text) throws IOException {
        List<String> classes = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                if (entry.getName().endsWith(".class")) {
                    // class file constant pools hold names as modified UTF-8: plain ASCII for these
                    String content = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (content.contains(text)) {
                        classes.add(entry.getName());
                    }
                }
            }
        }
        return classes;
    }
}
