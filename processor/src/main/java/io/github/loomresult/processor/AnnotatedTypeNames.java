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
