package io.github.loomresult.processor;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The seeded generator of {@link ProcessorFuzzTest}: random {@code @Concurrent} interfaces as
 * source lines, with what a driver needs to call their facades (the erased parameter types, a way
 * to make a value of each type at run time, the exceptions a method may throw), and random faults
 * (V1-V8, V10) with the line of the element each must be reported on. Interfaces have deprecated
 * and raw-typed members, may be deprecated themselves, may extend a super-interface with plain
 * methods that an interface-level {@code @Concurrent} makes concurrent, and a second
 * super-interface that declares some of its methods again (a diamond).
 *
 * <p>Types are written fully qualified, so that type variables and parameters can take the names
 * the facade uses ({@code List}, {@code Nursery}, {@code nursery}, {@code inputs}...).
 */
final class FuzzSources {
  private static final String NULLABLE = "@org.jspecify.annotations.Nullable";
  private static final String NON_NULL = "@org.jspecify.annotations.NonNull";
  private static final String CONCURRENT = "@io.github.loomresult.annotations.Concurrent";

  /** Unique values: every generated int, string, list is different from the others. */
  private static final AtomicInteger COUNTER = new AtomicInteger(1000);

  private static int next() {
    return COUNTER.incrementAndGet();
  }

  /**
   * A type as seen by one interface.
   *
   * @param src the source text
   * @param erased its erasure, what reflection sees
   * @param gen makes a fresh value of it
   * @param reifiable whether an array of it is reifiable (varargs warnings)
   */
  record FType(String src, Class<?> erased, Supplier<Object> gen, boolean reifiable) {}

  /** A type whose meaning depends on the type variables in scope (for inherited methods). */
  interface TT {
    FType at(Map<String, FType> env);
  }

  static TT leaf(String src, Class<?> erased, Supplier<Object> gen) {
    FType t = new FType(src, erased, gen, true);
    return env -> t;
  }

  static TT generic(String src, Class<?> erased, Supplier<Object> gen) {
    FType t = new FType(src, erased, gen, false);
    return env -> t;
  }

  static TT list(TT element) {
    return env -> {
      FType e = element.at(env);
      return new FType(
          "java.util.List<" + e.src() + ">",
          List.class,
          () -> {
            List<Object> l = new ArrayList<>();
            l.add(e.gen().get());
            return l;
          },
          false);
    };
  }

  static TT map(TT value) {
    return env -> {
      FType v = value.at(env);
      return new FType(
          "java.util.Map<java.lang.String, " + v.src() + ">",
          Map.class,
          () -> {
            Map<Object, Object> m = new HashMap<>();
            m.put("k" + next(), v.gen().get());
            return m;
          },
          false);
    };
  }

  static TT array(TT component) {
    return env -> {
      FType c = component.at(env);
      Class<?> erased = c.erased().arrayType();
      return new FType(
          c.src() + "[]",
          erased,
          () -> {
            Object a = Array.newInstance(c.erased(), 2);
            Array.set(a, 0, c.gen().get());
            Array.set(a, 1, c.gen().get());
            return a;
          },
          c.reifiable());
    };
  }

  /** A type variable: its name, bound and the type its uses are instantiated with at run time. */
  record TV(String name, String boundFormat, Class<?> erased, Supplier<Object> gen) {
    String declaration() {
      return name + String.format(boundFormat, name);
    }

    TT use(boolean nullable) {
      return env -> {
        FType bound = env.get(name);
        if (bound != null) {
          return bound;
        }
        return new FType(nullable ? NULLABLE + " " + name : name, erased, gen, false);
      };
    }
  }

  private static Supplier<Object> strings() {
    return () -> "s" + next();
  }

  private static final List<TV> BOUNDS =
      List.of(
          new TV("", "", Object.class, strings()),
          new TV("", " extends java.lang.Comparable<%s>", Comparable.class, strings()),
          new TV("", " extends java.lang.Number", Number.class, () -> next()),
          new TV(
              "",
              " extends java.lang.Number & java.lang.Comparable<%s>",
              Number.class,
              () -> next()),
          new TV("", " extends java.lang.CharSequence", CharSequence.class, strings()),
          new TV("", " extends " + "java.lang." + NULLABLE + " Object", Object.class, strings()),
          new TV(
              "",
              " extends java.lang.Comparable<? super %s>",
              Comparable.class,
              () -> Integer.valueOf(next())));

  static final List<String> CLASS_VARS =
      List.of(
          "T",
          "K",
          "V",
          "E",
          "List",
          "Nursery",
          "ResultCapture",
          "Collection",
          "Objects",
          "Api",
          "Holder",
          "Integer");
  static final List<String> METHOD_VARS =
      List.of(
          "U",
          "W",
          "R",
          "Limiter",
          "Results",
          "ArrayList",
          "Generated",
          "Void",
          "FindArgs",
          "SaveArgs",
          "String",
          "Api",
          "ConcurrentApi",
          "Override",
          "SafeVarargs");

  static final List<String> PARAM_NAMES =
      List.of(
          "a",
          "b",
          "c",
          "key",
          "value",
          "nursery",
          "delegate",
          "inputs",
          "maxAtOnce",
          "limiter",
          "calls",
          "call",
          "input",
          "toString",
          "hashCode",
          "equals",
          "getClass",
          "wait",
          "of",
          "result",
          "List",
          "Objects",
          "Nursery",
          "ResultCapture",
          "Results",
          "Limiter",
          "Collection",
          "ArrayList",
          "Generated",
          "String",
          "Override",
          "clone",
          "finalize",
          "notify",
          "name",
          "args",
          "T");

