package io.github.loomresult.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Plain regression tests for the bugs {@link ProcessorFuzzTest} found: each is the smallest source
 * that showed one, compiled with the processor under {@code -Xlint:all -Werror}.
 */
class FuzzRegressionTest {
  private static Compilation compile(JavaFileObject... sources) {
    return Compiler.javac()
        .withProcessors(new ConcurrentProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .compile(sources);
  }

  private static JavaFileObject source(String qualifiedName, String... lines) {
    return JavaFileObjects.forSourceLines(qualifiedName, lines);
  }

  @Test
  void classesOfThePackageNamedLikeJavaLangTypesDoNotCaptureTheFacadesReferences() {
    // The facade names java.lang types by their simple names; a class of the same name in the
    // interface's package shadows them (SafeVarargs, Void, String, Integer...).
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  void run(int times);",
            "",
            "  @Concurrent",
            "  @java.lang.SuppressWarnings(\"unchecked\")",
            "  <T> java.lang.String join(java.lang.String separator, T... parts);",
            "",
            "  @Concurrent",
            "  java.lang.Integer count(java.lang.Object what);",
            "}");
    Compilation compilation =
        compile(
            foo,
            source("test.Void", "package test;", "", "final class Void {}"),
            source("test.SafeVarargs", "package test;", "", "final class SafeVarargs {}"),
            source("test.SuppressWarnings", "package test;", "", "final class SuppressWarnings {}"),
            source("test.String", "package test;", "", "final class String {}"),
            source("test.Integer", "package test;", "", "final class Integer {}"),
            source("test.Object", "package test;", "", "final class Object {}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.ConcurrentFoo");
  }

  @Test
  void aTypeVariableNamedLikeTheGatherRecordDoesNotHideIt() {
    // find's gather record would be FindArgs; the method's type variable of that name hid it.
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo<SaveArgs> {",
            "  @Concurrent",
            "  <FindArgs> String find(FindArgs key, int limit);",
            "",
            "  @Concurrent",
            "  void save(SaveArgs value, long version);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.ConcurrentFoo");
  }

  @Test
  void methodsWhoseNamesDifferOnlyInTheFirstLettersCaseGetTwoGatherRecords() {
    // Find(int, int) and find(int, int) both gave the record FindArgs: a duplicate class.
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String Find(int a, int b);",
            "",
            "  @Concurrent",
            "  String find(int a, int b);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.ConcurrentFoo");
  }

  @Test
  void typeUseAnnotationsOnTypeVariablesAreKept() {
    // @Nullable on a use of a type variable was dropped from the facade's parameter (P3).
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import org.jspecify.annotations.Nullable;",
            "",
            "interface Foo<T> {",
            "  @Concurrent",
            "  String find(@Nullable T key);",
            "",
            "  @Concurrent",
            "  <U> @Nullable U load(@Nullable U key, java.util.List<@Nullable T> keys);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.ConcurrentFoo")
        .contentsAsUtf8String()
        .contains("find(@Nullable T key)");
    assertThat(compilation)
        .generatedSourceFile("test.ConcurrentFoo")
        .contentsAsUtf8String()
        .contains("ResultCapture<@Nullable U> load(@Nullable U key, List<@Nullable T> keys)");
  }

  @Test
  void typeUseAnnotationsOnTypeVariablesOfAGenericSuperInterfaceAreKept() {
    // Base<B>'s @Nullable B, seen from Sub extends Base<String>, must stay @Nullable String.
    JavaFileObject base =
        source(
            "test.Base",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import org.jspecify.annotations.Nullable;",
            "",
            "interface Base<B> {",
            "  @Concurrent",
            "  @Nullable B find(@Nullable B key, java.util.List<@Nullable B> keys, B[] all);",
            "}");
    JavaFileObject sub =
        source(
            "test.Sub",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Sub extends Base<String> {",
            "  @Concurrent",
            "  String name();",
            "}");
    Compilation compilation = compile(base, sub);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.ConcurrentSub")
        .contentsAsUtf8String()
        .containsMatch(
            "ResultCapture<@Nullable String> find\\(@Nullable String key,"
                + "\\s+List<@Nullable String> keys,\\s+String\\[\\] all\\)");
  }

  @Test
  void aParameterNamedLikeARuntimeTypeNextToTheDispatchHelpers() {
    // A generic method keeps its own lambda, which names ResultCapture; the dispatch helpers of the
    // other methods once named ResultCapture.Builder, and JavaPoet then imported ResultCapture, so
    // the parameter called ResultCapture hid the type in the generic method's body.
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  <E> String of(E ResultCapture, int Results);",
            "",
            "  @Concurrent",
            "  long size(boolean ResultCapture);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.ConcurrentFoo");
  }
}
