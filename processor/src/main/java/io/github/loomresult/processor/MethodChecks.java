package io.github.loomresult.processor;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The rules each {@code @Concurrent} method must meet on its own: it can be started through a
 * facade (V2), throws only exceptions and errors (V4) and uses only types the facade can name (V5);
 * and the warning for a method that already returns a handle (LR-W1).
 */
final class MethodChecks {
  private static final List<String> ASYNC_TYPES =
      List.of(
          "java.util.concurrent.Future",
          "java.util.concurrent.CompletionStage",
          "io.github.loomresult.ResultBase");

  private final Elements elements;
  private final Types types;
  private final TypeAccess access;

  /** The erasure of each type {@link #isSubtype} looked up, empty for a type not found. */
  private final Map<String, Optional<TypeMirror>> erasedTypes = new HashMap<>();

  MethodChecks(Elements elements, Types types, TypeAccess access) {
    this.elements = elements;
    this.types = types;
    this.access = access;
  }

  /**
   * Checks {@code method} of {@code iface}, reporting every problem. Returns the method as a member
   * of {@code iface}, unless it is static or private and so gets no facade method at all; a method
   * with another error is returned too, so that the checks on the facade's names still see it.
   */
  Optional<ConcurrentMethod> check(
      TypeElement iface, ClassName facade, ExecutableElement method, InterfaceReporter reporter) {
    // Only an explicitly annotated method can get here static or private: an annotation on the
    // interface applies to its abstract methods only.
    Set<Modifier> mods = method.getModifiers();
    if (mods.contains(Modifier.STATIC) || mods.contains(Modifier.PRIVATE)) {
      reporter.onMethod(
          Message.V2_STATIC_OR_PRIVATE,
          method,
          InterfaceReporter.describe(method),
          mods.contains(Modifier.STATIC) ? "static" : "private");
      return Optional.empty();
    }
    ExecutableType type = memberType(iface, method);
    for (TypeMirror thrown : type.getThrownTypes()) {
      if (!isSubtype(thrown, "java.lang.Exception") && !isSubtype(thrown, "java.lang.Error")) {
        reporter.onMethod(
            Message.V4_THROWS_NON_EXCEPTION, method, InterfaceReporter.describe(method), thrown);
      }
    }
    List<TypeMirror> used = new ArrayList<>(type.getParameterTypes());
    used.add(0, type.getReturnType());
    for (TypeMirror t : used) {
      String problem = access.unusable(t, facade.packageName());
      if (problem != null) {
        reporter.onMethod(
            Message.V5_UNUSABLE_TYPE,
            method,
            InterfaceReporter.describe(method),
            t,
            facade.simpleName(),
            problem);
      }
    }
    TypeMirror returnType = type.getReturnType();
    if (isAsync(returnType) && !suppressed(method, Message.ASYNC_RETURN_KEY)) {
      reporter.onMethod(
          Message.W1_ALREADY_ASYNC,
          method,
          InterfaceReporter.describe(method),
          returnType,
          "ResultCapture<" + returnType + ">");
    }
    return Optional.of(new ConcurrentMethod(method, type));
  }

  /**
   * The type of {@code method} as a member of {@code iface}. Only a method inherited from a generic
   * super-interface needs {@code asMemberOf}: javac's substitution drops the type-use annotations
   * of the type variables' uses ({@code @Nullable T} would become {@code T}), even where it
   * substitutes a variable by itself.
   */
  private ExecutableType memberType(TypeElement iface, ExecutableElement method) {
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    if (owner.equals(iface) || owner.getTypeParameters().isEmpty()) {
      return (ExecutableType) method.asType();
    }
    return (ExecutableType) types.asMemberOf((DeclaredType) iface.asType(), method);
  }

  /** Whether {@code type} is already a handle to an asynchronous result. */
  private boolean isAsync(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    for (String name : ASYNC_TYPES) {
      if (isSubtype(type, name)) {
        return true;
      }
    }
    return false;
  }

  private boolean isSubtype(TypeMirror type, String superName) {
    // Looked up once: the same few types are asked about for every method of every interface.
    Optional<TypeMirror> superType =
        erasedTypes.computeIfAbsent(
            superName,
            n ->
                Optional.ofNullable(elements.getTypeElement(n))
                    .map(e -> types.erasure(e.asType())));
    return superType.isPresent() && types.isSubtype(types.erasure(type), superType.get());
  }

  /** Whether the warning of {@code key} is suppressed on {@code element} or around it. */
  static boolean suppressed(Element element, String warningKey) {
    for (Element e = element; e != null; e = e.getEnclosingElement()) {
      SuppressWarnings s = e.getAnnotation(SuppressWarnings.class);
      if (s != null) {
        for (String key : s.value()) {
          if (key.equals(warningKey) || key.equals("all")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
