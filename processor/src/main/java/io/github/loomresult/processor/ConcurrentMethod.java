package io.github.loomresult.processor;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.ExecutableType;

/**
 * A {@code @Concurrent} method that can have a facade method, with its type as a member of the
 * interface being processed (the interface's own type arguments substituted).
 *
 * @param method the method, as declared in the interface or in one it extends
 * @param type the method's type as a member of the interface being processed
 */
record ConcurrentMethod(ExecutableElement method, ExecutableType type) {}
