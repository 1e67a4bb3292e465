package io.github.loomresult.example;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of every live thread, virtual ones included: {@link Thread#getAllStackTraces()} only
 * sees platform threads, so this reads the JDK's JSON thread dump (JDK 21+), which lists the
 * virtual threads started with the {@code Thread} API too.
 */
final class LiveThreads {
  private static final Pattern NAME = Pattern.compile("\"name\": \"((?:[^\"\\\\]|\\\\.)*)\"");

  private LiveThreads() {}

  /** Undoes JSON string escapes: the dump writes a "/" in a thread name as "\/". */
  private static String unescape(String json) {
    StringBuilder out = new StringBuilder(json.length());
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c != '\\' || i + 1 == json.length()) {
        out.append(c);
        continue;
      }
      char e = json.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e); // \" \\ \/
      }
    }
    return out.toString();
  }

  static List<String> names() {
    try {
      Path dir = Files.createTempDirectory("thread-dump");
      Path file = dir.resolve("threads.json"); // must not exist yet
      try {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        String json = Files.readString(file);
        List<String> names = new ArrayList<>();
        Matcher m = NAME.matcher(json);
        while (m.find()) {
          names.add(unescape(m.group(1)));
        }
        return names;
      } finally {
        Files.deleteIfExists(file);
        Files.delete(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
