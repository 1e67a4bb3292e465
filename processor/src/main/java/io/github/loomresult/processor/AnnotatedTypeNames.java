package io.github.loomresult.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;

/**
 * Turns a {@link TypeMirror} into a JavaPoet {@link TypeName} that keeps type-use annotations (such
 * as JSpecify's {@code @Nullable}) at every level; {@code TypeName.get} drops them.
 */
final class AnnotatedTypeNames {
  private AnnotatedTypeNames() {}

  static TypeName of(TypeMirror type) {
    TypeName bare =
        switch (type.getKind()) {
          case DECLARED -> declared((DeclaredType) type);
          case ARRAY -> ArrayTypeName.of(of(((ArrayType) type).getComponentType()));
          case TYPEVAR ->
              TypeVariableName.get(((TypeVariable) type).asElement().getSimpleName().toString());
          case WILDCARD -> wildcard((WildcardType) type);
          default -> TypeName.get(type).withoutAnnotations();
        };
    List<AnnotationSpec> annotations = new ArrayList<>();
    type.getAnnotationMirrors().forEach(a -> annotations.add(AnnotationSpec.get(a)));
    return annotations.isEmpty() ? bare : bare.annotated(annotations);
  }

  /**
   * {@link #of(TypeMirror)} of {@code substituted}, a type of a method inherited from a generic
   * super-interface as seen from the interface, with the type-use annotations that {@code declared}
   * (the same type as the super-interface declares it) puts on its type variables: javac's
   * substitution drops them ({@code @Nullable B} with {@code B = String} would become {@code
   * String}).
   */
  static TypeName of(TypeMirror substituted, TypeMirror declared) {
    if (declared.getKind() == TypeKind.TYPEVAR) {
      TypeName name = of(substituted);
      List<AnnotationSpec> extra = new ArrayList<>();
      declared.getAnnotationMirrors().forEach(a -> extra.add(AnnotationSpec.get(a)));
      extra.removeAll(name.annotations());
      return extra.isEmpty() ? name : name.annotated(extra);
    }
    TypeName bare;
    if (substituted.getKind() == TypeKind.DECLARED
        && declared.getKind() == TypeKind.DECLARED
        && ((DeclaredType) substituted).getTypeArguments().size()
            == ((DeclaredType) declared).getTypeArguments().size()
        && !((DeclaredType) substituted).getTypeArguments().isEmpty()) {
      List<? extends TypeMirror> s = ((DeclaredType) substituted).getTypeArguments();
      List<? extends TypeMirror> d = ((DeclaredType) declared).getTypeArguments();
      TypeName[] arguments = new TypeName[s.size()];
      for (int i = 0; i < arguments.length; i++) {
        arguments[i] = of(s.get(i), d.get(i));
      }
      bare =
          ParameterizedTypeName.get(
              ClassName.get((TypeElement) ((DeclaredType) substituted).asElement()), arguments);
    } else if (substituted.getKind() == TypeKind.ARRAY && declared.getKind() == TypeKind.ARRAY) {
      bare =
          ArrayTypeName.of(
              of(
                  ((ArrayType) substituted).getComponentType(),
                  ((ArrayType) declared).getComponentType()));
    } else if (substituted.getKind() == TypeKind.WILDCARD
        && declared.getKind() == TypeKind.WILDCARD) {
      WildcardType s = (WildcardType) substituted;
      WildcardType d = (WildcardType) declared;
      if (s.getExtendsBound() != null && d.getExtendsBound() != null) {
        bare = WildcardTypeName.subtypeOf(of(s.getExtendsBound(), d.getExtendsBound()));
      } else if (s.getSuperBound() != null && d.getSuperBound() != null) {
        bare = WildcardTypeName.supertypeOf(of(s.getSuperBound(), d.getSuperBound()));
      } else {
        return of(substituted);
      }
    } else {
      return of(substituted);
    }
    List<AnnotationSpec> annotations = new ArrayList<>();
    (substituted.getAnnotationMirrors().isEmpty() ? declared : substituted)
        .getAnnotationMirrors()
        .forEach(a -> annotations.add(AnnotationSpec.get(a)));
    return annotations.isEmpty() ? bare : bare.annotated(annotations);
  }

  /**
   * A type variable with its bounds, their type-use annotations kept ({@code TypeVariableName.get}
   * drops them: {@code T extends @Nullable Object} would become {@code T}).
   */
  static TypeVariableName typeVariable(TypeVariable variable) {
    TypeMirror upper = variable.getUpperBound();
    List<? extends TypeMirror> bounds =
        upper instanceof IntersectionType intersection ? intersection.getBounds() : List.of(upper);
    List<TypeName> names = new ArrayList<>();
    for (TypeMirror bound : bounds) {
      names.add(of(bound));
    }
    return TypeVariableName.get(
        variable.asElement().getSimpleName().toString(), names.toArray(TypeName[]::new));
  }

  private static TypeName declared(DeclaredType type) {
    ClassName raw = ClassName.get((TypeElement) type.asElement());
    if (type.getTypeArguments().isEmpty()) {
      return raw;
    }
    List<TypeName> arguments = new ArrayList<>();
    for (TypeMirror argument : type.getTypeArguments()) {
      arguments.add(of(argument));
    }
    return ParameterizedTypeName.get(raw, arguments.toArray(TypeName[]::new));
  }

  private static TypeName wildcard(WildcardType type) {
    if (type.getExtendsBound() != null) {
      return WildcardTypeName.subtypeOf(of(type.getExtendsBound()));
    }
    if (type.getSuperBound() != null) {
      return WildcardTypeName.supertypeOf(of(type.getSuperBound()));
    }
    return WildcardTypeName.subtypeOf(Object.class);
  }
}