  /** Names of classes in the interface's package that the facade must not mistake for its own. */
  static final List<String> SAME_PACKAGE_NAMES =
      List.of(
          "String",
          "Void",
          "Object",
          "Integer",
          "Override",
          "SafeVarargs",
          "SuppressWarnings",
          "Exception",
          "Error",
          "Record",
          "Nursery",
          "ResultCapture",
          "Results",
          "Limiter",
          "List",
          "Collection",
          "Objects",
          "ArrayList",
          "Generated",
          "FindArgs",
          "SaveArgs",
          "Math");

  static final List<String> METHOD_NAMES =
      List.of(
          "find",
          "find",
          "find",
          "load",
          "get",
          "run",
          "compute",
          "apply",
          "nursery",
          "delegate",
          "inputs",
          "call",
          "calls",
          "limiter",
          "input",
          "of",
          "map",
          "result",
          "startSoon",
          "builder",
          "name",
          "save",
          "process",
          "toString",
          "hashCode",
          "equals",
          "clone");

  /** The leaf types, the same for every interface. */
  static final List<TT> LEAVES =
      List.of(
          leaf("int", int.class, () -> next()),
          leaf("long", long.class, () -> (long) next() << 20),
          leaf("boolean", boolean.class, () -> next() % 2 == 0),
          leaf("double", double.class, () -> next() + 0.5),
          leaf("char", char.class, () -> (char) ('a' + next() % 26)),
          leaf("byte", byte.class, () -> (byte) next()),
          leaf("short", short.class, () -> (short) next()),
          leaf("float", float.class, () -> next() + 0.25f),
          leaf("java.lang.Integer", Integer.class, () -> Integer.valueOf(next())),
          leaf("java.lang.Long", Long.class, () -> Long.valueOf(next())),
          leaf("java.lang.Boolean", Boolean.class, () -> next() % 2 == 0),
          leaf("java.lang.Double", Double.class, () -> Double.valueOf(next())),
          leaf("java.lang.Character", Character.class, () -> Character.valueOf('x')),
          leaf("java.lang.String", String.class, strings()),
          leaf("java.lang.Object", Object.class, () -> new Object()),
          leaf("java.lang.CharSequence", CharSequence.class, () -> new StringBuilder("cs")),
          leaf("java.lang.Number", Number.class, () -> Long.valueOf(next())),
          leaf("java.lang." + NULLABLE + " String", String.class, maybeNull(strings())),
          leaf("java.lang." + NON_NULL + " String", String.class, strings()),
          leaf(
              "java.lang.String " + NULLABLE + " []",
              String[].class,
              maybeNull(() -> new String[] {"n"})),
          generic(
              "java.util.List<java.lang." + NULLABLE + " String>",
              List.class,
              () -> {
                List<String> l = new ArrayList<>();
                l.add(null);
                return l;
              }),
          generic(
              "java.util.List<? extends java.lang.Number>",
              List.class,
              () -> new ArrayList<>(List.of(next()))),
          generic("java.util.Set<? super java.lang.Integer>", Set.class, () -> new HashSet<>()),
          generic(
              "java.util.Optional<java.lang.String>",
              Optional.class,
              () -> Optional.of("o" + next())),
          generic("java.util.List<?>", List.class, () -> new ArrayList<>()),
          generic(
              "java.util.function.Function<? super java.lang.String, ? extends java.lang.Integer>",
              Function.class,
              () -> (Function<String, Integer>) String::length),
          generic(
              "java.util.Map<java.lang.String, java.util.List<java.lang.Integer>>",
              Map.class,
              () -> new HashMap<>()),
          // Raw types: the declaring method suppresses rawtypes (see render), the facade must too.
          leaf("java.util.List", List.class, () -> new ArrayList<>(List.of(next()))),
          leaf("java.util.Map", Map.class, () -> new HashMap<>()));

  /** A raw use of List or Map in a type's source. */
  private static final java.util.regex.Pattern RAW =
      java.util.regex.Pattern.compile("java\\.util\\.(List|Map)(?![<\\w])");

  /** An exception a method declares, and how to make one the delegate can throw. */
  record Throws(List<String> src, Supplier<Exception> make) {}

  static final List<Throws> THROWS =
      List.of(
          new Throws(List.of(), () -> new IllegalArgumentException("unchecked")),
          new Throws(List.of("java.io.IOException"), () -> new java.io.IOException("io")),
          new Throws(List.of("java.lang.Exception"), () -> new Exception("any")),
          new Throws(
              List.of("java.util.concurrent.TimeoutException", "java.io.IOException"),
              () -> new TimeoutException("late")),
          new Throws(
              List.of("java.lang.IllegalStateException"), () -> new IllegalStateException("s")),
          new Throws(
              List.of("java.io.IOException", "java.lang.RuntimeException"),
              () -> new java.io.FileNotFoundException("gone")));

  private static Supplier<Object> maybeNull(Supplier<Object> s) {
    return () -> next() % 3 == 0 ? null : s.get();
  }

  // ---- generated interfaces -------------------------------------------------------------------

