package io.github.loomresult.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P1 processor: javac (in-process, {@link ToolProvider}) on one generated interface of 500
 * {@code @Concurrent} methods, without annotation processing and with the loomresult processor
 * (which also compiles the facade it writes). The ratio is the processor's added compile time in a
 * warm javac.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8)
@Measurement(iterations = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview", "-Xms4g", "-Xmx4g"})
public class P1Processor {
  static final int METHODS = 500;
  private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());

  private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
  private Path dir;
  private Path source;
  private String classPath;
  private Path facade;

  @Setup
  public void generate() throws IOException {
    dir = Files.createTempDirectory("p1-");
    Path pkg = Files.createDirectories(dir.resolve("src/bench/api"));
    StringBuilder s = new StringBuilder();
    s.append("package bench.api;\n\n")
        .append("import io.github.loomresult.annotations.Concurrent;\n")
        .append("import java.io.IOException;\n")
        .append("import java.util.List;\n\n")
        .append("public interface Api {\n");
    for (int i = 0; i < METHODS; i++) {
      switch (i % 3) {
        case 0 ->
            s.append("  @Concurrent String get")
                .append(i)
                .append("(String key) throws IOException;\n");
        case 1 ->
            s.append("  @Concurrent int count").append(i).append("(String key, long since);\n");
        default -> s.append("  @Concurrent List<String> list").append(i).append("(int page);\n");
      }
    }
    s.append("}\n");
    source = pkg.resolve("Api.java");
    Files.writeString(source, s);
    classPath = System.getProperty("java.class.path");
    withProcessor();
    facade = dir.resolve("processed/generated/bench/api/ConcurrentApi.java");
    Check.that(Files.exists(facade), "no generated facade source");
  }

  @TearDown
  public void delete() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Runs javac on the interface, with {@code extra} options and sources before it. */
  private int compile(String out, String... extra) throws IOException {
    Path classes = Files.createDirectories(dir.resolve(out + "/classes"));
    Path generated = Files.createDirectories(dir.resolve(out + "/generated"));
    String[] common = {
      "-cp", classPath, "-d", classes.toString(), "-s", generated.toString(), "-Xlint:-options"
    };
    String[] args = new String[common.length + extra.length + 1];
    System.arraycopy(common, 0, args, 0, common.length);
    System.arraycopy(extra, 0, args, common.length, extra.length);
    args[args.length - 1] = source.toString();
    int status = javac.run(null, SILENT, SILENT, args);
    Check.that(status == 0, "javac failed: " + status);
    return status;
  }

  /**
   * Diagnosis: the interface plus the facade the processor wrote, compiled without processing. The
   * difference to {@link #withProcessor} is the processor itself; the difference to {@link
   * #withoutProcessor} is compiling the facade.
   */
  @Benchmark
  public int facadeSourceWithoutProcessor() throws IOException {
    int status = compile("facade", "-proc:none", facade.toString());
    Check.that(
        Files.exists(dir.resolve("facade/classes/bench/api/ConcurrentApi.class")), "no facade");
    return status;
  }

  @Benchmark
  public int withoutProcessor() throws IOException {
    int status = compile("plain", "-proc:none");
    Check.that(Files.exists(dir.resolve("plain/classes/bench/api/Api.class")), "no Api.class");
    return status;
  }

  @Benchmark
  public int withProcessor() throws IOException {
    int status =
        compile(
            "processed",
            "-processor",
            "io.github.loomresult.processor.ConcurrentProcessor",
            "-processorpath",
            classPath);
    Check.that(
        Files.exists(dir.resolve("processed/classes/bench/api/ConcurrentApi.class")),
        "the processor wrote no facade");
    return status;
  }
}
