package io.github.loomresult.processor;

import static com.google.common.truth.Truth.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jar that users put on their processor path (run by failsafe after {@code package}): it
 * registers the processor for javac and for Gradle's incremental compilation, names its automatic
 * module, and carries no runtime classes; its sources and javadoc jars lie beside it, as for every
 * published module (the parent POM attaches them).
 */
class PackagingIT {
  private static final String PROCESSOR = "io.github.loomresult.processor.ConcurrentProcessor";

  private static Path jar;

  @BeforeAll
  static void findJar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      List<Path> jars =
          files
              .filter(p -> {
                String name = p.getFileName().toString();
                return name.matches("loomresult-processor-[^-].*\\.jar")
                    && !name.endsWith("-sources.jar")
                    && !name.endsWith("-javadoc.jar")
                    && !name.endsWith("-tests.jar");
              })
              .collect(Collectors.toList());
      assertThat(jars).hasSize(1);
      jar = jars.get(0);
    }
  }

  private static String read(JarFile file, String name) throws IOException {
    JarEntry entry = file.getJarEntry(name);
    assertThat(entry).isNotNull();
    try (InputStream in = file.getInputStream(entry)) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  /** The non-blank, non-comment lines of a service-style file. */
  private static List<String> lines(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .collect(Collectors.toList());
  }

  @Test
  void registersTheProcessorAsAService() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      String services = read(file, "META-INF/services/javax.annotation.processing.Processor");
      assertThat(lines(services)).containsExactly(PROCESSOR);
    }
  }

  @Test
  void declaresTheProcessorIsolatingForGradle() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      String gradle = read(file, "META-INF/gradle/incremental.annotation.processors");
      assertThat(lines(gradle)).containsExactly(PROCESSOR + ",isolating");
    }
  }

  @Test
  void namesItsAutomaticModule() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getManifest()).isNotNull();
      assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("io.github.loomresult.processor");
    }
  }

  @Test
  void containsTheProcessorAndNoRuntimeClasses() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> classes =
          file.stream()
              .map(JarEntry::getName)
              .filter(n -> n.endsWith(".class"))
              .collect(Collectors.toList());
      assertThat(classes).contains(PROCESSOR.replace('.', '/') + ".class");
      assertThat(
              classes.stream()
                  .filter(n -> n.startsWith("io/github/loomresult/"))
                  .filter(n -> !n.startsWith("io/github/loomresult/processor/"))
                  .filter(n -> !n.startsWith("io/github/loomresult/annotations/"))
                  .collect(Collectors.toList()))
          .isEmpty();
    }
  }

  @Test
  void sourcesAndJavadocJarsLieBesideIt() throws IOException {
    String base = jar.getFileName().toString().replaceAll("\\.jar$", "");
    try (JarFile sources = new JarFile(jar.resolveSibling(base + "-sources.jar").toFile())) {
      assertThat(sources.getJarEntry("io/github/loomresult/processor/ConcurrentProcessor.java"))
          .isNotNull();
    }
    try (JarFile javadoc = new JarFile(jar.resolveSibling(base + "-javadoc.jar").toFile())) {
      assertThat(javadoc.getJarEntry("index.html")).isNotNull();
      assertThat(javadoc.getJarEntry("io/github/loomresult/processor/ConcurrentProcessor.html"))
          .isNotNull();
    }
  }
}
