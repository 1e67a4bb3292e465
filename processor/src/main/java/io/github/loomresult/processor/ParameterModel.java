package io.github.loomresult.processor;

import com.palantir.javapoet.TypeName;

/**
 * One parameter of a facade method.
 *
 * @param name the parameter's name in the interface
 * @param type its type, type-use annotations included
 * @param componentName the name of its component in the gather arguments record (differs from
 *     {@code name} only where a record could not have a component of that name)
 */
record ParameterModel(String name, TypeName type, String componentName) {}