  /**
   * One method of an interface, as its facade sees it.
   *
   * @param name the method's name
   * @param params the parameter types in the facade (type arguments of the super-interface applied)
   * @param declared the erased parameter types of the declaration (what the proxy is called with)
   * @param returns the return type, null for void
   * @param thrown makes an exception the method may throw
   * @param concurrent whether it is a {@code @Concurrent} method (else it must not be in the
   *     facade)
   * @param suppress whether {@code suppressException} applies
   * @param line the (1-based) line of the method's declaration in its file
   */
  record MSpec(
      String name,
      List<FType> params,
      List<Class<?>> declared,
      FType returns,
      Supplier<Exception> thrown,
      boolean concurrent,
      boolean suppress,
      int line) {
    List<Class<?>> erased() {
      return params.stream().<Class<?>>map(FType::erased).toList();
    }
  }

  /**
   * One interface and its expected facade.
   *
   * @param binaryName the interface's binary name, for Class.forName
   * @param facadeName the facade's qualified name
   * @param methods its methods, inherited ones included
   * @param file the qualified name of the file that declares it
   * @param line the line of the interface's declaration
   */
  record ISpec(String binaryName, String facadeName, List<MSpec> methods, String file, int line) {}

  /** A source file: qualified name of its top-level type, and its lines. */
  record SourceFile(String name, List<String> lines) {
    String text() {
      return String.join("\n", lines) + "\n";
    }
  }

  /** What one generation produced: the files, the interfaces to drive, the expected errors. */
  static final class Unit {
    final List<SourceFile> files = new ArrayList<>();
    final List<ISpec> interfaces = new ArrayList<>();

    /** Expected errors: code, file, any of these lines. */
    final List<ExpectedError> errors = new ArrayList<>();
  }

  record ExpectedError(String code, String file, Set<Integer> lines, String fault) {}

  private final Random random;

  /** Types of the interface's own package, for the interface being generated. */
  private List<TT> extraLeaves = List.of();

  FuzzSources(long seed) {
    this.random = new Random(seed);
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  /** A method being generated. */
  private final class MethodDraft {
    String name;
    List<TV> typeVars = new ArrayList<>();
    List<TT> params = new ArrayList<>();
    List<String> paramNames = new ArrayList<>();
    boolean varargs;
    TT returns; // null for void
    Throws throwsClause;
    String genericThrows; // a method type variable X extends Exception, or null
    boolean annotated;
    String options = "";
    boolean isDefault;
    boolean suppress;
    String deprecated; // null, or the @Deprecated annotation's source
  }

  /** A method type variable or a class type variable with a random bound. */
  private TV typeVar(String name) {
    TV b = pick(BOUNDS);
    return new TV(name, b.boundFormat(), b.erased(), b.gen());
  }

  private TT randomType(List<TV> vars, int depth) {
    int k = random.nextInt(10);
    if (!vars.isEmpty() && k < 3) {
      TV v = pick(vars);
      int shape = random.nextInt(5);
      return switch (shape) {
        case 0 -> list(v.use(false));
        case 1 -> array(v.use(false));
        case 2 -> map(v.use(false));
        case 3 -> v.use(true);
        default -> v.use(false);
      };
    }
    if (!extraLeaves.isEmpty() && k == 5) {
      return pick(extraLeaves);
    }
    if (depth < 1 && k == 3) {
      return array(randomType(vars, depth + 1));
    }
    if (depth < 1 && k == 4) {
      TT element = pick(LEAVES);
      while (isPrimitive(element)) {
        element = pick(LEAVES);
      }
      return list(element);
    }
    return pick(LEAVES);
  }

  private static boolean isPrimitive(TT t) {
    return t.at(Map.of()).erased().isPrimitive();
  }

  private MethodDraft method(String name, List<TV> classVars, Set<String> usedVarNames) {
    MethodDraft m = new MethodDraft();
    m.name = name;
    List<TV> vars = new ArrayList<>(classVars);
    if (chance(0.25)) {
      int n = 1 + random.nextInt(2);
      for (int i = 0; i < n; i++) {
        String v = pick(METHOD_VARS);
        List<TV> shadowable = classVars.stream().filter(t -> !t.name().equals("B")).toList();
        boolean shadow = !shadowable.isEmpty() && chance(0.2);
        if (shadow) {
          // A method type variable may hide one of the interface (the facade keeps the method's).
          v = pick(shadowable).name();
        } else if (usedVarNames.contains(v)) {
          continue;
        }
        String varName = v;
        if (m.typeVars.stream().anyMatch(t -> t.name().equals(varName))) {
          continue;
        }
        TV tv = typeVar(v);
        m.typeVars.add(tv);
        vars.removeIf(t -> t.name().equals(varName));
        vars.add(tv);
      }
    }
    int n = random.nextInt(4);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < n; i++) {
      m.params.add(randomType(vars, 0));
      String p = pick(PARAM_NAMES);
      while (!names.add(p)) {
        p = p + i;
      }
      m.paramNames.add(p);
    }
    if (n > 0 && chance(0.2)) {
      TT last = m.params.get(n - 1);
      if (last.at(Map.of()).src().endsWith("[]")) {
        m.varargs = true;
      } else {
        m.params.set(n - 1, array(last));
        m.varargs = true;
      }
    }
    m.returns = chance(0.15) ? null : randomType(vars, 0);
    // Redeclared methods of Object keep their return types; clone() and finalize() are left out.
    List<String> erased = new ArrayList<>();
    m.params.forEach(t -> erased.add(t.at(Map.of()).src()));
    if (name.equals("equals") && n == 1 && m.params.get(0).at(Map.of()).erased() == Object.class) {
      // equals(T) would clash with equals(Object) in the interface itself.
      m.params.set(0, LEAVES.get(14));
      erased.set(0, "java.lang.Object");
    }
    if (name.equals("toString") && n == 0) {
      m.returns = LEAVES.get(13);
    } else if (name.equals("hashCode") && n == 0) {
      m.returns = LEAVES.get(0);
    } else if (name.equals("equals") && erased.equals(List.of("java.lang.Object"))) {
      m.returns = LEAVES.get(2);
    } else if (name.equals("clone") && n == 0) {
      m.params.add(LEAVES.get(0));
      m.paramNames.add("a");
    }
    m.throwsClause = pick(THROWS);
    if (chance(0.15) && !usedVarNames.contains("X")) {
      m.genericThrows = "X";
    }
    if (overridesObject(m)) {
      m.typeVars.clear();
      m.genericThrows = null;
      m.throwsClause = THROWS.get(0);
    } else if (chance(0.12)) {
      m.deprecated =
          chance(0.5) ? "@java.lang.Deprecated" : "@java.lang.Deprecated(forRemoval = true)";
    }
    if (chance(0.04)) {
      // A long name: its gather arguments record's class file name must still fit.
      m.name = m.name + "x".repeat(140);
    }
    return m;
  }

