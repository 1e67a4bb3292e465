package io.github.loomresult.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static io.github.loomresult.processor.CompiledClasses.invoke;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.github.loomresult.Nursery;
import io.github.loomresult.NurseryFailedException;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.processor.FuzzSources.ExpectedError;
import io.github.loomresult.processor.FuzzSources.FType;
import io.github.loomresult.processor.FuzzSources.ISpec;
import io.github.loomresult.processor.FuzzSources.MSpec;
import io.github.loomresult.processor.FuzzSources.SourceFile;
import io.github.loomresult.processor.FuzzSources.Unit;
import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the processor with random interfaces from {@link FuzzSources}, seeded and repeatable.
 *
 * <p>Valid interfaces must compile with the processor under {@code -Xlint:all -Werror} without a
 * diagnostic, and their facades must behave: every {@code @Concurrent} method, called through the
 * facade in a real nursery, reaches a recording {@link Proxy} delegate with the same arguments, its
 * value or exception comes back through the handle, and each gather method calls its method once
 * per input and returns the values in input order. The driver finds the facade's members by
 * reflection (start methods by name and parameter types, gather methods by their collection
 * parameter), so it checks behaviour, not the shape of the generated code.
 *
 * <p>Invalid interfaces have one fault (V1-V8) each: the compilation must report exactly that
 * error, with its code, on the faulty element, nothing else, and never crash.
 *
 * <p>{@code -Dloomresult.fuzz.seed=N} (default fixed) and {@code -Dloomresult.fuzz.tries=N}
 * (interfaces of each kind; {@code -Pstress} raises it) control the run; a failure names the seed
 * and batch to replay and prints the sources.
 */
class ProcessorFuzzTest {
  private static final long SEED = Long.getLong("loomresult.fuzz.seed", 20261121L);
  private static final int TRIES = Integer.getInteger("loomresult.fuzz.tries", 100);
  private static final int BATCH = Integer.getInteger("loomresult.fuzz.batch", 20);

  // ---- valid interfaces -----------------------------------------------------------------------

