package io.github.loomresult.processor;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code @Concurrent} method, as the facade needs it.
 *
 * @param name the method's name
 * @param typeVariables the method's own type variables, with bounds
 * @param parameters the parameters, in order
 * @param varargs whether the last parameter is a varargs array
 * @param valueType the facade's value type: the return type, boxed; {@code Void} for void
 * @param returnsVoid whether the interface method returns void
 * @param link the javadoc reference to the interface method
 * @param suppressException whether the handle keeps ordinary exceptions to itself
 * @param gatherName the gather method's name, or {@code null} for a method without parameters
 * @param raceName the race method's name, or {@code null} for a method without parameters
 * @param argsRecordName the gather arguments record's simple name, for several parameters
 * @param defaultMaxAtOnce the gather's default max-at-once, 0 for no limit
 * @param deprecation how the interface method is deprecated: its facade members are, alike
 * @param suppressedWarnings the {@code SuppressWarnings} keys of the members generated for it
 * @param callThrough the super-interface to call the method through, or {@code null} to call it on
 *     the interface: a method inherited from two super-interfaces whose declarations erase
 *     differently ({@code G<String>.get(T)} and {@code H.get(String)}) is ambiguous on the
 *     interface
 */
record MethodModel(
    String name,
    List<TypeVariableName> typeVariables,
    List<ParameterModel> parameters,
    boolean varargs,
    TypeName valueType,
    boolean returnsVoid,
    CodeBlock link,
    boolean suppressException,
    @Nullable String gatherName,
    @Nullable String raceName,
    @Nullable String argsRecordName,
    int defaultMaxAtOnce,
    FacadeWarnings.Deprecation deprecation,
    List<String> suppressedWarnings,
    @Nullable TypeName callThrough) {}
