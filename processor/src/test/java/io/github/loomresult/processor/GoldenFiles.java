package io.github.loomresult.processor;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.JavaFileObject;

/**
 * Compares the facades a compilation generated with the expected files under {@code
 * src/test/resources/expected/}, as text.
 *
 * <p>With {@code -Dloomresult.regenerateGolden=true} it writes the generated sources there instead
 * of comparing (review the diff before committing it):
 *
 * <pre>
 * ./mvnw -B -pl processor test -Dtest=FacadeGoldenTest -Dloomresult.regenerateGolden=true
 * </pre>
 */
final class GoldenFiles {
  /** The system property that switches from comparing to regenerating the expected files. */
  static final String REGENERATE = "loomresult.regenerateGolden";

  private GoldenFiles() {}

  /**
   * Asserts that {@code compilation} generated exactly the sources {@code facades} (qualified
   * names), each equal to its expected file, or writes them as the expected files when
   * regenerating.
   */
  static void assertGenerated(Compilation compilation, String... facades) {
    Map<String, String> actual = new TreeMap<>();
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      actual.put(qualifiedName(file), content(file));
    }
    List<String> expectedNames = new ArrayList<>(List.of(facades));
    expectedNames.sort(null);
    if (!new ArrayList<>(actual.keySet()).equals(expectedNames)) {
      fail("generated sources " + actual.keySet() + ", expected " + expectedNames);
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : actual.entrySet()) {
      Path expectedFile = expectedFile(e.getKey());
      if (Boolean.getBoolean(REGENERATE)) {
        write(expectedFile, e.getValue());
        continue;
      }
      if (!Files.exists(expectedFile)) {
        problems.add(
            "missing expected file "
                + expectedFile
                + " (run with -D"
                + REGENERATE
                + "=true to create it)\n"
                + e.getValue());
        continue;
      }
      String expected = read(expectedFile);
      if (!expected.equals(e.getValue())) {
        problems.add(
            e.getKey() + " differs from " + expectedFile + ":\n" + diff(expected, e.getValue()));
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  /**
   * The qualified name of a generated source, from its path in the source output: {@code
   * /SOURCE_OUTPUT/com/example/ConcurrentFoo.java} gives {@code com.example.ConcurrentFoo}.
   */
  private static String qualifiedName(JavaFileObject file) {
    String path = file.toUri().getPath();
    String marker = "/SOURCE_OUTPUT/";
    int start = path.indexOf(marker);
    String relative = start < 0 ? path : path.substring(start + marker.length());
    return relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
  }

  private static String content(JavaFileObject file) {
    try {
      return file.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path expectedFile(String qualifiedName) {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    return module
        .resolve("src/test/resources/expected")
        .resolve(qualifiedName.replace('.', '/') + ".java");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A line diff good enough to read in a test report: the first differing line with a few lines of
   * context, in the style of a unified diff, and the line counts.
   */
  static String diff(String expected, String actual) {
    List<String> e = expected.lines().toList();
    List<String> a = actual.lines().toList();
    int first = 0;
    while (first < e.size() && first < a.size() && e.get(first).equals(a.get(first))) {
      first++;
    }
    int endE = e.size();
    int endA = a.size();
    while (endE > first && endA > first && e.get(endE - 1).equals(a.get(endA - 1))) {
      endE--;
      endA--;
    }
    StringBuilder out = new StringBuilder();
    out.append("@@ -")
        .append(first + 1)
        .append(',')
        .append(endE - first)
        .append(" +")
        .append(first + 1)
        .append(',')
        .append(endA - first)
        .append(" @@\n");
    for (int i = Math.max(0, first - 3); i < first; i++) {
      out.append("  ").append(e.get(i)).append('\n');
    }
    for (int i = first; i < endE; i++) {
      out.append("- ").append(e.get(i)).append('\n');
    }
    for (int i = first; i < endA; i++) {
      out.append("+ ").append(a.get(i)).append('\n');
    }
    for (int i = endE; i < Math.min(e.size(), endE + 3); i++) {
      out.append("  ").append(e.get(i)).append('\n');
    }
    if (first == e.size() && first == a.size()) {
      out.append("(the texts differ only in line endings or a final newline)\n");
    }
    return out.toString();
  }
}
