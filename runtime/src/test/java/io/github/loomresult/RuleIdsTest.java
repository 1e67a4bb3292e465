package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every behaviour rule id that a test or a document names ({@code N6}, {@code R1-R8}, a test method
 * {@code w3_...}) is a rule of {@code docs/SEMANTICS.md}: the tests are a specification only if the
 * rules they cite exist.
 */
class RuleIdsTest {
  /** A rule entry in SEMANTICS.md: a list item that opens with the bold id, {@code - **N1.**}. */
  private static final Pattern RULE_ENTRY = Pattern.compile("(?m)^- \\*\\*([NRSW]\\d+)\\.\\*\\*");

  /**
   * A rule id in text: {@code N6}, or a range {@code N3-N11} / {@code S1-S3}. Not preceded by a
   * letter, digit or hyphen ({@code LR-W1} is a processor diagnostic, {@code SKU-137} an input);
   * not followed by a letter or digit.
   */
  private static final Pattern ID_IN_TEXT =
      Pattern.compile("(?<![\\w-])([NRSW])(\\d{1,2})(?:-\\1?(\\d{1,2}))?(?![\\w-])");

  /** A test method named after a rule: {@code void n6_outsideInterruptSurvives()}. */
  private static final Pattern ID_IN_TEST_NAME = Pattern.compile("\\bvoid ([nrsw])(\\d{1,2})_");

  @Test
  void everyRuleIdInTestsAndDocsResolvesInSemantics() throws IOException {
    Path root = repositoryRoot();
    Set<String> rules = rulesIn(Files.readString(root.resolve("docs/SEMANTICS.md")));

    List<String> unresolved = new ArrayList<>();
    for (Path file : filesToScan(root)) {
      String text = Files.readString(file);
      for (String id : idsIn(text, file.toString().endsWith(".java"))) {
        if (!rules.contains(id)) {
          unresolved.add(root.relativize(file) + ": " + id);
        }
      }
    }
    assertEquals(List.of(), unresolved, "rule ids that docs/SEMANTICS.md does not define");
  }

  @Test
  void semanticsDefinesEachRuleOnce() throws IOException {
    String semantics = Files.readString(repositoryRoot().resolve("docs/SEMANTICS.md"));
    Matcher m = RULE_ENTRY.matcher(semantics);
    Set<String> seen = new TreeSet<>();
    List<String> twice = new ArrayList<>();
    while (m.find()) {
      if (!seen.add(m.group(1))) {
        twice.add(m.group(1));
      }
    }
    assertEquals(List.of(), twice, "rules defined more than once");
    assertTrue(seen.containsAll(List.of("N1", "R1", "S1", "W1")), () -> "rules found: " + seen);
  }

  /** An id no rule has; built so that this file does not name it literally. */
  private static final String UNDEFINED = "N" + 99;

  @Test
  void theScanFindsSinglesRangesAndTestNamesButNotOtherTokens() {
    String text =
        "// ---- R8: per-task cancel\n"
            + "/** Rules N3-N11, S1-S3 and W7. */\n"
            + "void w3_stopsEarly() {}\n"
            + "LR-W1 SKU-137 N6x 'W' R2D2 ab-N4 x1_ "
            + UNDEFINED
            + "\n";
    Set<String> ids = idsIn(text, true);
    assertEquals(
        new TreeSet<>(
            List.of(
                "R8", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N10", "N11", "S1", "S2", "S3",
                "W7", "W3", UNDEFINED)),
        ids);
    assertFalse(idsIn("void w3_x() {}", false).contains("W3"), "test names count in Java only");
  }

  private static Set<String> rulesIn(String semantics) {
    Set<String> rules = new TreeSet<>();
    Matcher m = RULE_ENTRY.matcher(semantics);
    while (m.find()) {
      rules.add(m.group(1));
    }
    return rules;
  }

  private static Set<String> idsIn(String text, boolean java) {
    Set<String> ids = new TreeSet<>();
    Matcher m = ID_IN_TEXT.matcher(text);
    while (m.find()) {
      String kind = m.group(1);
      int from = Integer.parseInt(m.group(2));
      int to = m.group(3) == null ? from : Integer.parseInt(m.group(3));
      for (int i = from; i <= Math.max(from, to); i++) {
        ids.add(kind + i);
      }
    }
    if (java) {
      Matcher t = ID_IN_TEST_NAME.matcher(text);
      while (t.find()) {
        ids.add(t.group(1).toUpperCase(Locale.ROOT) + t.group(2));
      }
    }
    return ids;
  }

  /** The test sources of every module, and the Markdown documents. */
  private static List<Path> filesToScan(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.filter(Files::isDirectory).toList()) {
        Path tests = module.resolve("src/test/java");
        if (Files.isDirectory(tests)) {
          files.addAll(walk(tests, ".java"));
        }
      }
    }
    files.addAll(walk(root.resolve("docs"), ".md"));
    files.add(root.resolve("README.md"));
    assertTrue(
        files.stream().anyMatch(f -> f.endsWith("RuleIdsTest.java")),
        () -> "the scan missed the runtime's own tests under " + root);
    return files;
  }

  private static List<Path> walk(Path dir, String suffix) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** The directory that holds the parent POM and docs/, found upwards from the working dir. */
  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/SEMANTICS.md"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new UncheckedIOException(
        new IOException("no docs/SEMANTICS.md above " + Path.of("").toAbsolutePath()));
  }
}
