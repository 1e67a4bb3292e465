package io.github.loomresult.processor;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;

/**
 * Works out what the facade repeats so that it compiles without a warning under {@code -Xlint:all}
 * wherever the interface does: the deprecation of the interface and of its methods, and the {@code
 * SuppressWarnings} keys of the members that name raw types or deprecated types, or call deprecated
 * methods.
 *
 * <p>The keys are found from the types themselves, since a method inherited from a compiled class
 * keeps no {@code SuppressWarnings} (its retention is {@code SOURCE}); the keys the user wrote on a
 * method or around it are added to them.
 */
final class FacadeWarnings {
  /**
   * The user's keys that concern what the facade repeats (the types of a signature, the call);
   * others, such as {@code unchecked} in a generic method's body, concern code the facade does not
   * have.
   */
  private static final Set<String> CARRIED = Set.of("deprecation", "rawtypes", "removal");

  /** How an element is deprecated, from least to most. */
  enum Deprecation {
    NONE,
    DEPRECATED,
    FOR_REMOVAL;

    Deprecation max(Deprecation other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  private final Elements elements;

  FacadeWarnings(Elements elements) {
    this.elements = elements;
  }

  /** How {@code element} itself is deprecated. */
  Deprecation of(Element element) {
    if (!elements.isDeprecated(element)) {
      return Deprecation.NONE;
    }
    Deprecated d = element.getAnnotation(Deprecated.class);
    return d != null && d.forRemoval() ? Deprecation.FOR_REMOVAL : Deprecation.DEPRECATED;
  }

  /**
   * How naming {@code type} is deprecated: javac warns about a deprecated type and about a type
   * nested in one, since the facade names it through the enclosing type.
   */
  Deprecation ofType(TypeElement type) {
    Deprecation d = Deprecation.NONE;
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      d = d.max(of(e));
    }
    return d;
  }

  /**
   * The keys the facade's members generated for {@code method} need: for the types its signature
   * names (as a member of the interface), for calling it (and the methods it was inherited
   * alongside, the same method of another super-interface), and those the user wrote.
   */
  SortedSet<String> methodKeys(
      ExecutableElement method, ExecutableType type, List<ExecutableElement> sameMethod) {
    SortedSet<String> keys = new TreeSet<>();
    typeKeys(type.getReturnType(), keys);
    type.getParameterTypes().forEach(t -> typeKeys(t, keys));
    boundKeys(method.getTypeParameters(), keys);
    for (ExecutableElement m : sameMethod) {
      deprecationKey(of(m), keys);
      userKeys(m, keys);
    }
    return keys;
  }

  /** The keys the facade class needs: for the interface and its type variables' bounds. */
  SortedSet<String> interfaceKeys(TypeElement iface) {
    SortedSet<String> keys = new TreeSet<>();
    boundKeys(iface.getTypeParameters(), keys);
    if (ofType(iface) == Deprecation.FOR_REMOVAL) {
      // A deprecated facade hides plain deprecation warnings in its body, not removal ones.
      keys.add("removal");
    }
    userKeys(iface, keys);
    return keys;
  }

  private void boundKeys(List<? extends TypeParameterElement> parameters, Set<String> keys) {
    for (TypeParameterElement p : parameters) {
      p.getBounds().forEach(b -> typeKeys(b, keys));
    }
  }

  /**
   * Adds the keys of {@code type} as the facade writes it. Type variables are left alone: the
   * facade writes their names, and their bounds only where they are declared ({@link #boundKeys}).
   */
  private void typeKeys(TypeMirror type, Set<String> keys) {
    switch (type.getKind()) {
      case DECLARED -> {
        DeclaredType declared = (DeclaredType) type;
        TypeElement element = (TypeElement) declared.asElement();
        if (!element.getTypeParameters().isEmpty() && declared.getTypeArguments().isEmpty()) {
          keys.add("rawtypes");
        }
        deprecationKey(ofType(element), keys);
        declared.getTypeArguments().forEach(a -> typeKeys(a, keys));
      }
      case ARRAY -> typeKeys(((ArrayType) type).getComponentType(), keys);
      case WILDCARD -> {
        WildcardType w = (WildcardType) type;
        if (w.getExtendsBound() != null) {
          typeKeys(w.getExtendsBound(), keys);
        }
        if (w.getSuperBound() != null) {
          typeKeys(w.getSuperBound(), keys);
        }
      }
      default -> {}
    }
  }

  private static void deprecationKey(Deprecation d, Set<String> keys) {
    switch (d) {
      case DEPRECATED -> keys.add("deprecation");
      case FOR_REMOVAL -> keys.add("removal");
      case NONE -> {}
    }
  }

  /** The carried keys of the {@code SuppressWarnings} on {@code element} and around it. */
  private static void userKeys(Element element, Set<String> keys) {
    for (Element e = element; e != null && !(e instanceof PackageElement); ) {
      SuppressWarnings s = e.getAnnotation(SuppressWarnings.class);
      if (s != null) {
        for (String key : s.value()) {
          if (CARRIED.contains(key)) {
            keys.add(key);
          }
        }
      }
      e = e.getEnclosingElement();
    }
  }
}
