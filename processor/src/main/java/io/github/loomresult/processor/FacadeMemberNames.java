package io.github.loomresult.processor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Names what the facade of one interface generates for each {@code @Concurrent} method besides the
 * method itself (its gather method and gather arguments record), and reports the facade members
 * that would clash (V7, V8).
 *
 * <p>Overloads get a suffix from their parameter types, so that ordinary overloads such as {@code
 * find(int)}, {@code find(long)}, {@code find(String)} each get a gather method. Methods are named
 * in order: of two that would get the same gather method, the first keeps it.
 */
final class FacadeMemberNames {
  /**
   * The names generated for one method.
   *
   * @param gatherName the gather method's name, or null for a method without parameters
   * @param raceName the race method's name, or null for a method without parameters
   * @param recordName the gather arguments record's simple name, for several parameters only
   */
  record Names(String gatherName, String raceName, String recordName) {}

  /** The call option methods of every facade, by name: the erased type of their parameter. */
  static final Map<String, String> CALL_OPTIONS =
      Map.of(
          "withTimeout", "java.time.Duration",
          "withLimiter", "io.github.loomresult.Limiter",
          "withName", "java.lang.String");

  /** Names a record component cannot have: they would clash with the members of Object. */
  private static final Set<String> RECORD_RESERVED =
      Set.of(
          "clone",
          "equals",
          "finalize",
          "getClass",
          "hashCode",
          "notify",
          "notifyAll",
          "toString",
          "wait");

  private final Types types;
  private final TypeElement iface;
  private final InterfaceReporter reporter;

  /** How many methods with parameters have each name. */
  private final Map<String, Integer> overloads = new HashMap<>();

  /** The erased parameter types of the facade's start methods, by name. */
  private final Map<String, List<List<String>>> facadeSignatures = new HashMap<>();

  /** The gather records named so far. */
  private final Set<String> recordNames = new HashSet<>();

  /** The method that took each gather or race name so far. */
  private final Map<String, ConcurrentMethod> gatherOwners = new HashMap<>();

  FacadeMemberNames(
      Types types, TypeElement iface, List<ConcurrentMethod> methods, InterfaceReporter reporter) {
    this.types = types;
    this.iface = iface;
    this.reporter = reporter;
    for (ConcurrentMethod c : methods) {
      if (!c.method().getParameters().isEmpty()) {
        overloads.merge(c.method().getSimpleName().toString(), 1, Integer::sum);
      }
    }
    for (ConcurrentMethod c : methods) {
      facadeSignatures
          .computeIfAbsent(c.method().getSimpleName().toString(), k -> new ArrayList<>())
          .add(erasedNames(c.type().getParameterTypes()));
    }
  }

  /** The names for {@code c}, or null if a member generated for it would clash (reported). */
  Names name(ConcurrentMethod c) {
    ExecutableElement method = c.method();
    String name = method.getSimpleName().toString();
    List<? extends VariableElement> params = method.getParameters();
    String gatherName = null;
    String raceName = null;
    String recordName = null;
    String suffix = "";
    if (!params.isEmpty()) {
      suffix = overloads.get(name) > 1 ? "By" + typeSuffix(c.type().getParameterTypes()) : "";
      gatherName = name + "All" + suffix;
      raceName = name + "Race" + suffix;
      for (String generated : List.of(gatherName, raceName)) {
        ConcurrentMethod earlier = gatherOwners.putIfAbsent(generated, c);
        if (earlier != null) {
          reporter.onMethod(
              Message.V8_OVERLOAD_CLASH,
              method,
              generated,
              InterfaceReporter.describe(method),
              InterfaceReporter.describe(earlier.method()));
          return null;
        }
        String clash = facadeClash(generated);
        if (clash != null) {
          reporter.onMethod(
              Message.V7_MEMBER_CLASH,
              method,
              generated + "(Collection)",
              InterfaceReporter.describe(method),
              clash);
          return null;
        }
      }
    }
    String option = CALL_OPTIONS.get(name);
    if (option != null && erasedNames(c.type().getParameterTypes()).equals(List.of(option))) {
      reporter.onMethod(
          Message.V7_MEMBER_CLASH,
          method,
          name + "(" + option.substring(option.lastIndexOf('.') + 1) + ")",
          InterfaceReporter.describe(method),
          "the facade's call option " + name);
      return null;
    }
    String objectMethod = objectMethod(name, erasedNames(c.type().getParameterTypes()));
    if (objectMethod != null) {
      reporter.onMethod(
          Message.V7_MEMBER_CLASH,
          method,
          objectMethod,
          InterfaceReporter.describe(method),
          "the method " + objectMethod + " of java.lang.Object, which the facade inherits");
      return null;
    }
    if (name.equals("of")
        && erasedNames(c.type().getParameterTypes())
            .equals(
                List.of(
                    "io.github.loomresult.Nursery", types.erasure(iface.asType()).toString()))) {
      reporter.onMethod(
          Message.V7_MEMBER_CLASH,
          method,
          "of(Nursery, " + iface.getSimpleName() + ")",
          InterfaceReporter.describe(method),
          "the static factory of the facade");
      return null;
    }
    if (params.size() > 1) {
      recordName = recordName(capitalize(name) + suffix + "Args", method);
    }
    return new Names(gatherName, raceName, recordName);
  }

