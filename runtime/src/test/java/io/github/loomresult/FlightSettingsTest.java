package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import org.junit.jupiter.api.Test;

/** The shipped .jfc file parses and enables every loomresult event, and only those. */
class FlightSettingsTest {
  @Test
  void theShippedSettingsEnableEveryLoomresultEvent() throws Exception {
    Configuration c;
    try (InputStream in = Nursery.class.getResourceAsStream("loomresult.jfc")) {
      assertNotNull(in, "loomresult.jfc is not in the jar");
      c = Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    Map<String, String> settings = c.getSettings();
    Set<String> enabled =
        settings.entrySet().stream()
            .filter(e -> e.getKey().endsWith("#enabled") && e.getValue().equals("true"))
            .map(e -> e.getKey().substring(0, e.getKey().indexOf('#')))
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            NurseryEvent.NAME,
            TaskFailedEvent.NAME,
            TaskCancelledEvent.NAME,
            LimiterWaitEvent.NAME,
            DeadlineExpiredEvent.NAME),
        enabled);
  }
}
