package io.github.loomresult.processor;

import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;

/**
 * What the facade generated beside an interface can see: the interface itself (V3), the types of
 * its methods' signatures (V5) and {@code @Generated}; and whether the facade can be public.
 */
final class TypeAccess {
  static final String GENERATED = "javax.annotation.processing.Generated";

  private final Elements elements;

  TypeAccess(Elements elements) {
    this.elements = elements;
  }

  /** Why the facade could not use {@code iface}, or null if it can. */
  static String inaccessibility(TypeElement iface) {
    for (Element e = iface; !(e instanceof PackageElement); e = e.getEnclosingElement()) {
      if (!(e instanceof TypeElement)) {
        return "declared inside a method";
      }
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return e == iface ? "private" : "nested in the private type " + e.getSimpleName();
      }
    }
    return null;
  }

  /** Why the facade could not name {@code type}, or null if it can. */
  String unusable(TypeMirror type, String facadePackage) {
    switch (type.getKind()) {
      case DECLARED -> {
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        for (Element e = element; e instanceof TypeElement; e = e.getEnclosingElement()) {
          Set<Modifier> mods = e.getModifiers();
          if (mods.contains(Modifier.PRIVATE)) {
            return e.getSimpleName() + " is private";
          }
          boolean samePackage =
              elements.getPackageOf(e).getQualifiedName().contentEquals(facadePackage);
          if (!mods.contains(Modifier.PUBLIC) && !samePackage) {
            return e.getSimpleName() + " is not visible from package " + facadePackage;
          }
        }
        for (TypeMirror argument : ((DeclaredType) type).getTypeArguments()) {
          String problem = unusable(argument, facadePackage);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      }
      case ARRAY -> {
        return unusable(((ArrayType) type).getComponentType(), facadePackage);
      }
      case WILDCARD -> {
        WildcardType w = (WildcardType) type;
        TypeMirror bound = w.getExtendsBound() != null ? w.getExtendsBound() : w.getSuperBound();
        return bound == null ? null : unusable(bound, facadePackage);
      }
      case INTERSECTION, UNION -> {
        return "it is an intersection or union type";
      }
      default -> {
        return null;
      }
    }
  }

  /** Whether {@code iface} and every type it is nested in are public. */
  static boolean isEffectivelyPublic(TypeElement iface) {
    for (Element e = iface; e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (!e.getModifiers().contains(Modifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code @Generated} can be used in the module of {@code iface}. */
  boolean generatedAvailable(TypeElement iface) {
    ModuleElement module = elements.getModuleOf(iface);
    TypeElement generated =
        module == null
            ? elements.getTypeElement(GENERATED)
            : elements.getTypeElement(module, GENERATED);
    return generated != null;
  }
}