  /**
   * {@code wanted}, or with {@code _} appended until it names no other record of the facade (as
   * {@code Find(int, int)} and {@code find(int, int)} would) and no type variable in scope (which
   * would hide the record in the facade's methods).
   */
  private String recordName(String wanted, ExecutableElement method) {
    Set<String> variables = new HashSet<>();
    iface.getTypeParameters().forEach(t -> variables.add(t.getSimpleName().toString()));
    method.getTypeParameters().forEach(t -> variables.add(t.getSimpleName().toString()));
    String record = wanted;
    while (variables.contains(record) || !recordNames.add(record)) {
      record = record + "_";
    }
    return record;
  }

  /**
   * The method of {@code Object} that a facade method with this name and erased parameter types
   * would override (with an incompatible return type: it returns a handle), or null. The final
   * methods of Object are left out: an interface cannot declare them.
   */
  static String objectMethod(String name, List<String> erasedParameterTypes) {
    if (erasedParameterTypes.isEmpty()) {
      return switch (name) {
        case "toString", "hashCode", "clone", "finalize" -> name + "()";
        default -> null;
      };
    }
    return name.equals("equals") && erasedParameterTypes.equals(List.of("java.lang.Object"))
        ? "equals(Object)"
        : null;
  }

  /**
   * The names of the gather arguments record's components, one per parameter: the parameter's name,
   * changed where it would clash with a member of Object or with another component.
   */
  static List<String> recordComponents(List<? extends VariableElement> params) {
    List<String> components = new ArrayList<>();
    Set<String> componentNames = new HashSet<>();
    for (VariableElement param : params) {
      String paramName = param.getSimpleName().toString();
      String component = RECORD_RESERVED.contains(paramName) ? paramName + "Arg" : paramName;
      while (!componentNames.add(component)) {
        component = component + "_";
      }
      components.add(component);
    }
    return components;
  }

  /** The start method of the facade that the gather method would clash with, or null. */
  private String facadeClash(String gatherName) {
    List<List<String>> signatures = facadeSignatures.get(gatherName);
    if (signatures == null) {
      return null;
    }
    for (List<String> s : signatures) {
      if (s.equals(List.of("java.util.Collection"))
          || s.equals(List.of("java.util.Collection", "int"))) {
        return "the @Concurrent method " + gatherName + "(" + String.join(", ", s) + ")";
      }
    }
    return null;
  }

  private List<String> erasedNames(List<? extends TypeMirror> parameterTypes) {
    List<String> names = new ArrayList<>();
    for (TypeMirror t : parameterTypes) {
      names.add(types.erasure(t).toString());
    }
    return names;
  }

  private String typeSuffix(List<? extends TypeMirror> parameterTypes) {
    List<String> parts = new ArrayList<>();
    for (TypeMirror t : parameterTypes) {
      parts.add(simpleName(types.erasure(t)));
    }
    return String.join("And", parts);
  }

  private String simpleName(TypeMirror erased) {
    return switch (erased.getKind()) {
      case ARRAY -> simpleName(((ArrayType) erased).getComponentType()) + "Array";
      case DECLARED -> ((DeclaredType) erased).asElement().getSimpleName().toString();
      default -> capitalize(erased.toString());
    };
  }

  private static String capitalize(String s) {
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
