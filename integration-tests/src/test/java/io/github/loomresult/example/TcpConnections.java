package io.github.loomresult.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * The TCP connections of a local port as the operating system sees them (Linux: {@code
 * /proc/net/tcp} and {@code tcp6}): a connection whose socket is still open on the server side
 * ({@code ESTABLISHED}, or {@code CLOSE_WAIT}: the client closed, the server not yet) is one the
 * server has not let go of. Sockets in {@code TIME_WAIT} and the like have no file descriptor left.
 */
final class TcpConnections {
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final String ESTABLISHED = "01";
  private static final String CLOSE_WAIT = "08";

  private TcpConnections() {}

  /** The connections whose local port is {@code port} and whose socket is still open. */
  static List<String> openOnServerSide(int port) {
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    List<String> open = new ArrayList<>();
    for (Path table : TABLES) {
      if (!Files.isReadable(table)) {
        continue;
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.strip().split("\\s+"); // sl local rem st ...
        if (f.length > 3 && f[1].endsWith(":" + hexPort)) {
          if (f[3].equals(ESTABLISHED) || f[3].equals(CLOSE_WAIT)) {
            open.add(f[1] + " <- " + f[2] + " st=" + f[3]);
          }
        }
      }
    }
    return open;
  }

  /**
   * Waits (up to 20 s, re-reading the tables) until the server holds no connection on {@code port}
   * any more; fails naming the ones left. Skipped where the tables do not exist (not Linux).
   */
  static void awaitNoneOpen(int port) throws InterruptedException {
    Assumptions.assumeTrue(Files.isReadable(TABLES.get(0)), "no /proc/net/tcp here");
    long deadline = System.nanoTime() + 20_000_000_000L;
    List<String> open = openOnServerSide(port);
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10); // polling a condition with a deadline, not ordering events
      open = openOnServerSide(port);
    }
    if (!open.isEmpty()) {
      throw new AssertionError(
          open.size()
              + " connections still open on the server's side, such as "
              + open.subList(0, Math.min(5, open.size())));
    }
  }
}