  private static boolean overridesObject(MethodDraft m) {
    List<String> params = new ArrayList<>();
    m.params.forEach(t -> params.add(t.at(Map.of()).src()));
    return (params.isEmpty() && (m.name.equals("toString") || m.name.equals("hashCode")))
        || (m.name.equals("equals") && params.equals(List.of("java.lang.Object")));
  }

  private static String signatureKey(String name, List<Class<?>> erased) {
    return name + erased;
  }

  private List<Class<?>> erasure(List<TT> params, Map<String, FType> env) {
    List<Class<?>> out = new ArrayList<>();
    for (TT t : params) {
      out.add(t.at(env).erased());
    }
    return out;
  }

  /** Lines of one method declaration, starting with its annotations. */
  private List<String> render(MethodDraft m, String indent) {
    List<String> out = new ArrayList<>();
    if (m.annotated) {
      out.add(indent + CONCURRENT + m.options);
    }
    if (m.deprecated != null) {
      out.add(indent + m.deprecated);
    }
    List<String> suppressed = new ArrayList<>();
    boolean unsafeVarargs =
        m.varargs && !m.params.get(m.params.size() - 1).at(Map.of()).reifiable();
    if (unsafeVarargs) {
      // The interface's own declaration warns about heap pollution; not the facade's business.
      suppressed.add("\"unchecked\"");
    }
    boolean raw = m.returns != null && RAW.matcher(m.returns.at(Map.of()).src()).find();
    for (TT t : m.params) {
      raw |= RAW.matcher(t.at(Map.of()).src()).find();
    }
    if (raw) {
      suppressed.add("\"rawtypes\"");
    }
    if (!suppressed.isEmpty()) {
      out.add(indent + "@java.lang.SuppressWarnings({" + String.join(", ", suppressed) + "})");
    }
    StringBuilder sb = new StringBuilder(indent);
    if (m.isDefault) {
      sb.append("default ");
    }
    List<String> tvs = new ArrayList<>();
    for (TV tv : m.typeVars) {
      tvs.add(tv.declaration());
    }
    if (m.genericThrows != null) {
      tvs.add(m.genericThrows + " extends java.lang.Exception");
    }
    if (!tvs.isEmpty()) {
      sb.append('<').append(String.join(", ", tvs)).append("> ");
    }
    sb.append(m.returns == null ? "void" : m.returns.at(Map.of()).src()).append(' ');
    sb.append(m.name).append('(');
    for (int i = 0; i < m.params.size(); i++) {
      String src = m.params.get(i).at(Map.of()).src();
      if (m.varargs && i == m.params.size() - 1) {
        src = src.substring(0, src.length() - 2) + "...";
      }
      sb.append(i == 0 ? "" : ", ").append(src).append(' ').append(m.paramNames.get(i));
    }
    sb.append(')');
    List<String> thrown = new ArrayList<>(m.throwsClause.src());
    if (m.genericThrows != null) {
      thrown.add(m.genericThrows);
    }
    if (!thrown.isEmpty()) {
      sb.append(" throws ").append(String.join(", ", thrown));
    }
    if (m.isDefault) {
      sb.append(" {");
      out.add(sb.toString());
      out.add(indent + "  throw new UnsupportedOperationException();");
      out.add(indent + "}");
    } else {
      sb.append(';');
      out.add(sb.toString());
    }
    return out;
  }

  private MSpec spec(MethodDraft m, Map<String, FType> env, int line, boolean concurrent) {
    List<FType> params = new ArrayList<>();
    for (TT t : m.params) {
      params.add(t.at(env));
    }
    Supplier<Exception> thrown = m.throwsClause.make();
    if (m.genericThrows != null && chance(0.5)) {
      thrown = () -> new java.util.zip.DataFormatException("generic X");
    }
    return new MSpec(
        m.name,
        params,
        erasure(m.params, Map.of()),
        m.returns == null ? null : m.returns.at(env),
        thrown,
        concurrent,
        m.suppress,
        line);
  }

