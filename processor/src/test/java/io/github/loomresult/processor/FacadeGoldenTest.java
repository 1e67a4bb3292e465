package io.github.loomresult.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Regenerating the expected files: run
//   ./mvnw -B -pl processor test -Dtest=FacadeGoldenTest -Dloomresult.regenerateGolden=true
// which writes every generated facade to src/test/resources/expected/ instead of comparing; then
// review the diff (git diff) before committing it.

/**
 * Golden tests, one per shape of interface: the processor runs on a source under {@code
 * src/test/resources/sources/golden/} and every facade it generates must equal, as text, the file
 * of the same qualified name under {@code src/test/resources/expected/}. Each compilation uses
 * {@code -Xlint:all -Werror} against the real runtime, so the generated code also compiles without
 * a warning.
 *
 * <p>With {@code -Dloomresult.regenerateGolden=true} the tests write the generated sources as the
 * expected files instead of comparing them (see {@link GoldenFiles}).
 */
class FacadeGoldenTest {
  /** Strict, without {@code -Xlint:-processing}: the processor claims {@code @Concurrent}. */
  private static final List<String> STRICT = List.of("-Xlint:all", "-Werror");

  @Test
  void simpleInterface() {
    Compilation compilation = compile("WeatherService.java");
    GoldenFiles.assertGenerated(compilation, "com.example.weather.ConcurrentWeatherService");
  }

  @Test
  void genericInterfaceWithRecursiveBound() {
    Compilation compilation = compile("Repo.java");
    GoldenFiles.assertGenerated(compilation, "com.example.repo.ConcurrentRepo");
  }

  @Test
  void genericMethodsWithBounds() {
    Compilation compilation = compile("Sorter.java");
    GoldenFiles.assertGenerated(compilation, "com.example.sorter.ConcurrentSorter");
  }

  @Test
  void voidPrimitiveAndArrayReturns() {
    Compilation compilation = compile("Shapes.java");
    GoldenFiles.assertGenerated(compilation, "com.example.shapes.ConcurrentShapes");
  }

  @Test
  void varargs() {
    Compilation compilation = compile("Joiner.java");
    GoldenFiles.assertGenerated(compilation, "com.example.joiner.ConcurrentJoiner");
  }

  @Test
  void checkedExceptions() {
    Compilation compilation = compile("Storage.java");
    GoldenFiles.assertGenerated(compilation, "com.example.storage.ConcurrentStorage");
  }

  @Test
  void overloads() {
    Compilation compilation = compile("Finder.java");
    GoldenFiles.assertGenerated(compilation, "com.example.finder.ConcurrentFinder");
  }

  @Test
  void nestedInterfaces() {
    Compilation compilation = compile("Outer.java");
    GoldenFiles.assertGenerated(
        compilation,
        "com.example.nested.ConcurrentOuter_Inner",
        "com.example.nested.ConcurrentOuter_Inner_Deeper");
  }

  @Test
  void packagePrivateInterface() {
    Compilation compilation = compile("Hidden.java");
    GoldenFiles.assertGenerated(compilation, "com.example.hidden.ConcurrentHidden");
  }

  @Test
  void defaultPackage() {
    Compilation compilation = compile("DefaultPackageService.java");
    GoldenFiles.assertGenerated(compilation, "ConcurrentDefaultPackageService");
  }

  @Test
  void inheritedFromSourcesOfTheSameCompilation() {
    Compilation compilation = compile("Base.java", "Named.java", "Sub.java", "Plain.java");
    GoldenFiles.assertGenerated(
        compilation,
        "com.example.inherit.ConcurrentBase",
        "com.example.inherit.ConcurrentNamed",
        "com.example.inherit.ConcurrentSub",
        "com.example.inherit.ConcurrentPlain");
  }

  @Test
  void inheritedFromClassFiles(@TempDir Path classes) throws IOException {
    Compilation supers =
        javac()
            .withOptions(options("-proc:none"))
            .compile(sources("ClassFileBase.java", "ClassFileNamed.java"));
    assertThat(supers).succeededWithoutWarnings();
    writeClassFiles(supers, classes);

    Compilation compilation =
        javac()
            .withProcessors(new ConcurrentProcessor())
            .withOptions(STRICT)
            .withClasspath(classpathWith(classes))
            .compile(sources("ClassFileSub.java"));

    assertThat(compilation).succeededWithoutWarnings();
    GoldenFiles.assertGenerated(compilation, "com.example.classfile.ConcurrentClassFileSub");
  }

  @Test
  void annotatedInterfaceWrapsInheritedPlainMethods() {
    Compilation compilation = compile("Client.java", "WrappedClient.java", "Fn.java");
    GoldenFiles.assertGenerated(
        compilation, "com.example.wrap.ConcurrentWrappedClient", "com.example.wrap.ConcurrentFn");
  }

  @Test
  void methodInheritedAlongTwoPathsIsOneFacadeMethod() {
    Compilation compilation = compile("Diamond.java");
    GoldenFiles.assertGenerated(
        compilation,
        "com.example.diamond.ConcurrentDiamond_A",
        "com.example.diamond.ConcurrentDiamond_B",
        "com.example.diamond.ConcurrentDiamond_C",
        "com.example.diamond.ConcurrentDiamond_G",
        "com.example.diamond.ConcurrentDiamond_H",
        "com.example.diamond.ConcurrentDiamond_D");
  }

