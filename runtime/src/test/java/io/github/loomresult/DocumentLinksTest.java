package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Markdown documents link only to files that exist in the repository: a reader of a clone can
 * follow every relative link.
 */
class DocumentLinksTest {
  /** A Markdown link or image target: {@code [text](target)} or {@code [text](target "title")}. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

  @Test
  void everyRelativeLinkResolvesToAFileInTheRepository() throws IOException {
    Path root = repositoryRoot();
    List<String> broken = new ArrayList<>();
    for (Path doc : documents(root)) {
      Matcher m = LINK.matcher(Files.readString(doc));
      while (m.find()) {
        String target = m.group(1);
        if (target.startsWith("#") || target.matches("[a-z][a-z+.-]*:.*")) {
          continue; // an anchor in the same document, or a URL
        }
        String file = target.replaceFirst("#.*", "");
        Path resolved = doc.getParent().resolve(file).normalize();
        if (!resolved.startsWith(root) || !Files.exists(resolved)) {
          broken.add(root.relativize(doc) + ": " + target);
        }
      }
    }
    assertEquals(List.of(), broken, "links to files that are not in the repository");
  }

  private static List<Path> documents(Path root) throws IOException {
    List<Path> docs = new ArrayList<>();
    try (Stream<Path> top = Files.list(root)) {
      top.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
    }
    try (Stream<Path> under = Files.walk(root.resolve("docs"))) {
      under.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
    }
    assertTrue(docs.contains(root.resolve("README.md")), () -> "no README.md in " + root);
    return docs;
  }

  /** The directory that holds the parent POM and docs/, found upwards from the working dir. */
  private static Path repositoryRoot() throws IOException {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p.toRealPath();
      }
    }
    throw new IOException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