  private String options() {
    if (chance(0.85)) {
      return "";
    }
    return chance(0.5)
        ? "(suppressException = true)"
        : "(maxAtOnce = " + (1 + random.nextInt(3)) + ")";
  }

  /**
   * A random valid interface in package {@code pkg}, maybe generic, nested, with a super-interface
   * of its own file. Faults, if any, are injected by {@link #invalid}.
   */
  Unit valid(String pkg) {
    return generate(pkg, null);
  }

  /** The faults {@link #invalid} can inject. */
  static final List<String> FAULTS = List.of("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V10");

  /** A random interface with one fault of kind {@code fault} (one of {@link #FAULTS}). */
  Unit invalid(String pkg, String fault) {
    return generate(pkg, fault);
  }

  private Unit generate(String pkg, String fault) {
    Unit unit = new Unit();
    // Types of the interface's package named like the java.lang types and runtime types the facade
    // may use by their simple names.
    if (chance(0.25)) {
      String clash = pick(SAME_PACKAGE_NAMES);
      unit.files.add(
          new SourceFile(
              pkg + "." + clash,
              List.of("package " + pkg + ";", "", "final class " + clash + " {}")));
      String q = pkg + "." + clash;
      extraLeaves =
          List.of(
              generic("java.util.List<" + q + ">", List.class, ArrayList::new),
              generic("java.util.Optional<" + q + ">", Optional.class, Optional::empty));
    } else {
      extraLeaves = List.of();
    }

    // The super-interface, if any: its own file, maybe generic, annotated on the type or methods.
    Set<String> keys = new HashSet<>();
    List<MethodDraft> baseMethods = new ArrayList<>();
    TV baseVar = null;
    boolean baseTypeLevel = chance(0.4);
    boolean hasBase = fault == null ? chance(0.35) : chance(0.2);
    // Decided first: @Concurrent on the interface also covers the plain methods it inherits.
    boolean typeLevel = chance(0.3);
    String typeOptions = typeLevel ? options() : "";
    boolean baseDeprecated = hasBase && chance(0.1);
    List<String> baseLines = new ArrayList<>();
    if (hasBase) {
      baseVar = chance(0.5) ? typeVar("B") : null;
      List<TV> bvars = baseVar == null ? List.of() : List.of(baseVar);
      int n = 1 + random.nextInt(3);
      for (int i = 0; i < n; i++) {
        MethodDraft m = method("base" + pick(METHOD_NAMES), bvars, Set.of("B"));
        String key = signatureKey(m.name, erasure(m.params, Map.of()));
        if (!keys.add(key)) {
          continue;
        }
        m.annotated = baseTypeLevel ? chance(0.2) : chance(0.75);
        if (!m.annotated && chance(0.2)) {
          m.isDefault = true;
        }
        baseMethods.add(m);
      }
      baseLines.add("package " + pkg + ";");
      baseLines.add("");
      if (baseTypeLevel) {
        baseLines.add(CONCURRENT);
        // All its methods may be default: its facade would have none (LR-W2).
        baseLines.add("@java.lang.SuppressWarnings(\"" + Message.EMPTY_FACADE_KEY + "\")");
      }
      if (baseDeprecated) {
        baseLines.add("@java.lang.Deprecated");
      }
      baseLines.add(
          "public interface Base"
              + (baseVar == null ? "" : "<" + baseVar.declaration() + ">")
              + " {");
    }

    // The interface itself.
    List<TV> classVars = new ArrayList<>();
    if (chance(0.3)) {
      int n = 1 + random.nextInt(2);
      for (int i = 0; i < n; i++) {
        String v = pick(CLASS_VARS);
        if (classVars.stream().noneMatch(t -> t.name().equals(v))) {
          classVars.add(typeVar(v));
        }
      }
    }
    Set<String> classVarNames = new HashSet<>();
    classVars.forEach(v -> classVarNames.add(v.name()));
    classVarNames.add("B");
    int nesting = random.nextInt(4);
    if ("V3".equals(fault)) {
      nesting = 1 + random.nextInt(2);
    } else if ("V5".equals(fault)) {
      nesting = random.nextBoolean() ? 1 : 3;
    }
    // 0: top level; 1: in a class; 2: in an interface; 3: two levels (class in interface)
    String simple = "Api";
    List<String> lines = new ArrayList<>();
    lines.add("package " + pkg + ";");
    lines.add("");
    String indent = "";
    List<String> enclosing = new ArrayList<>();
    boolean isPublic = chance(0.5);
    List<String> closers = new ArrayList<>();
    if (nesting == 1 || nesting == 3) {
      if (nesting == 3) {
        lines.add((isPublic ? "public " : "") + "interface Holder {");
        enclosing.add("Holder");
        closers.add("}");
        indent = "  ";
        lines.add(indent + (isPublic ? "public " : "") + "class Inner {");
        enclosing.add("Inner");
      } else {
        lines.add((isPublic ? "public " : "") + "class Holder {");
        enclosing.add("Holder");
      }
      closers.add(indent + "}");
      indent = indent + "  ";
      if (fault != null && fault.equals("V5")) {
        lines.add(indent + "private static final class Secret {}");
      }
    } else if (nesting == 2) {
      lines.add((isPublic ? "public " : "") + "interface Holder {");
      enclosing.add("Holder");
      closers.add("}");
      indent = "  ";
    }
    String modifier;
    boolean v3 = fault != null && fault.equals("V3");
    if (v3 && nesting == 1) {
      modifier = "private ";
    } else if (nesting == 1) {
      modifier = pick(List.of("", "public ", "protected ", "static "));
      if (!isPublic && modifier.equals("public ")) {
        modifier = "";
      }
    } else {
      modifier = isPublic ? "public " : "";
    }
    if (v3 && nesting == 2) {
      // An interface in an interface cannot be private: make the holder a class nested privately.
      lines.add(indent + "class Shell {");
      indent += "  ";
      lines.add(indent + "private static class Hidden {");
      indent += "  ";
      closers.add(indent.substring(4) + "}");
      closers.add(indent.substring(2) + "}");
      enclosing.add("Shell");
      enclosing.add("Hidden");
      modifier = "";
    }
    if (typeLevel) {
      lines.add(indent + CONCURRENT + typeOptions);
    }
    if (chance(0.2)) {
      lines.add(indent + "@org.jspecify.annotations.NullMarked");
    }
    if (fault == null && chance(0.1)) {
      lines.add(
          indent
              + (chance(0.5)
                  ? "@java.lang.Deprecated"
                  : "@java.lang.Deprecated(forRemoval = true)"));
    }
    List<String> suppressedKeys = new ArrayList<>();
    if (typeLevel) {
      // Its methods may all be default or redeclare Object's: its facade would have none (LR-W2).
      suppressedKeys.add("\"" + Message.EMPTY_FACADE_KEY + "\"");
    }
    if (baseDeprecated) {
      // Extending a deprecated interface warns, unless suppressed as users do.
      suppressedKeys.add("\"deprecation\"");
    }
    if (!suppressedKeys.isEmpty()) {
      lines.add(
          indent + "@java.lang.SuppressWarnings({" + String.join(", ", suppressedKeys) + "})");
    }
    // A second super-interface that declares some of Base's methods again (a diamond), plain.
    List<MethodDraft> sideMethods = new ArrayList<>();
    if (fault == null && hasBase && baseVar == null && chance(0.4)) {
      for (MethodDraft m : baseMethods) {
        if (!m.isDefault && chance(0.7)) {
          sideMethods.add(m);
        }
      }
    }
    StringBuilder decl = new StringBuilder(indent + modifier + "interface " + simple);
    if (!classVars.isEmpty()) {
      decl.append('<');
      for (int i = 0; i < classVars.size(); i++) {
        decl.append(i == 0 ? "" : ", ").append(classVars.get(i).declaration());
      }
      decl.append('>');
    }
    Map<String, FType> baseEnv = new HashMap<>();
    if (hasBase) {
      decl.append(" extends ").append(pkg).append(".Base");
      if (baseVar != null) {
        FType argType = baseArgument(baseVar, classVars);
        decl.append('<').append(argType.src()).append('>');
        baseEnv.put("B", argType);
      }
      if (!sideMethods.isEmpty()) {
        decl.append(", ").append(pkg).append(".Side");
      }
    }
    decl.append(" {");
    int ifaceLine = lines.size() + 1;
    lines.add(decl.toString());
    String memberIndent = indent + "  ";

    List<MSpec> specs = new ArrayList<>();
    // Inherited methods first: check their keys and note them.
    Set<String> viewKeys = new HashSet<>();
    for (MethodDraft m : baseMethods) {
      List<String> rendered = render(m, "  ");
      int line = baseLines.size() + rendered.size() - (m.isDefault ? 2 : 0);
      baseLines.addAll(rendered);
      boolean concurrent = m.annotated || ((baseTypeLevel || typeLevel) && !m.isDefault);
      // A plain inherited method takes the options of its own interface's @Concurrent (which has
      // none here), else of the interface's.
      m.suppress = !m.annotated && !baseTypeLevel && typeLevel && typeOptions.contains("suppress");
      MSpec s = spec(m, baseEnv, line, concurrent);
      viewKeys.add(signatureKey(m.name, s.erased()));
      if (!m.isDefault) {
        specs.add(s);
      }
    }
    if (hasBase) {
      baseLines.add("}");
      unit.files.add(new SourceFile(pkg + ".Base", baseLines));
    }
    if (!sideMethods.isEmpty()) {
      List<String> sideLines =
          new ArrayList<>(List.of("package " + pkg + ";", "", "public interface Side {"));
      for (MethodDraft m : sideMethods) {
        boolean annotated = m.annotated;
        String deprecated = m.deprecated;
        m.annotated = false;
        m.deprecated = null;
        sideLines.addAll(render(m, "  "));
        m.annotated = annotated;
        m.deprecated = deprecated;
      }
      sideLines.add("}");
      unit.files.add(new SourceFile(pkg + ".Side", sideLines));
    }

    int count = 1 + random.nextInt(6);
    Map<String, Integer> used = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String name = pick(METHOD_NAMES);
      MethodDraft m = method(name, classVars, classVarNames);
      List<Class<?>> declared = erasure(m.params, Map.of());
      String key = signatureKey(m.name, declared);
      if (!keys.add(key) || !viewKeys.add(key)) {
        continue;
      }
      if (m.name.equals("of") && m.params.size() == 2) {
        continue; // of(Nursery, Api) is not generated, but keep away from the factory
      }
      used.merge(name, 1, Integer::sum);
      boolean concurrent;
      if (typeLevel) {
        m.isDefault = chance(0.15);
        m.annotated = m.isDefault ? chance(0.5) : chance(0.2);
        concurrent = !m.isDefault || m.annotated;
      } else {
        m.annotated = chance(0.85);
        m.isDefault = chance(0.15);
        concurrent = m.annotated;
      }
      if (overridesObject(m)) {
        // Never started through a facade: skipped by a type annotation, V7 if annotated.
        m.isDefault = false;
        m.annotated = false;
        concurrent = false;
      }
      if (m.annotated) {
        m.options = options();
        m.suppress = m.options.contains("suppress");
      }
      if (typeLevel && !m.annotated) {
        m.suppress = typeOptions.contains("suppress");
      }
      List<String> rendered = render(m, memberIndent);
      int line = lines.size() + rendered.size() - (m.isDefault ? 2 : 0);
      lines.addAll(rendered);
      specs.add(spec(m, Map.of(), line, concurrent));
    }
    if (chance(0.3)) {
      lines.add(memberIndent + "static java.lang.String helper(int nursery) {");
      lines.add(memberIndent + "  return \"\" + nursery;");
      lines.add(memberIndent + "}");
    }

