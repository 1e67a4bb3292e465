package io.github.loomresult.context.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.loomresult.Limiter;
import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import io.github.loomresult.TaskState;
import io.github.loomresult.VoidTask;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spans made in tasks are children of the request's span, through the {@link OpenTelemetryContext}
 * this module registers with the service loader: the OpenTelemetry SDK, spans exported in memory.
 */
@SuppressWarnings("try") // a span's scope is held for its block, never read
class OpenTelemetryContextTest {
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
  private final Tracer tracer = tracing.get("loomresult-test");

  @AfterEach
  void close() {
    tracing.close();
  }

  @Test
  void spansInTasksAreChildrenOfTheRequestSpanAcrossNestingAndLimiterQueues() throws Exception {
    Span request = tracer.spanBuilder("request").startSpan();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Scope ignored = request.makeCurrent()) {
      Nursery.builder()
          .maxAtOnce(1)
          .runVoid(n -> {
            n.startSoon(() -> {
              running.countDown();
              release.await();
              traced(
                  "first",
                  () ->
                      Nursery.runVoid(inner ->
                          inner.startSoon(() ->
                              traced(
                                  "nested",
                                  () ->
                                      Nursery.runVoid(innermost ->
                                          innermost.startSoon(
                                              () -> traced("innermost", () -> {})))))));
              return null;
            });
            running.await();
            ResultCapture<Void> queued = n.startSoon(() -> traced("queued", () -> {}));
            assertEquals(TaskState.PENDING, queued.state());
            release.countDown();
          });
      Results.map(
          List.of("a", "b", "c"),
          s -> {
            traced("map " + s, () -> {});
            return s;
          },
          Limiter.maxAtOnce(1));
    } finally {
      request.end();
    }
    Map<String, SpanData> spans =
        exported.getFinishedSpanItems().stream()
            .collect(Collectors.toMap(SpanData::getName, Function.identity()));
    String requestId = spans.get("request").getSpanId();
    String traceId = spans.get("request").getTraceId();
    for (String child : List.of("first", "queued", "map a", "map b", "map c")) {
      assertEquals(requestId, spans.get(child).getParentSpanId(), child);
      assertEquals(traceId, spans.get(child).getTraceId(), child);
    }
    assertEquals(spans.get("first").getSpanId(), spans.get("nested").getParentSpanId());
    assertEquals(spans.get("nested").getSpanId(), spans.get("innermost").getParentSpanId());
    assertEquals(8, spans.size());
  }

  @Test
  void aTaskStartedOutsideAnySpanHasNoParentAndTheCallersContextIsLeftAlone() {
    AtomicReference<Context> inTask = new AtomicReference<>();
    Nursery.runVoid(n -> n.startSoon(() -> inTask.set(Context.current())));
    assertEquals(Context.root(), inTask.get());
    assertEquals(Context.root(), Context.current());
    Span request = tracer.spanBuilder("request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      Nursery.runVoid(n -> n.startSoon(() -> {}));
      assertEquals(request, Span.current());
    } finally {
      request.end();
    }
    assertFalse(Span.current().getSpanContext().isValid());
  }

  private void traced(String name, VoidTask body) throws Exception {
    Span span = tracer.spanBuilder(name).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      body.run();
    } finally {
      span.end();
    }
  }
}