  @Test
  void randomValidInterfacesCompileCleanlyAndTheirFacadesBehave(@TempDir Path tmp)
      throws Exception {
    int batches = (TRIES + BATCH - 1) / BATCH;
    long compileNanos = 0;
    long driveNanos = 0;
    int driven = 0;
    for (int b = 0; b < batches; b++) {
      long seed = SEED * 31 + b;
      FuzzSources gen = new FuzzSources(seed);
      List<Unit> units = new ArrayList<>();
      for (int k = 0; k < BATCH; k++) {
        units.add(gen.valid("fuzz.v" + b + "_" + k));
      }
      List<SourceFile> files = new ArrayList<>();
      units.forEach(u -> files.addAll(u.files));
      String replay = replay("valid", b, seed, files);
      long t0 = System.nanoTime();
      // Every other batch compiles the super-interfaces (and the types they use) first, without
      // the processor, so that the interfaces inherit from class files, as from a jar.
      ClassLoader parent = getClass().getClassLoader();
      List<File> classpath = List.of();
      List<SourceFile> toCompile = files;
      if (b % 2 == 1) {
        List<SourceFile> library = files.stream().filter(ProcessorFuzzTest::isLibrary).toList();
        toCompile = files.stream().filter(f -> !isLibrary(f)).toList();
        Compilation lib =
            Compiler.javac()
                .withOptions("-Xlint:all", "-Werror", "-proc:none")
                .compile(javaFiles(library));
        assertWithMessage("%s\nlibrary diagnostics: %s", replay, lib.diagnostics())
            .that(lib.status())
            .isEqualTo(Compilation.Status.SUCCESS);
        Path dir = tmp.resolve("batch" + b);
        CompiledClasses.writeTo(lib, dir);
        classpath = new ArrayList<>(List.of(dir.toFile()));
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
          classpath.add(new File(e));
        }
        parent = new CompiledClasses(lib, parent);
      }
      Compilation compilation = compile(toCompile, classpath);
      long t1 = System.nanoTime();
      compileNanos += t1 - t0;
      assertNoCrash(compilation, replay);
      assertWithMessage("%s\ndiagnostics: %s", replay, compilation.diagnostics())
          .that(compilation.status())
          .isEqualTo(Compilation.Status.SUCCESS);
      assertWithMessage("%s\ndiagnostics: %s", replay, compilation.diagnostics())
          .that(
              compilation.diagnostics().stream()
                  .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                  .toList())
          .isEmpty();
      ClassLoader loader = new CompiledClasses(compilation, parent);
      for (Unit u : units) {
        for (ISpec spec : u.interfaces) {
          if (!classpath.isEmpty() && spec.facadeName().endsWith(".ConcurrentBase")) {
            continue; // compiled without the processor, as a jar's would be
          }
          try {
            new Driver(loader, spec).run();
            driven++;
          } catch (AssertionError | Exception e) {
            throw new AssertionError(replay + "\nwhile driving " + spec.facadeName() + ": " + e, e);
          }
        }
      }
      driveNanos += System.nanoTime() - t1;
    }
    System.out.printf(
        "processor fuzz, valid: seed %d, %d interfaces in %d compilations (%d ms), %d facades"
            + " driven (%d ms)%n",
        SEED, batches * BATCH, batches, compileNanos / 1_000_000, driven, driveNanos / 1_000_000);
  }

  // ---- invalid interfaces ---------------------------------------------------------------------

  @Test
  void randomFaultsAreReportedOnTheFaultyElementOnly() {
    int batches = (TRIES + BATCH - 1) / BATCH;
    long start = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      long seed = SEED * 37 + b;
      FuzzSources gen = new FuzzSources(seed);
      List<Unit> units = new ArrayList<>();
      for (int k = 0; k < BATCH; k++) {
        String fault = FuzzSources.FAULTS.get((b * BATCH + k) % FuzzSources.FAULTS.size());
        units.add(gen.invalid("fuzz.i" + b + "_" + k, fault));
      }
      List<SourceFile> files = new ArrayList<>();
      List<ExpectedError> expected = new ArrayList<>();
      for (Unit u : units) {
        files.addAll(u.files);
        expected.addAll(u.errors);
      }
      String replay = replay("invalid", b, seed, files);
      Compilation compilation = compile(files);
      assertNoCrash(compilation, replay);
      List<Diagnostic<? extends JavaFileObject>> reported =
          compilation.diagnostics().stream()
              .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
              .toList();
      assertWithMessage("%s\nexpected %s\nreported %s", replay, expected, describe(reported))
          .that(reported.size())
          .isEqualTo(expected.size());
      for (ExpectedError e : expected) {
        boolean found =
            reported.stream()
                .anyMatch(d ->
                    d.getKind() == Diagnostic.Kind.ERROR
                        && d.getMessage(Locale.ROOT).startsWith("[" + e.code() + "]")
                        && d.getSource() != null
                        && ("/" + d.getSource().getName())
                            .endsWith("/" + e.file().replace('.', '/') + ".java")
                        && e.lines().contains((int) d.getLineNumber()));
        assertWithMessage(
                "%s\nexpected %s in %s on line %s\nreported %s",
                replay, e.code(), e.file(), e.lines(), describe(reported))
            .that(found)
            .isTrue();
      }
    }
    System.out.printf(
        "processor fuzz, invalid: seed %d, %d faults in %d compilations (%d ms)%n",
        SEED, batches * BATCH, batches, (System.nanoTime() - start) / 1_000_000);
  }

  // ---- compilation ------------------------------------------------------------------------------

  private static Compilation compile(List<SourceFile> files) {
    return compile(files, List.of());
  }

  /** Compiles with the processor, strictly, with {@code classpath} if it is not empty. */
  private static Compilation compile(List<SourceFile> files, List<File> classpath) {
    // -processing: the generated sources' own @NullMarked is claimed by no processor.
    Compiler javac =
        Compiler.javac()
            .withProcessors(new ConcurrentProcessor())
            .withOptions("-Xlint:all,-processing", "-Werror");
    if (!classpath.isEmpty()) {
      javac = javac.withClasspath(classpath);
    }
    return javac.compile(javaFiles(files));
  }

  private static List<JavaFileObject> javaFiles(List<SourceFile> files) {
    List<JavaFileObject> sources = new ArrayList<>();
    for (SourceFile f : files) {
      sources.add(JavaFileObjects.forSourceString(f.name(), f.text()));
    }
    return sources;
  }

  /** Whether {@code f} is a super-interface, or a type of the package they may use. */
  private static boolean isLibrary(SourceFile f) {
    String simple = f.name().substring(f.name().lastIndexOf('.') + 1);
    return simple.equals("Base")
        || simple.equals("Side")
        || FuzzSources.SAME_PACKAGE_NAMES.contains(simple);
  }

  private static String replay(String kind, int batch, long seed, List<SourceFile> files) {
    StringBuilder sb = new StringBuilder();
    sb.append("fuzz ")
        .append(kind)
        .append(" batch ")
        .append(batch)
        .append(" (-Dloomresult.fuzz.seed=")
        .append(SEED)
        .append(", batch seed ")
        .append(seed)
        .append(")\n");
    for (SourceFile f : files) {
      sb.append("---- ").append(f.name()).append('\n');
      List<String> lines = f.lines();
      for (int i = 0; i < lines.size(); i++) {
        sb.append(String.format("%3d  %s%n", i + 1, lines.get(i)));
      }
    }
    return sb.toString();
  }

  private static String describe(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    StringBuilder sb = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
      sb.append("\n  ")
          .append(d.getKind())
          .append(' ')
          .append(d.getSource() == null ? "-" : d.getSource().getName())
          .append(':')
          .append(d.getLineNumber())
          .append(' ')
          .append(d.getMessage(Locale.ROOT));
    }
    return sb.toString();
  }

  /** No diagnostic comes from a crash of the processor. */
  private static void assertNoCrash(Compilation compilation, String replay) {
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      String message = d.getMessage(Locale.ROOT);
      assertWithMessage(replay).that(message).doesNotContain("threw an uncaught exception");
      assertWithMessage(replay).that(message).doesNotContain("[LR-E0]");
      assertWithMessage(replay).that(message).doesNotContainMatch("(?m)^\\s+at [\\w$.]+\\(");
    }
  }

  // ---- the driver -------------------------------------------------------------------------------

  /** One call the delegate received. */
  private record Call(Method method, Object[] args, Object returned) {}

  /** Calls every member of one facade through a recording proxy delegate. */
  private static final class Driver {
    private final ISpec spec;
    private final Class<?> iface;
    private final Class<?> facade;
    private final Object delegate;
    private final List<Call> calls = new ArrayList<>();
    private final AtomicReference<Exception> toThrow = new AtomicReference<>();

    /** When set, every call throws a fresh exception of the method, collected in thrown. */
    private volatile boolean allFail;

    private final List<Exception> thrown = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, MSpec> byDeclaration = new HashMap<>();

    Driver(ClassLoader loader, ISpec spec) throws ClassNotFoundException {
      this.spec = spec;
      this.iface = loader.loadClass(spec.binaryName());
      for (MSpec m : spec.methods()) {
        byDeclaration.put(m.name() + m.declared(), m);
      }
      boolean anyConcurrent = spec.methods().stream().anyMatch(MSpec::concurrent);
      Class<?> f = null;
      try {
        f = loader.loadClass(spec.facadeName());
      } catch (ClassNotFoundException e) {
        if (anyConcurrent) {
          throw e;
        }
      }
      this.facade = f;
      InvocationHandler handler =
          (proxy, method, args) -> {
            MSpec m = byDeclaration.get(method.getName() + List.of(method.getParameterTypes()));
            if (m == null || !m.concurrent()) {
              throw new AssertionError("unexpected call of " + method);
            }
            Exception failure = toThrow.get();
            if (allFail) {
              failure = m.thrown().get();
              thrown.add(failure);
            }
            Object value = m.returns() == null ? null : m.returns().gen().get();
            synchronized (calls) {
              calls.add(new Call(method, args == null ? new Object[0] : args, value));
            }
            if (failure != null) {
              throw failure;
            }
            return value;
          };
      this.delegate = Proxy.newProxyInstance(loader, new Class<?>[] {iface}, handler);
    }

    void run() throws Exception {
      if (facade == null) {
        return;
      }
      assertThat(Modifier.isFinal(facade.getModifiers())).isTrue();
      Set<Method> starts = new HashSet<>();
      for (MSpec m : spec.methods()) {
        Method start = startMethod(m);
        if (!m.concurrent()) {
          assertWithMessage("facade method for the non-@Concurrent %s%s", m.name(), m.erased())
              .that(start)
              .isNull();
          continue;
        }
        assertWithMessage("facade method %s%s", m.name(), m.erased()).that(start).isNotNull();
        starts.add(start);
        checkAnnotationsKept(m, start);
        checkStart(m, start);
        checkFailure(m, start);
      }
      checkGathers(starts);
    }

    private Method startMethod(MSpec m) {
      try {
        Method s = facade.getMethod(m.name(), m.erased().toArray(Class<?>[]::new));
        return s.getReturnType() == ResultCapture.class ? accessible(s) : null;
      } catch (NoSuchMethodException e) {
        return null;
      }
    }

    /**
     * The type-use annotations (JSpecify's, kept at run time) of the parameters and the return type
     * are the interface method's, the return type's on the handle's type argument.
     */
    private void checkAnnotationsKept(MSpec m, Method start) throws NoSuchMethodException {
      Method declared = iface.getMethod(m.name(), m.declared().toArray(Class<?>[]::new));
      for (int i = 0; i < m.params().size(); i++) {
        assertWithMessage("annotations of parameter %s of %s", i, start)
            .that(annotationsOf(start.getAnnotatedParameterTypes()[i]))
            .isEqualTo(annotationsOf(declared.getAnnotatedParameterTypes()[i]));
      }
      if (m.returns() != null && !declared.getReturnType().isPrimitive()) {
        java.lang.reflect.AnnotatedType value =
            ((java.lang.reflect.AnnotatedParameterizedType) start.getAnnotatedReturnType())
                .getAnnotatedActualTypeArguments()[0];
        assertWithMessage("annotations of the value of %s", start)
            .that(annotationsOf(value))
            .isEqualTo(annotationsOf(declared.getAnnotatedReturnType()));
      }
    }

    /** The annotation types on a type and, for arrays and generics, on its components. */
    private static String annotationsOf(java.lang.reflect.AnnotatedType type) {
      StringBuilder sb = new StringBuilder();
      for (java.lang.annotation.Annotation a : type.getAnnotations()) {
        sb.append('@').append(a.annotationType().getSimpleName());
      }
      if (type instanceof java.lang.reflect.AnnotatedArrayType array) {
        sb.append('[').append(annotationsOf(array.getAnnotatedGenericComponentType())).append(']');
      } else if (type instanceof java.lang.reflect.AnnotatedParameterizedType p) {
        sb.append('<');
        for (java.lang.reflect.AnnotatedType a : p.getAnnotatedActualTypeArguments()) {
          sb.append(annotationsOf(a)).append(',');
        }
        sb.append('>');
      }
      return sb.toString();
    }

    private Object facade(Nursery n) throws Exception {
      for (Method of : facade.getDeclaredMethods()) {
        if (Modifier.isStatic(of.getModifiers())
            && Arrays.equals(of.getParameterTypes(), new Class<?>[] {Nursery.class, iface})
            && of.getReturnType() == facade) {
          return invoke(accessible(of), null, n, delegate);
        }
      }
      throw new AssertionError("no static factory (Nursery, " + iface.getName() + ")");
    }

    private List<Call> takeCalls() {
      synchronized (calls) {
        List<Call> out = new ArrayList<>(calls);
        calls.clear();
        return out;
      }
    }

    private Object[] arguments(List<FType> params) {
      Object[] args = new Object[params.size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = params.get(i).gen().get();
      }
      return args;
    }

    /** The call reached the delegate with the same arguments, its value is the handle's. */
    private void checkStart(MSpec m, Method start) throws Exception {
      Object[] args = arguments(m.params());
      toThrow.set(null);
      Object result =
          Nursery.run(n -> {
            ResultCapture<?> capture = (ResultCapture<?>) invoke(start, facade(n), args);
            capture.waitDone();
            return new Object[] {capture.result()};
          });
      List<Call> received = takeCalls();
      assertWithMessage("calls of %s", start).that(received).hasSize(1);
      Call call = received.get(0);
      assertThat(call.method().getName()).isEqualTo(m.name());
      assertSameArguments(m, args, call.args());
      assertSameValue(m, call.returned(), ((Object[]) result)[0]);
    }

    /** An exception of the delegate is the handle's, and the nursery's unless suppressed. */
    private void checkFailure(MSpec m, Method start) throws Exception {
      Exception failure = m.thrown().get();
      toThrow.set(failure);
      AtomicReference<ResultCapture<?>> capture = new AtomicReference<>();
      Object[] args = arguments(m.params());
      try {
        Nursery.runVoid(n -> {
          capture.set((ResultCapture<?>) invoke(start, facade(n), args));
          capture.get().waitDone();
        });
        assertWithMessage("%s with suppressException", m.name()).that(m.suppress()).isTrue();
      } catch (NurseryFailedException e) {
        assertWithMessage("%s suppresses exceptions", m.name()).that(m.suppress()).isFalse();
        assertThat(e).hasCauseThat().isSameInstanceAs(failure);
      } finally {
        toThrow.set(null);
      }
      assertThat(capture.get().exception()).isSameInstanceAs(failure);
      assertThat(takeCalls()).hasSize(1);
    }

    /**
     * Every facade method with a collection first that is not a start method is a gather method:
     * each must run one @Concurrent method once per input, values in input order, and every method
     * with parameters must have one.
     */
    private void checkGathers(Set<Method> starts) throws Exception {
      Map<MSpec, Set<String>> gathered = new HashMap<>();
      for (Method g : facade.getMethods()) {
        if (g.getDeclaringClass() != facade
            || starts.contains(g)
            || Modifier.isStatic(g.getModifiers())
            || g.getParameterCount() == 0
            || g.getParameterTypes()[0] != Collection.class) {
          continue;
        }
        if (isStartOf(g)) {
          continue;
        }
        if (g.getParameterCount() > 2
            || (g.getParameterCount() == 2 && g.getParameterTypes()[1] != int.class)) {
          continue; // not a gather shape this driver knows: (inputs) or (inputs, maxAtOnce)
        }
        assertWithMessage("gather %s returns a handle", g)
            .that(g.getReturnType())
            .isEqualTo(ResultCapture.class);
        MSpec m = checkGather(accessible(g));
        gathered.computeIfAbsent(m, k -> new HashSet<>()).add(g.getName());
      }
      for (MSpec m : spec.methods()) {
        if (m.concurrent() && !m.params().isEmpty()) {
          assertWithMessage("gather methods of %s%s", m.name(), m.erased())
              .that(gathered.get(m))
              .isNotEmpty();
        }
      }
    }

    private boolean isStartOf(Method g) {
      for (MSpec m : spec.methods()) {
        if (m.concurrent()
            && m.name().equals(g.getName())
            && m.erased().equals(List.of(g.getParameterTypes()))) {
          return true;
        }
      }
      return false;
    }

    private MSpec checkGather(Method g) throws Exception {
      Class<?> element = elementClass(g.getGenericParameterTypes()[0]);
      List<MSpec> candidates = new ArrayList<>();
      for (MSpec m : spec.methods()) {
        if (!m.concurrent() || m.params().isEmpty()) {
          continue;
        }
        if (element.isRecord() && element.getEnclosingClass() == facade) {
          List<Class<?>> components =
              Arrays.stream(element.getRecordComponents())
                  .<Class<?>>map(RecordComponent::getType)
                  .toList();
          if (m.params().size() > 1 && components.equals(m.erased())) {
            candidates.add(m);
          }
        } else if (m.params().size() == 1 && box(m.erased().get(0)) == element) {
          candidates.add(m);
        }
      }
      // Several overloads may take the same inputs (find(int), find(Integer)): prefer the names.
      candidates.sort((a, b) ->
          Boolean.compare(!g.getName().startsWith(a.name()), !g.getName().startsWith(b.name())));
      assertWithMessage("the method %s gathers", g).that(candidates).isNotEmpty();
      MSpec model = candidates.get(0);
      List<Object[]> argsPerInput = new ArrayList<>();
      List<Object> inputs = new ArrayList<>();
      int count = 1 + (int) (Math.abs((long) g.hashCode()) % 4);
      for (int i = 0; i < count; i++) {
        Object[] args = arguments(model.params());
        argsPerInput.add(args);
        if (model.params().size() == 1) {
          inputs.add(args[0]);
        } else {
          Constructor<?> c =
              element.getDeclaredConstructor(
                  Arrays.stream(element.getRecordComponents())
                      .map(RecordComponent::getType)
                      .toArray(Class<?>[]::new));
          inputs.add(accessible(c).newInstance(args));
        }
      }
      Object[] gatherArgs =
          g.getParameterCount() == 1 ? new Object[] {inputs} : new Object[] {inputs, 1};
      Object result =
          Nursery.run(n -> {
            ResultCapture<?> capture = (ResultCapture<?>) invoke(g, facade(n), gatherArgs);
            capture.waitDone();
            return new Object[] {capture.result()};
          });
      if (isRace(g)) {
        checkRace(g, candidates, argsPerInput, ((Object[]) result)[0]);
        checkGatherFailure(g, model, gatherArgs);
        return model;
      }
      List<?> values = (List<?>) ((Object[]) result)[0];
      List<Call> received = takeCalls();
      assertWithMessage("calls of %s", g).that(received).hasSize(count);
      assertThat(values).hasSize(count);
      MSpec called =
          byDeclaration.get(
              received.get(0).method().getName()
                  + List.of(received.get(0).method().getParameterTypes()));
      assertWithMessage("%s calls one of %s", g, candidates).that(candidates).contains(called);
      List<Call> unused = new ArrayList<>(received);
      for (int i = 0; i < count; i++) {
        Call match = null;
        for (Call c : unused) {
          if (c.method().equals(received.get(0).method())
              && sameArguments(called, argsPerInput.get(i), c.args())
              && sameValue(called, c.returned(), values.get(i))) {
            match = c;
            break;
          }
        }
        assertWithMessage(
                "%s input %s: %s, value %s; calls %s",
                g, i, Arrays.deepToString(argsPerInput.get(i)), values.get(i), describe(received))
            .that(match)
            .isNotNull();
        unused.remove(match);
      }
      if (g.getParameterCount() == 2) {
        // At most one call at once: the inputs are taken, and the calls made, in input order.
        for (int i = 0; i < count; i++) {
          assertWithMessage("%s with maxAtOnce 1: call %s", g, i)
              .that(sameArguments(called, argsPerInput.get(i), received.get(i).args()))
              .isTrue();
        }
      }
      checkGatherFailure(g, called, gatherArgs);
      return called;
    }

    /** Whether {@code g} is the race method of a {@code @Concurrent} method with parameters. */
    private boolean isRace(Method g) {
      for (MSpec m : spec.methods()) {
        if (m.concurrent() && !m.params().isEmpty() && g.getName().startsWith(m.name() + "Race")) {
          return true;
        }
      }
      return false;
    }

    /**
     * A race calls one of the candidates once per input at most (losers may be cancelled before
     * they call), and its value is what one of the calls returned.
     */
    private void checkRace(
        Method g, List<MSpec> candidates, List<Object[]> argsPerInput, Object value) {
      List<Call> received = takeCalls();
      assertWithMessage("calls of race %s", g).that(received).isNotEmpty();
      assertWithMessage("calls of race %s", g).that(received.size()).isAtMost(argsPerInput.size());
      MSpec called =
          byDeclaration.get(
              received.get(0).method().getName()
                  + List.of(received.get(0).method().getParameterTypes()));
      assertWithMessage("%s calls one of %s", g, candidates).that(candidates).contains(called);
      boolean found = false;
      for (Call c : received) {
        for (Object[] args : argsPerInput) {
          found |= sameArguments(called, args, c.args()) && sameValue(called, c.returned(), value);
        }
      }
      assertWithMessage("race %s returned %s; calls %s", g, value, describe(received))
          .that(found)
          .isTrue();
    }

    /** When the calls fail, the gather's handle fails with the first failure (fail fast). */
    private void checkGatherFailure(Method g, MSpec called, Object[] gatherArgs) throws Exception {
      thrown.clear();
      allFail = true;
      AtomicReference<ResultCapture<?>> capture = new AtomicReference<>();
      try {
        Nursery.runVoid(n -> {
          capture.set((ResultCapture<?>) invoke(g, facade(n), gatherArgs));
          capture.get().waitDone();
        });
        assertWithMessage("%s with suppressException", g).that(called.suppress()).isTrue();
      } catch (NurseryFailedException e) {
        assertWithMessage("%s suppresses exceptions", g).that(called.suppress()).isFalse();
      } finally {
        allFail = false;
      }
      takeCalls();
      Throwable failure = capture.get().exception();
      assertWithMessage("%s failed", g).that(failure).isNotNull();
      boolean found = false;
      for (Throwable t = failure; t != null && !found; t = t.getCause()) {
        for (Exception e : thrown) {
          found |= t == e;
        }
      }
      assertWithMessage("%s failed with %s, not one of %s", g, failure, thrown)
          .that(found)
          .isTrue();
    }

    private static String describe(List<Call> calls) {
      List<String> out = new ArrayList<>();
      for (Call c : calls) {
        out.add(c.method().getName() + Arrays.deepToString(c.args()) + " -> " + c.returned());
      }
      return out.toString();
    }

    private static Class<?> elementClass(Type collection) {
      Type arg = ((ParameterizedType) collection).getActualTypeArguments()[0];
      if (arg instanceof WildcardType w) {
        arg = w.getUpperBounds()[0];
      }
      return raw(arg);
    }

    private static Class<?> raw(Type t) {
      if (t instanceof Class<?> c) {
        return c;
      }
      if (t instanceof ParameterizedType p) {
        return (Class<?>) p.getRawType();
      }
      if (t instanceof TypeVariable<?> v) {
        return raw(v.getBounds()[0]);
      }
      if (t instanceof java.lang.reflect.GenericArrayType a) {
        return raw(a.getGenericComponentType()).arrayType();
      }
      throw new AssertionError("element type " + t);
    }

    private static Class<?> box(Class<?> c) {
      if (!c.isPrimitive()) {
        return c;
      }
      return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
    }

    private void assertSameArguments(MSpec m, Object[] sent, Object[] received) {
      assertWithMessage(
              "%s: sent %s, received %s",
              m.name(), Arrays.deepToString(sent), Arrays.deepToString(received))
          .that(sameArguments(m, sent, received))
          .isTrue();
    }

    private static boolean sameArguments(MSpec m, Object[] sent, Object[] received) {
      if (sent.length != received.length) {
        return false;
      }
      for (int i = 0; i < sent.length; i++) {
        boolean primitive = m.params().get(i).erased().isPrimitive();
        if (primitive ? !sent[i].equals(received[i]) : sent[i] != received[i]) {
          return false;
        }
      }
      return true;
    }

    private static void assertSameValue(MSpec m, Object returned, Object result) {
      assertWithMessage("%s: returned %s, handle has %s", m.name(), returned, result)
          .that(sameValue(m, returned, result))
          .isTrue();
    }

    private static boolean sameValue(MSpec m, Object returned, Object result) {
      if (m.returns() == null) {
        return result == null;
      }
      return m.returns().erased().isPrimitive() ? returned.equals(result) : returned == result;
    }
  }

  private static <T extends java.lang.reflect.AccessibleObject> T accessible(T member) {
    member.setAccessible(true);
    return member;
  }
}
