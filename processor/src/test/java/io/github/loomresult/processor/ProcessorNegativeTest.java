package io.github.loomresult.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per rule (LR-V1 to LR-V8, LR-V10, LR-W1, LR-W2, LR-P6; LR-V9 is in {@link
 * DeferralTest}): the exact code, on the file and line of the element the rule concerns. Line
 * numbers count from 1 over the lines given to {@link #source}; each source puts the offending
 * element on a line of its own.
 */
class ProcessorNegativeTest {

  /** Tells which facades were written, also when the compilation failed. */
  private final RecordingProcessor processor = new RecordingProcessor();

  private Compilation compile(JavaFileObject... sources) {
    return Compiler.javac().withProcessors(processor).compile(sources);
  }

  private static JavaFileObject source(String qualifiedName, String... lines) {
    return JavaFileObjects.forSourceLines(qualifiedName, lines);
  }

  private static List<Diagnostic<? extends JavaFileObject>> withCode(
      Compilation compilation, String code) {
    return compilation.diagnostics().stream()
        .filter(d -> d.getMessage(null).contains("[" + code + "]"))
        .collect(Collectors.toList());
  }

  private void assertNoFacade(String qualifiedName) {
    assertThat(processor.sourceFiles()).doesNotContain(qualifiedName);
  }

  // ---- V1: not in an interface ----------------------------------------------------------------

  @Test
  void concurrentOnAClassIsV1() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent",
            "class Foo {}");
    Compilation compilation = compile(foo);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V1]").inFile(foo).onLine(6);
  }

  @Test
  void concurrentOnAnEnumIsV1() {
    JavaFileObject color =
        source(
            "test.Color",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent",
            "enum Color {",
            "  RED",
            "}");
    Compilation compilation = compile(color);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V1]").inFile(color).onLine(6);
  }

  @Test
  void concurrentOnAMethodOfAClassIsV1() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "class Foo {",
            "  @Concurrent",
            "  String name() {",
            "    return \"foo\";",
            "  }",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V1]").inFile(foo).onLine(7);
  }

  // ---- V2: static or private method -------------------------------------------------------------

  @Test
  void staticMethodIsV2() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name();",
            "",
            "  @Concurrent",
            "  static String create() {",
            "    return \"foo\";",
            "  }",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V2]").inFile(foo).onLine(10);
    assertThat(compilation).hadErrorContaining("static");
  }

  @Test
  void privateMethodIsV2() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name();",
            "",
            "  @Concurrent",
            "  private String secret() {",
            "    return \"foo\";",
            "  }",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V2]").inFile(foo).onLine(10);
    assertThat(compilation).hadErrorContaining("private");
  }

  @Test
  void staticAndPrivateMethodsAreSkippedWhenTheWholeInterfaceIsConcurrent() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent",
            "interface Foo {",
            "  String name();",
            "",
            "  static String create() {",
            "    return helper();",
            "  }",
            "",
            "  private static String helper() {",
            "    return \"foo\";",
            "  }",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.ConcurrentFoo");
  }

  // ---- V3: the facade could not use the interface ---------------------------------------------

  @Test
  void privateNestedInterfaceIsV3() {
    JavaFileObject outer =
        source(
            "test.Outer",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "class Outer {",
            "  private interface Hidden {",
            "    @Concurrent",
            "    String name();",
            "  }",
            "}");
    Compilation compilation = compile(outer);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V3]").inFile(outer).onLine(6);
  }

  @Test
  void interfaceNestedInAPrivateClassIsV3() {
    JavaFileObject outer =
        source(
            "test.Outer",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "class Outer {",
            "  private static class Hidden {",
            "    interface Api {",
            "      @Concurrent",
            "      String name();",
            "    }",
            "  }",
            "}");
    Compilation compilation = compile(outer);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V3]").inFile(outer).onLine(7);
    assertThat(compilation).hadErrorContaining("nested in the private type Hidden");
  }

  /**
   * Not V3, and not an error at all: javac hides declarations inside method bodies from annotation
   * processors (see {@link javax.annotation.processing.Processor}), and does not even call a
   * processor whose only annotations are there. A local interface gets no facade.
   */
  @Test
  void localInterfaceIsInvisibleToTheProcessor() {
    JavaFileObject outer =
        source(
            "test.Outer",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "class Outer {",
            "  void run() {",
            "    interface Local {",
            "      @Concurrent",
            "      String name();",
            "    }",
            "  }",
            "}");
    Compilation compilation = compile(outer);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(processor.sourceFiles()).isEmpty();
  }

  // ---- V4: throws a checked Throwable that is not an Exception ---------------------------------

  @Test
  void throwsThrowableIsV4() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name() throws java.io.IOException;",
            "",
            "  @Concurrent",
            "  String risky() throws Throwable;",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V4]").inFile(foo).onLine(10);
    assertNoFacade("test.ConcurrentFoo");
  }

  @Test
  void throwsACustomCheckedThrowableIsV4() {
    JavaFileObject boom =
        source("test.Boom", "package test;", "", "class Boom extends Throwable {}");
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name() throws Error, RuntimeException;",
            "",
            "  @Concurrent",
            "  String explode() throws Boom;",
            "}");
    Compilation compilation = compile(boom, foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V4]").inFile(foo).onLine(10);
    assertThat(compilation).hadErrorContaining("test.Boom");
  }

  // ---- V5: a type the facade cannot name --------------------------------------------------------

  @Test
  void privateReturnTypeIsV5() {
    JavaFileObject outer =
        source(
            "test.Outer",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "class Outer {",
            "  private static class Secret {}",
            "",
            "  interface Api {",
            "    @Concurrent",
            "    String name();",
            "",
            "    @Concurrent",
            "    Secret secret();",
            "  }",
            "}");
    Compilation compilation = compile(outer);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V5]").inFile(outer).onLine(13);
    assertThat(compilation).hadErrorContaining("Secret is private");
  }

  @Test
  void privateTypeArgumentOfAParameterIsV5() {
    JavaFileObject outer =
        source(
            "test.Outer",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import java.util.List;",
            "",
            "class Outer {",
            "  private static class Secret {}",
            "",
            "  interface Api {",
            "    @Concurrent",
            "    String describe(List<? extends Secret> secrets);",
            "  }",
            "}");
    Compilation compilation = compile(outer);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V5]").inFile(outer).onLine(11);
  }

  // ---- V6: the generated name already exists ----------------------------------------------------

  @Test
  void existingFacadeNameIsV6() {
    JavaFileObject taken =
        source("test.ConcurrentFoo", "package test;", "", "class ConcurrentFoo {}");
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name();",
            "}");
    Compilation compilation = compile(taken, foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V6]").inFile(foo).onLine(5);
    assertThat(compilation).hadErrorContaining("test.ConcurrentFoo");
  }

  @Test
  void existingFlatFacadeNameOfANestedInterfaceIsV6() {
    JavaFileObject taken =
        source("test.ConcurrentOuter_Api", "package test;", "", "class ConcurrentOuter_Api {}");
    JavaFileObject outer =
        source(
            "test.Outer",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "class Outer {",
            "  interface Api {",
            "    @Concurrent",
            "    String name();",
            "  }",
            "}");
    Compilation compilation = compile(taken, outer);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V6]").inFile(outer).onLine(6);
  }

  // ---- V7: a generated member clashes -----------------------------------------------------------

  @Test
  void gatherMethodClashingWithAnotherConcurrentMethodIsV7() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import java.util.Collection;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String find(String key);",
            "",
            "  @Concurrent",
            "  String findAll(Collection<String> keys);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V7]").inFile(foo).onLine(8);
    assertNoFacade("test.ConcurrentFoo");
  }

  @Test
  void raceMethodClashingWithAnotherConcurrentMethodIsV7() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import java.util.Collection;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String find(String key);",
            "",
            "  @Concurrent",
            "  String findRace(Collection<String> keys);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V7]").inFile(foo).onLine(8);
    assertThat(compilation).hadErrorContaining("findRace(Collection)");
    assertNoFacade("test.ConcurrentFoo");
  }

  @Test
  void methodClashingWithACallOptionIsV7() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import java.time.Duration;",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String withTimeout(Duration timeout);",
            "",
            "  @Concurrent",
            "  String withName(int differentType);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V7]").inFile(foo).onLine(8);
    assertThat(compilation).hadErrorContaining("call option withTimeout");
  }

  @Test
  void methodClashingWithTheStaticFactoryIsV7() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.Nursery;",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name();",
            "",
            "  @Concurrent",
            "  String of(Nursery nursery, Foo foo);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V7]").inFile(foo).onLine(11);
    assertThat(compilation).hadErrorContaining("static factory");
  }

  @Test
  void concurrentRedeclarationOfAnObjectMethodIsV7() {
    // The facade's own toString() would return a handle, which does not compile.
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String name();",
            "",
            "  @Concurrent",
            "  String toString();",
            "",
            "  @Concurrent",
            "  int hashCode();",
            "",
            "  @Concurrent",
            "  boolean equals(Object other);",
            "",
            "  @Concurrent",
            "  String toString(int indent);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation).hadErrorContaining("[LR-V7]").inFile(foo).onLine(10);
    assertThat(compilation).hadErrorContaining("[LR-V7]").inFile(foo).onLine(13);
    assertThat(compilation).hadErrorContaining("[LR-V7]").inFile(foo).onLine(16);
    assertNoFacade("test.ConcurrentFoo");
  }

  @Test
  void redeclaredObjectMethodsAreSkippedWhenTheWholeInterfaceIsConcurrent() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent",
            "interface Foo {",
            "  String name();",
            "",
            "  String toString();",
            "",
            "  int hashCode();",
            "",
            "  boolean equals(Object other);",
            "",
            "  String toString(int indent);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.ConcurrentFoo");
  }

  // ---- V8: overloads whose gather methods clash -------------------------------------------------

  @Test
  void overloadsWithTheSameSimpleParameterNamesAreV8() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String find(java.util.Date day);",
            "",
            "  @Concurrent",
            "  String find(java.sql.Date day);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V8]").inFile(foo).onLine(10);
    assertThat(compilation).hadErrorContaining("findAllByDate");
    assertNoFacade("test.ConcurrentFoo");
  }

  @Test
  void ordinaryOverloadsAreNotV8() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String find(int id);",
            "",
            "  @Concurrent",
            "  String find(long id);",
            "",
            "  @Concurrent",
            "  String find(Integer id);",
            "",
            "  @Concurrent",
            "  String find(String key);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(processor.sourceFiles()).containsExactly("test.ConcurrentFoo");
  }

  // ---- LR-W1: already asynchronous -------------------------------------------------------------

  @Test
  void completableFutureReturnIsW1() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.CompletionStage;",
            "import java.util.concurrent.Future;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  CompletableFuture<String> completable();",
            "",
            "  @Concurrent",
            "  Future<String> future();",
            "",
            "  @Concurrent",
            "  CompletionStage<String> stage();",
            "",
            "  @Concurrent",
            "  String plain();",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(3);
    assertThat(compilation).hadWarningContaining("[LR-W1]").inFile(foo).onLine(10);
    assertThat(compilation).hadWarningContaining("[LR-W1]").inFile(foo).onLine(13);
    assertThat(compilation).hadWarningContaining("[LR-W1]").inFile(foo).onLine(16);
    assertThat(compilation).generatedSourceFile("test.ConcurrentFoo");
  }

  @Test
  void resultCaptureReturnIsW1() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.ResultCapture;",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  ResultCapture<String> started();",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation).hadWarningContaining("[LR-W1]").inFile(foo).onLine(8);
  }

  @Test
  void suppressWarningsOnTheMethodSilencesW1() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import java.util.concurrent.CompletableFuture;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  @SuppressWarnings(\"loomresult-async-return\")",
            "  CompletableFuture<String> quiet();",
            "",
            "  @Concurrent",
            "  CompletableFuture<String> loud();",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation).hadWarningContaining("[LR-W1]").inFile(foo).onLine(12);
  }

  @Test
  void suppressWarningsOnTheInterfaceSilencesW1() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import java.util.concurrent.CompletableFuture;",
            "",
            "@SuppressWarnings(\"loomresult-async-return\")",
            "interface Foo {",
            "  @Concurrent",
            "  CompletableFuture<String> quiet();",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.ConcurrentFoo");
  }

  // ---- V8 not reported for one method inherited twice -------------------------------------------

  @Test
  void sameMethodFromTwoSuperInterfacesIsNotV8() {
    JavaFileObject api =
        source(
            "test.Api",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Api {",
            "  interface G<T> { @Concurrent String get(T key); }",
            "  interface H { @Concurrent String get(String key); }",
            "  interface A { @Concurrent void ping(); }",
            "  interface B { @Concurrent void ping(); }",
            "  interface D extends G<String>, H, A, B {}",
            "}");
    Compilation compilation = compile(api);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(processor.sourceFiles()).contains("test.ConcurrentApi_D");
  }

  // ---- V10: names too long for a file ----------------------------------------------------------

  @Test
  void nestedInterfaceWhoseFacadeNameIsTooLongIsV10() {
    // Api$<118>$<118>.class fits in 255 bytes; ConcurrentApi_<118>_<118>.class does not.
    String outer = "O".repeat(118);
    String inner = "I".repeat(118);
    JavaFileObject api =
        source(
            "test.Api",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Api {",
            "  interface " + outer + " {",
            "    @Concurrent",
            "    interface " + inner + " {",
            "      String get(String key);",
            "    }",
            "  }",
            "}");
    Compilation compilation = compile(api);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-V10] the facade ConcurrentApi_").inFile(api);
    assertThat(withCode(compilation, "LR-V10").get(0).getLineNumber()).isEqualTo(8);
    assertThat(withCode(compilation, "LR-V10").get(0).getMessage(null))
        .contains("shorten the name of test.Api." + outer + "." + inner);
    assertThat(withCode(compilation, "LR-E0")).isEmpty();
    assertNoFacade("test.ConcurrentApi_" + outer + "_" + inner);
  }

  @Test
  void methodWhoseArgsRecordNameIsTooLongIsV10() {
    String name = "m".repeat(240);
    JavaFileObject api =
        source(
            "test.Api",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Api {",
            "  @Concurrent",
            "  String " + name + "(String a, int b);",
            "",
            "  @Concurrent",
            "  String fine(String a, int b);",
            "}");
    Compilation compilation = compile(api);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[LR-V10] the gather arguments record ConcurrentApi.M")
        .inFile(api)
        .onLine(7);
    assertThat(withCode(compilation, "LR-V10").get(0).getMessage(null))
        .contains("shorten the name of the method " + name);
    assertNoFacade("test.ConcurrentApi");
  }

  // ---- W2: a facade without methods -------------------------------------------------------------

  @Test
  void annotatedInterfaceWithoutAbstractMethodsIsW2() {
    JavaFileObject api =
        source(
            "test.Api",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent",
            "interface Api {",
            "  default String name() { return \"api\"; }",
            "}");
    Compilation compilation = compile(api);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation).hadWarningContaining("[LR-W2]").inFile(api).onLine(6);
  }

  @Test
  void w2IsSuppressible() {
    JavaFileObject api =
        source(
            "test.Api",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent",
            "@SuppressWarnings(\"loomresult-empty-facade\")",
            "interface Api {}");
    assertThat(compile(api)).succeededWithoutWarnings();
  }

  // ---- P6: a bad option -------------------------------------------------------------------------

  @Test
  void negativeMaxAtOnceOnAMethodIsP6() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent(maxAtOnce = 4)",
            "  String find(String key);",
            "",
            "  @Concurrent(maxAtOnce = -1)",
            "  String load(String key);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-P6]").inFile(foo).onLine(9);
    assertNoFacade("test.ConcurrentFoo");
  }

  @Test
  void negativeMaxAtOnceOnTheInterfaceIsP6OnceOnTheInterface() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent(maxAtOnce = -2)",
            "interface Foo {",
            "  String find(String key);",
            "",
            "  String load(String key);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[LR-P6]").inFile(foo).onLine(5);
  }

  // ---- all errors in one go, and no facade for a broken interface ------------------------------

  @Test
  void allErrorsOfAnInterfaceAreReportedTogether() {
    JavaFileObject outer =
        source(
            "test.Outer",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "class Outer {",
            "  private static class Secret {}",
            "",
            "  interface Api {",
            "    @Concurrent",
            "    static String create() {",
            "      return \"api\";",
            "    }",
            "",
            "    @Concurrent",
            "    String risky() throws Throwable;",
            "",
            "    @Concurrent",
            "    Secret secret();",
            "  }",
            "}");
    Compilation compilation = compile(outer);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation).hadErrorContaining("[LR-V2]").inFile(outer).onLine(10);
    assertThat(compilation).hadErrorContaining("[LR-V4]").inFile(outer).onLine(15);
    assertThat(compilation).hadErrorContaining("[LR-V5]").inFile(outer).onLine(18);
    assertNoFacade("test.ConcurrentOuter_Api");
  }

  @Test
  void signatureErrorsAndClashErrorsAreReportedTogether() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String risky() throws Throwable;",
            "",
            "  @Concurrent",
            "  String find(java.util.Date day);",
            "",
            "  @Concurrent",
            "  String find(java.sql.Date day);",
            "",
            "  @Concurrent(maxAtOnce = -1)",
            "  String load(String key);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation).hadErrorContaining("[LR-V4]").inFile(foo).onLine(7);
    assertThat(compilation).hadErrorContaining("[LR-V8]").inFile(foo).onLine(13);
    assertThat(compilation).hadErrorContaining("[LR-P6]").inFile(foo).onLine(15);
    assertNoFacade("test.ConcurrentFoo");
  }

  @Test
  void errorsOfSeveralInterfacesAreReportedTogether() {
    JavaFileObject a =
        source(
            "test.A",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface A {",
            "  @Concurrent",
            "  String risky() throws Throwable;",
            "}");
    JavaFileObject b =
        source(
            "test.B",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent",
            "class B {}");
    JavaFileObject c =
        source(
            "test.C",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface C {",
            "  @Concurrent",
            "  String name();",
            "}");
    Compilation compilation = compile(a, b, c);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("[LR-V4]").inFile(a).onLine(7);
    assertThat(compilation).hadErrorContaining("[LR-V1]").inFile(b).onLine(6);
    assertNoFacade("test.ConcurrentA");
    assertThat(processor.sourceFiles()).containsExactly("test.ConcurrentC");
  }

  @Test
  void everyErrorIsReportedExactlyOnce() {
    JavaFileObject foo =
        source(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String risky() throws Throwable;",
            "}");
    JavaFileObject bar =
        source(
            "test.Bar",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Bar extends Foo {",
            "  @Concurrent",
            "  String name();",
            "}");
    Compilation compilation = compile(foo, bar);
    assertThat(withCode(compilation, "LR-V4")).hasSize(2);
    assertThat(compilation).hadErrorContaining("[LR-V4]").inFile(foo).onLine(7);
    assertThat(compilation).hadErrorContaining("[LR-V4]").inFile(bar).onLine(5);
  }
}
