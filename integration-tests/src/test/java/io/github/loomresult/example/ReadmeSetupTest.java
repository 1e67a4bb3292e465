package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consumer projects that maven-invoker-plugin builds (src/it/readme-*) use the README's "Maven
 * set-up" snippet as it stands: if the README changes, the check follows it.
 */
class ReadmeSetupTest {
  private static final Path README = Path.of("..", "README.md");

  @ParameterizedTest
  @ValueSource(strings = {"readme-maven-setup", "readme-modular", "readme-legacy"})
  void consumerPomContainsEveryDependencyAndThePluginsOfTheReadmeSnippet(String project)
      throws IOException {
    Path pom = Path.of("src", "it", project, "pom.xml");
    String snippet = mavenSetupSnippet();
    String consumer = normalized(Files.readString(pom));
    List<String> parts = new ArrayList<>();
    Matcher dependency = Pattern.compile("(?s)<dependency>.*?</dependency>").matcher(snippet);
    while (dependency.find()) {
      parts.add(dependency.group());
    }
    Matcher plugins = Pattern.compile("(?s)<plugins>.*?</plugins>").matcher(snippet);
    assertTrue(plugins.find(), "the README's snippet has no <plugins>");
    parts.add(plugins.group());
    assertFalse(parts.size() < 3, "the README's snippet lost its dependencies: " + snippet);
    for (String part : parts) {
      assertTrue(
          consumer.contains(normalized(part)),
          () -> pom + " does not contain the README's\n" + part);
    }
  }

  /** The first xml block after the "### Maven set-up" heading. */
  private static String mavenSetupSnippet() throws IOException {
    String readme = Files.readString(README);
    int section = readme.indexOf("### Maven set-up");
    assertTrue(section >= 0, "README has no Maven set-up section");
    int start = readme.indexOf("```xml\n", section) + "```xml\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  /** Whitespace between tags does not matter, anything else does. */
  private static String normalized(String xml) {
    return xml.replaceAll(">\\s+<", "><").strip();
  }
}
