package io.github.loomresult.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * V9: an interface that refers to a type another processor has yet to generate is processed once
 * the type exists; a type that never appears is reported once, on the interface, at the end.
 */
class DeferralTest {

  /**
   * Generates {@code test.Trigger} in the first round (so that there is a second one) and {@code
   * test.Weather} in the second: a type that appears one round late.
   */
  private static final class LateTypeGenerator extends AbstractProcessor {
    private int round;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment env) {
      if (env.processingOver()) {
        return false;
      }
      round++;
      if (round == 1) {
        write("test.Trigger", "package test;\n\nfinal class Trigger {}\n");
      } else if (round == 2) {
        write("test.Weather", "package test;\n\npublic final class Weather {}\n");
      }
      return false;
    }

    private void write(String name, String text) {
      try (Writer out = processingEnv.getFiler().createSourceFile(name).openWriter()) {
        out.write(text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static Compilation compile(JavaFileObject... sources) {
    return Compiler.javac()
        .withProcessors(new LateTypeGenerator(), new ConcurrentProcessor())
        .compile(sources);
  }

  private static List<Diagnostic<? extends JavaFileObject>> v9(Compilation compilation) {
    return compilation.diagnostics().stream()
        .filter(d -> d.getMessage(null).contains("[LR-V9]"))
        .collect(Collectors.toList());
  }

  @Test
  void facadeIsGeneratedOnceATypeOfALaterRoundExists() {
    JavaFileObject foo =
        JavaFileObjects.forSourceLines(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import java.util.List;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  Weather forecast(Weather yesterday);",
            "",
            "  @Concurrent",
            "  List<Weather> week(String city);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(v9(compilation)).isEmpty();
    assertThat(compilation)
        .generatedSourceFile("test.ConcurrentFoo")
        .contentsAsUtf8String()
        .contains("ResultCapture<Weather> forecast(");
  }

  @Test
  void facadeIsGeneratedOnceNestedUsesOfALaterTypeExist() {
    JavaFileObject foo =
        JavaFileObjects.forSourceLines(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "@Concurrent",
            "interface Foo {",
            "  Weather[] forecasts(java.util.Map<String, ? extends Weather> known);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.ConcurrentFoo");
  }

  @Test
  void facadeIsGeneratedOnceATypeVariableBoundOfALaterRoundExists() {
    JavaFileObject station =
        JavaFileObjects.forSourceLines(
            "app.Station",
            "package app;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "import test.Weather;",
            "",
            "interface Station<W extends Weather> {",
            "  @Concurrent",
            "  <R extends Weather> R report(W latest);",
            "}");
    Compilation compilation = compile(station);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(v9(compilation)).isEmpty();
    assertThat(compilation)
        .generatedSourceFile("app.ConcurrentStation")
        .contentsAsUtf8String()
        .contains("import test.Weather;");
  }

  @Test
  void typeThatNeverAppearsIsV9OnceOnTheInterface() {
    JavaFileObject foo =
        JavaFileObjects.forSourceLines(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  Forecast forecast(String city);",
            "}");
    Compilation compilation = compile(foo);
    assertThat(compilation).failed();
    assertThat(v9(compilation)).hasSize(1);
    assertThat(compilation).hadErrorContaining("[LR-V9]").inFile(foo).onLine(5);
    assertThat(compilation).hadErrorContaining("Forecast");
  }

  @Test
  void missingParameterTypeIsV9OnceEvenWithoutLaterRounds() {
    JavaFileObject foo =
        JavaFileObjects.forSourceLines(
            "test.Foo",
            "package test;",
            "",
            "import io.github.loomresult.annotations.Concurrent;",
            "",
            "interface Foo {",
            "  @Concurrent",
            "  String forecast(java.util.List<Region> regions);",
            "}");
    Compilation compilation =
        Compiler.javac().withProcessors(new ConcurrentProcessor()).compile(foo);
    assertThat(compilation).failed();
    assertThat(v9(compilation)).hasSize(1);
    assertThat(compilation).hadErrorContaining("[LR-V9]").inFile(foo).onLine(5);
  }
}