    String flat = String.join("_", enclosing) + (enclosing.isEmpty() ? "" : "_") + simple;
    String binary =
        pkg + "." + String.join("$", enclosing) + (enclosing.isEmpty() ? "" : "$") + simple;
    String topName = enclosing.isEmpty() ? simple : enclosing.get(0);
    String file = pkg + "." + topName;
    String typeArgs =
        classVars.isEmpty()
            ? ""
            : "<" + String.join(", ", classVars.stream().map(TV::name).toList()) + ">";
    String selfType =
        pkg
            + "."
            + String.join(".", enclosing)
            + (enclosing.isEmpty() ? "" : ".")
            + simple
            + typeArgs;

    // Faults that live in the interface body.
    if (fault != null) {
      String i = memberIndent;
      if (fault.equals("V3") || fault.equals("V6")) {
        // These are only checked on an interface the processor looks at.
        lines.add(i + CONCURRENT);
        lines.add(i + "java.lang.String anchor(int anchor);");
      }
      switch (fault) {
        case "V1" -> {
          /* in another type of the file, below */
        }
        case "V2" -> {
          boolean isStatic = chance(0.5);
          lines.add(i + CONCURRENT);
          int line = lines.size() + 1;
          lines.add(i + (isStatic ? "static " : "private ") + "java.lang.String faulty(int x) {");
          lines.add(i + "  return \"\" + x;");
          lines.add(i + "}");
          unit.errors.add(new ExpectedError("LR-V2", file, Set.of(line), fault));
        }
        case "V3" -> unit.errors.add(new ExpectedError("LR-V3", file, Set.of(ifaceLine), fault));
        case "V4" -> {
          boolean custom = chance(0.5);
          lines.add(i + CONCURRENT);
          int line = lines.size() + 1;
          lines.add(
              i
                  + "java.lang.String faulty(int x) throws java.io.IOException, "
                  + (custom ? pkg + ".Odd" : "java.lang.Throwable")
                  + ";");
          unit.errors.add(new ExpectedError("LR-V4", file, Set.of(line), fault));
          if (custom) {
            unit.files.add(
                new SourceFile(
                    pkg + ".Odd",
                    List.of(
                        "package " + pkg + ";",
                        "",
                        "class Odd extends Throwable {",
                        "  private static final long serialVersionUID = 1L;",
                        "}")));
          }
        }
        case "V5" -> {
          lines.add(i + CONCURRENT);
          int line = lines.size() + 1;
          lines.add(
              i
                  + pick(
                      List.of(
                          "Secret faulty();",
                          "java.lang.String faulty(java.util.List<Secret> s);",
                          "Secret[] faulty(int x);")));
          unit.errors.add(new ExpectedError("LR-V5", file, Set.of(line), fault));
        }
        case "V6" -> {
          unit.files.add(
              new SourceFile(
                  pkg + ".Concurrent" + flat,
                  List.of("package " + pkg + ";", "", "class Concurrent" + flat + " {}")));
          unit.errors.add(new ExpectedError("LR-V6", file, Set.of(ifaceLine), fault));
        }
        case "V7" -> {
          lines.add(i + CONCURRENT);
          int a = lines.size() + 1;
          int kind = random.nextInt(3);
          List<String> objectMethods = new ArrayList<>();
          if (!keys.contains(signatureKey("toString", List.of()))) {
            objectMethods.add("java.lang.String toString();");
          }
          if (!keys.contains(signatureKey("hashCode", List.of()))) {
            objectMethods.add("int hashCode();");
          }
          if (!keys.contains(signatureKey("equals", List.of(Object.class)))) {
            objectMethods.add("boolean equals(java.lang.Object other);");
          }
          if (kind == 2 && !objectMethods.isEmpty()) {
            lines.set(lines.size() - 1, i + CONCURRENT + options());
            lines.add(i + pick(objectMethods));
            unit.errors.add(new ExpectedError("LR-V7", file, Set.of(a), fault));
          } else if (kind == 1) {
            lines.add(
                i + "java.lang.String of(io.github.loomresult.Nursery n, " + selfType + " d);");
            unit.errors.add(new ExpectedError("LR-V7", file, Set.of(a), fault));
          } else {
            lines.add(i + "java.lang.String zap(java.lang.String k);");
            lines.add(i + CONCURRENT);
            int b = lines.size() + 1;
            lines.add(
                i
                    + "java.lang.String zapAll(java.util.Collection<java.lang.String> ks"
                    + (chance(0.5) ? ", int max" : "")
                    + ");");
            unit.errors.add(new ExpectedError("LR-V7", file, Set.of(a, b), fault));
          }
        }
        case "V8" -> {
          lines.add(i + CONCURRENT);
          int a = lines.size() + 1;
          lines.add(i + "java.lang.String zap(java.util.Date d);");
          lines.add(i + CONCURRENT);
          int b = lines.size() + 1;
          lines.add(i + "java.lang.String zap(java.sql.Date d);");
          unit.errors.add(new ExpectedError("LR-V8", file, Set.of(a, b), fault));
        }
        case "V10" -> {
          // Its gather arguments record's class file name would be longer than 255 bytes.
          lines.add(i + CONCURRENT);
          int line = lines.size() + 1;
          lines.add(i + "java.lang.String " + "v".repeat(245) + "(int a, int b);");
          unit.errors.add(new ExpectedError("LR-V10", file, Set.of(line), fault));
        }
        default -> throw new IllegalArgumentException(fault);
      }
    }
    lines.add(indent + "}");
    for (int k = closers.size() - 1; k >= 0; k--) {
      lines.add(closers.get(k));
    }
    if (fault != null && fault.equals("V1")) {
      String kind = pick(List.of("class", "record", "enum", "type"));
      lines.add("");
      switch (kind) {
        case "class" -> {
          lines.add("class Impl {");
          lines.add("  " + CONCURRENT);
          unit.errors.add(new ExpectedError("LR-V1", file, Set.of(lines.size() + 1), fault));
          lines.add("  java.lang.String faulty(int x) {");
          lines.add("    return \"\" + x;");
          lines.add("  }");
          lines.add("}");
        }
        case "record" -> {
          lines.add("record Impl(int x) {");
          lines.add("  " + CONCURRENT);
          unit.errors.add(new ExpectedError("LR-V1", file, Set.of(lines.size() + 1), fault));
          lines.add("  java.lang.String faulty() {");
          lines.add("    return \"\" + x;");
          lines.add("  }");
          lines.add("}");
        }
        case "enum" -> {
          lines.add("enum Impl {");
          lines.add("  ONE;");
          lines.add("  " + CONCURRENT);
          unit.errors.add(new ExpectedError("LR-V1", file, Set.of(lines.size() + 1), fault));
          lines.add("  java.lang.String faulty() {");
          lines.add("    return name();");
          lines.add("  }");
          lines.add("}");
        }
        default -> {
          lines.add(CONCURRENT);
          unit.errors.add(new ExpectedError("LR-V1", file, Set.of(lines.size() + 1), fault));
          lines.add("class Impl {}");
        }
      }
    }
    unit.files.add(new SourceFile(file, lines));
    unit.interfaces.add(new ISpec(binary, pkg + ".Concurrent" + flat, specs, file, ifaceLine));
    boolean baseConcurrent = false;
    for (MethodDraft m : baseMethods) {
      baseConcurrent |= m.annotated || (baseTypeLevel && !m.isDefault);
    }
    if (hasBase && baseConcurrent && fault == null) {
      List<MSpec> own = new ArrayList<>();
      for (int k = 0; k < baseMethods.size(); k++) {
        MethodDraft m = baseMethods.get(k);
        if (m.isDefault) {
          continue;
        }
        MSpec s = specs.get(own.size());
        own.add(
            new MSpec(
                s.name(),
                baseSpecParams(m),
                s.declared(),
                m.returns == null ? null : m.returns.at(Map.of()),
                s.thrown(),
                m.annotated || baseTypeLevel,
                false,
                s.line()));
      }
      unit.interfaces.add(new ISpec(pkg + ".Base", pkg + ".ConcurrentBase", own, pkg + ".Base", 0));
    }
    return unit;
  }

  private static List<FType> baseSpecParams(MethodDraft m) {
    List<FType> out = new ArrayList<>();
    for (TT t : m.params) {
      out.add(t.at(Map.of()));
    }
    return out;
  }

  /** A type argument for the super-interface's variable that meets its bound. */
  private FType baseArgument(TV var, List<TV> classVars) {
    String bound = var.boundFormat();
    FType string = new FType("java.lang.String", String.class, strings(), true);
    FType integer =
        new FType("java.lang.Integer", Integer.class, () -> Integer.valueOf(next()), true);
    if (bound.isEmpty() || bound.contains("Object")) {
      if (!classVars.isEmpty() && chance(0.6)) {
        return pick(classVars).use(false).at(Map.of());
      }
      return chance(0.5) ? string : integer;
    }
    if (bound.contains("Number") || bound.contains("super")) {
      return integer;
    }
    if (bound.contains("CharSequence")) {
      return string;
    }
    return chance(0.5) ? string : integer;
  }
}
