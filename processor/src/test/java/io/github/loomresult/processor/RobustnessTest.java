package io.github.loomresult.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor never lets an exception reach javac: broken sources give javac's own diagnostics
 * (and the processor's rule codes where they apply), never an uncaught exception, an internal error
 * or a stack trace.
 */
class RobustnessTest {
  private final RecordingProcessor processor = new RecordingProcessor();

  private Compilation compile(JavaFileObject... sources) {
    return Compiler.javac().withProcessors(processor).compile(sources);
  }

  private static JavaFileObject source(String qualifiedName, String... lines) {
    return JavaFileObjects.forSourceLines(qualifiedName, lines);
  }

  /** No diagnostic of the compilation comes from a crash. */
  private static void assertClean(Compilation compilation) {
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      String message = d.getMessage(Locale.ROOT);
      assertThat(message).doesNotContain("threw an uncaught exception");
      assertThat(message).doesNotContain("[LR-E0]");
      assertThat(message).doesNotContainMatch("(?m)^\\s+at [\\w$.]+\\(");
      assertThat(message).doesNotContain("Exception:");
    }
  }

  private static final JavaFileObject VALID =
      source(
          "test.Valid",
          "package test;",
          "",
          "import io.github.loomresult.annotations.Concurrent;",
          "",
          "interface Valid {",
          "  @Concurrent",
          "  String name(String key);",
          "}");

  @Test
  void missingTypesInAnUnrelatedClassGiveJavacErrorsOnly() {
    JavaFileObject other =
        source(
            "test.Other",
            "package test;",
            "",
            "class Other {",
            "  Missing field;",
            "",
            "  Absent method(Gone gone) {",
            "    return null;",
            "  }",
            "}");
    Compilation compilation = compile(other, VALID);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(other).onLine(4);
    assertClean(compilation);
    assertThat(processor.sourceFiles()).containsExactly("test.ConcurrentValid");
  }

  @Test
  void syntaxErrorInAnotherFileGivesJavacErrorsOnly() {
    JavaFileObject broken =
        source("test.Broken", "package test;", "", "class Broken {", "  void run( {", "}");
    Compilation compilation = compile(broken, VALID);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("").inFile(broken).onLine(4);
    assertClean(compilation);
  }

  @Test
  void syntaxErrorInTheAnnotatedInterfaceGivesJavacErrorsOnly() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name(String key;",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("").inFile(foo).onLine(7);
    assertClean(compilation);
  }

  @Test
  void missingTypesInTheAnnotatedInterfaceGiveV9AndJavacErrors() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent",
            "interface Foo {",
            "  Missing name(Absent key) throws GoneException;",
            "",
            "  @Unknown",
            "  String other(java.util.List<? super Nowhere> keys);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(foo).onLine(7);
    assertThat(compilation).hadErrorContaining("[LR-V9]").inFile(foo).onLine(6);
    assertClean(compilation);
    assertThat(processor.sourceFiles()).isEmpty();
  }

  @Test
  void missingTypeBoundsGiveV9AndJavacErrors() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo<T extends Missing> {",
            "  @Concurrent",
            "  <R extends Absent> R name(T key);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(foo).onLine(5);
    assertThat(compilation).hadErrorContaining("[LR-V9]").inFile(foo).onLine(5);
    assertClean(compilation);
    assertThat(processor.sourceFiles()).isEmpty();
  }

  @Test
  void interfaceExtendingAMissingInterfaceGivesV9AndJavacErrors() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo extends MissingBase {",
            "  @Concurrent",
            "  String name(String key);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(foo).onLine(5);
    assertThat(compilation).hadErrorContaining("[LR-V9]").inFile(foo).onLine(5);
    assertClean(compilation);
    assertThat(processor.sourceFiles()).isEmpty();
  }

  @Test
  void cyclicInterfacesGiveJavacErrorsOnly() {
    JavaFileObject a =
        source(
            "test.A",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface A extends B {",
            "  @Concurrent",
            "  String name(String key);",
            "}");
    JavaFileObject b = source("test.B", "package test;", "", "interface B extends A {}");
    Compilation compilation = compile(a, b);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cyclic inheritance");
    assertClean(compilation);
  }

  @Test
  void duplicateMethodsGiveJavacErrorsOnly() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name(String key);",
            "",
            "  @Concurrent",
            "  String name(String key);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("already defined").inFile(foo).onLine(10);
    assertClean(compilation);
  }

  @Test
  void badlyTypedOptionGivesJavacErrorsOnly() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent(maxAtOnce = \"four\", suppressException = NOT_A_CONSTANT)",
            "  String name(String key);",
            "",
            "  @Concurrent(unknownOption = 1)",
            "  String other(String key);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("").inFile(foo).onLine(6);
    assertThat(compilation).hadErrorContaining("").inFile(foo).onLine(9);
    assertClean(compilation);
  }

  @Test
  void concurrentOnAMissingAnnotationTypeNameDoesNothing() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name(String key);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(foo).onLine(4);
    assertClean(compilation);
    assertThat(processor.sourceFiles()).isEmpty();
  }

  @Test
  void compilationWithoutConcurrentDoesNothing() {
    JavaFileObject plain =
        source(
            "test.Plain",
            "package test;",
            "",
            "interface Plain {",
            "  String name(String key);",
            "",
            "  final class Impl implements Plain {",
            "    @Override",
            "    public String name(String key) {",
            "      return key;",
            "    }",
            "  }",
            "}");
    Compilation compilation = compile(plain);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFiles()).isEmpty();
    assertThat(processor.sourceFiles()).isEmpty();
  }

  @Test
  void compilationWithoutTheAnnotationsOnTheClassPathDoesNothing() {
    JavaFileObject plain =
        source("test.Plain", "package test;", "", "interface Plain {", "  String name();", "}");
    Compilation compilation =
        Compiler.javac()
            .withProcessors(processor)
            .withClasspath(java.util.List.of())
            .compile(plain);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(processor.sourceFiles()).isEmpty();
  }
}
