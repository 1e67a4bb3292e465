package io.github.loomresult.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeVariableName;
import java.util.List;
import java.util.Set;

/**
 * Everything the writer needs to generate one facade; built and checked by {@link FacadeValidator},
 * so the writer never reports errors.
 *
 * @param facade the generated class
 * @param isPublic whether the facade is public (the interface is public, and so is every type
 *     enclosing it)
 * @param interfaceName the interface
 * @param typeVariables the interface's type variables, with bounds
 * @param methods the {@code @Concurrent} methods, in source order, inherited ones last
 * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} is readable
 * @param reservedNames simple names that must always be written qualified (they are also names of
 *     type variables, of parameters of generic methods, or of classes of the facade's package that
 *     would shadow the {@code java.lang} types of the same name)
 * @param deprecation how the interface (or a type it is nested in) is deprecated: the facade is,
 *     alike
 * @param suppressedWarnings the {@code SuppressWarnings} keys of the facade class
 */
record FacadeModel(
    ClassName facade,
    boolean isPublic,
    ClassName interfaceName,
    List<TypeVariableName> typeVariables,
    List<MethodModel> methods,
    boolean generatedAnnotation,
    Set<String> reservedNames,
    FacadeWarnings.Deprecation deprecation,
    List<String> suppressedWarnings) {}