  @Test
  void deprecatedAndRawTypedMethodsCompileWithoutWarnings() {
    Compilation compilation = compile("Legacy.java", "OldService.java", "DoomedService.java");
    GoldenFiles.assertGenerated(
        compilation,
        "com.example.legacy.ConcurrentLegacy",
        "com.example.legacy.ConcurrentOldService",
        "com.example.legacy.ConcurrentDoomedService");
  }

  @Test
  void deprecatedAndRawTypedMethodsFromClassFiles(@TempDir Path classes) throws IOException {
    Compilation supers =
        javac()
            .withOptions(options("-proc:none"))
            .compile(sources("Legacy.java", "OldService.java"));
    assertThat(supers).succeededWithoutWarnings();
    writeClassFiles(supers, classes);

    Compilation compilation =
        javac()
            .withProcessors(new ConcurrentProcessor())
            .withOptions(STRICT)
            .withClasspath(classpathWith(classes))
            .compile(sources("LegacySub.java"));

    assertThat(compilation).succeededWithoutWarnings();
    GoldenFiles.assertGenerated(compilation, "com.example.legacy.ConcurrentLegacySub");
  }

  @Test
  void namesClashingWithGeneratedMembersAndImports() {
    Compilation compilation = compile("Clashing.java");
    GoldenFiles.assertGenerated(compilation, "com.example.clash.ConcurrentClashing");
  }

  @Test
  void jspecifyNullableKept() {
    // -processing: the sources' own @NullMarked is claimed by no processor, as with any processor.
    Compilation compilation =
        javac()
            .withProcessors(new ConcurrentProcessor())
            .withOptions("-Xlint:all,-processing", "-Werror")
            .compile(sources("Directory.java", "NullableBox.java"));
    assertThat(compilation).succeededWithoutWarnings();
    GoldenFiles.assertGenerated(
        compilation,
        "com.example.nullness.ConcurrentDirectory",
        "com.example.nullness.ConcurrentNullableBox");
  }

  @Test
  void defaultMethods() {
    Compilation compilation = compile("Greeter.java");
    GoldenFiles.assertGenerated(compilation, "com.example.defaults.ConcurrentGreeter");
  }

  @Test
  void annotatedInterfaceMeansEveryAbstractMethod() {
    Compilation compilation = compile("Catalog.java");
    GoldenFiles.assertGenerated(compilation, "com.example.catalog.ConcurrentCatalog");
  }

  @Test
  void optionsOnMethods() {
    Compilation compilation = compile("Tuned.java");
    GoldenFiles.assertGenerated(compilation, "com.example.options.ConcurrentTuned");
  }

  @Test
  void optionsOnTheInterface() {
    Compilation compilation = compile("TunedType.java");
    GoldenFiles.assertGenerated(compilation, "com.example.options.ConcurrentTunedType");
  }

  @Test
  void futureReturnWarnsW1AndStillCompiles() {
    // Without -Werror: W1 is a warning, and the only one (the facade itself compiles cleanly).
    Compilation compilation =
        javac()
            .withProcessors(new ConcurrentProcessor())
            .withOptions("-Xlint:all")
            .compile(sources("Async.java"));

    assertThat(compilation).succeeded();
    List<String> warnings = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : compilation.warnings()) {
      warnings.add(d.getMessage(null));
    }
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .startsWith("[LR-W1] @Concurrent method Async.fetch(java.lang.String)");
    assertThat(compilation)
        .hadWarningContaining("[LR-W1]")
        .inFile(compilation.sourceFiles().get(0))
        .onLineContaining("CompletableFuture<String> fetch");
    GoldenFiles.assertGenerated(compilation, "com.example.async.ConcurrentAsync");
  }

  @Test
  void futureReturnWithSuppressWarningsDoesNotWarn() {
    Compilation compilation = compile("AsyncSuppressed.java");
    GoldenFiles.assertGenerated(
        compilation,
        "com.example.async.ConcurrentAsyncSuppressed",
        "com.example.async.ConcurrentAsyncSuppressed_Nested");
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Compiles golden sources with the processor, strictly, and asserts there was no warning. */
  private static Compilation compile(String... names) {
    Compilation compilation =
        javac()
            .withProcessors(new ConcurrentProcessor())
            .withOptions(STRICT)
            .compile(sources(names));
    assertThat(compilation).succeededWithoutWarnings();
    return compilation;
  }

  private static List<JavaFileObject> sources(String... names) {
    List<JavaFileObject> sources = new ArrayList<>();
    for (String name : names) {
      sources.add(JavaFileObjects.forResource("sources/golden/" + name));
    }
    return sources;
  }

  private static List<String> options(String... more) {
    List<String> options = new ArrayList<>(STRICT);
    options.addAll(List.of(more));
    return options;
  }

  /** Writes a compilation's class files under {@code dir}, as a class output directory. */
  private static void writeClassFiles(Compilation compilation, Path dir) throws IOException {
    String marker = "/CLASS_OUTPUT/";
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String path = file.toUri().getPath();
      Path target = dir.resolve(path.substring(path.indexOf(marker) + marker.length()));
      Files.createDirectories(target.getParent());
      try (InputStream in = file.openInputStream()) {
        Files.copy(in, target);
      }
    }
  }

  /** This JVM's class path (the runtime, the annotations, JSpecify) plus {@code dir}. */
  private static List<File> classpathWith(Path dir) {
    List<File> classpath = new ArrayList<>();
    classpath.add(dir.toFile());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(new File(entry));
    }
    return classpath;
  }
}
