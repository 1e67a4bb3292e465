package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomresult.Nursery;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples users copy compile against the built runtime: every {@code <pre>{@code ...}} block
 * of the javadoc of the types listed here, and the README's runtime blocks (the sections before
 * Context). Each example is taken from the file as it is and compiled with javac, wrapped in a
 * class that declares what the example takes as given (a {@code nursery}, a {@code journal}, ...):
 * the stubs below, one set per file. A method-level example becomes a method body; a README block
 * with imports or declarations becomes the class body.
 */
class DocumentationExamplesTest {
  private static final String IMPORTS =
      """
      import io.github.loomresult.*;
      import java.io.IOException;
      import java.net.URI;
      import java.net.http.HttpRequest;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.time.Duration;
      import java.util.List;
      import java.util.Optional;
      import java.util.stream.Stream;
      """;

  private static final String HTTP =
      """
      interface Http { String get(String url) throws IOException; String get(URI uri) throws IOException; }
      Http http;
      Nursery nursery;
      List<String> urls;
      List<URI> uris;
      """;

  /** What each file's examples take as given. */
  private static final Map<String, String> STUBS =
      Map.of(
          "VoidTask.java",
          """
          Nursery nursery;
          Path source, target;
          interface Mailer { void send(String message) throws IOException; }
          Mailer mailer;
          String message;
          """,
          "Cancellation.java",
          """
          Nursery nursery;
          record Row() {}
          List<Row> rows;
          void index(Row row) {}
          interface Journal { void flush() throws IOException; }
          Journal journal;
          URI uri;
          """,
          "ResultBase.java",
          """
          Nursery nursery;
          String url, id;
          String fetch(String url) throws IOException { return url; }
          interface Users { String fetch(String id) throws IOException; }
          Users users;
          """,
          "Limiter.java",
          HTTP,
          "KeyedLimiter.java",
          HTTP,
          "CompletionChannel.java",
          """
          record Quote() {}
          List<ResultCapture<Quote>> captures;
          """,
          "Results.java",
          """
          record Price() {}
          record Page() {}
          interface Pricing { Price lookup(String sku) throws IOException; }
          Pricing pricing;
          List<String> skus, urls;
          ResultCapture<byte[]> mirrorA, mirrorB, mirrorC;
          Page fetch(String url) throws IOException { return new Page(); }
          """,
          "Future.java",
          """
          Nursery nursery;
          record Connection() {}
          Connection connect() throws IOException { return new Connection(); }
          void serve() throws InterruptedException {}
          """);

  private static final String README_STUBS =
      """
      interface Service<T> { T fetch(String id) throws IOException; }
      Service<String> userService;
      Service<List<String>> orderService;
      ResultCapture<?> a, b, c;
      ResultCapture<byte[]> mirrorA, mirrorB, mirrorC;
      List<ResultCapture<byte[]>> mirrors;
      record Quote() {}
      List<ResultCapture<Quote>> captures;
      String fetch(String path) throws IOException { return path; }
      List<java.util.concurrent.Callable<String>> tasks;
      record Price() {}
      interface Pricing { Price lookup(String sku) throws IOException; }
      Pricing pricing;
      List<String> skus;
      boolean isActive(String sku) { return true; }
      void show(long index, Object value) {}
      URI uri;
      """
          + HTTP;

  private static final Pattern JAVADOC_EXAMPLE =
      Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\* \\}</pre>", Pattern.DOTALL);
  private static final Pattern README_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void theJavadocExamplesOfTheListedTypesCompile(@TempDir Path out) throws Exception {
    List<JavaFileObject> units = new ArrayList<>();
    for (Map.Entry<String, String> file : STUBS.entrySet()) {
      String source =
          Files.readString(
              Path.of("../runtime/src/main/java/io/github/loomresult").resolve(file.getKey()));
      Matcher m = JAVADOC_EXAMPLE.matcher(source);
      int n = 0;
      while (m.find()) {
        String example = m.group(1).replaceAll("(?m)^\\s*\\* ?", "");
        String name = file.getKey().replace(".java", "") + "Example" + (++n);
        units.add(unit(name, asMethodBody(name, file.getValue(), example)));
      }
      assertTrue(n > 0, "no example found in " + file.getKey());
    }
    assertCompiles(units, out);
  }

  @Test
  void theReadmeBlocksOfTheRuntimeCompile(@TempDir Path out) throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    // Up to "## Context", whose blocks use other libraries (SLF4J, OpenTelemetry, Micrometer).
    String runtimePart = readme.substring(0, readme.indexOf("## Context"));
    Matcher m = README_BLOCK.matcher(runtimePart);
    List<JavaFileObject> units = new ArrayList<>();
    int n = 0;
    while (m.find()) {
      String block = m.group(1);
      String name = "ReadmeExample" + (++n);
      boolean declarations = block.contains("\nimport ") || block.startsWith("import ");
      units.add(
          unit(
              name,
              declarations ? asClassBody(name, block) : asMethodBody(name, README_STUBS, block)));
    }
    assertEquals(3, n, "the README's runtime sections have three Java blocks");
    assertCompiles(units, out);
  }

  private static String asMethodBody(String name, String stubs, String example) {
    // "if (true)" keeps a trailing statement reachable after an example that returns.
    return IMPORTS
        + "abstract class "
        + name
        + " {\n"
        + stubs
        + "\nObject example() throws Exception {\nif (true) {\n"
        + example
        + "\n}\nreturn null;\n}\n}\n";
  }

  private static String asClassBody(String name, String block) {
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : block.split("\n", -1)) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    return IMPORTS + imports + "abstract class " + name + " {\n" + README_STUBS + body + "}\n";
  }

  private static JavaFileObject unit(String name, String code) {
    return new SimpleJavaFileObject(
        java.net.URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    };
  }

  private static void assertCompiles(List<JavaFileObject> units, Path out)
      throws IOException, URISyntaxException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classpath =
        Path.of(Nursery.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            + File.pathSeparator
            + System.getProperty("java.class.path");
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      boolean ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of("-classpath", classpath, "-d", out.toString(), "-proc:none"),
                  null,
                  units)
              .call();
      StringBuilder report = new StringBuilder();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          report
              .append(d.getSource() == null ? "?" : d.getSource().getName())
              .append(':')
              .append(d.getLineNumber())
              .append(": ")
              .append(d.getMessage(Locale.ROOT))
              .append('\n');
        }
      }
      assertTrue(ok, "examples that do not compile:\n" + report);
    }
  }
}
