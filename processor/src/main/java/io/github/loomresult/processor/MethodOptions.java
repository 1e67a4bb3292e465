package io.github.loomresult.processor;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Reads the {@code @Concurrent} options that apply to the methods of one interface: those of a
 * method's own annotation, else those of the nearest annotated interface that has it. An invalid
 * value is reported (P6) on the value itself, once per annotation: an interface-wide option is not
 * repeated on each of its methods.
 */
final class MethodOptions {
  /**
   * The options of one method.
   *
   * @param suppressException whether the handle keeps ordinary exceptions to itself
   * @param maxAtOnce the gather's default max-at-once, 0 for no limit
   */
  record Values(boolean suppressException, int maxAtOnce) {}

  private final Elements elements;
  private final InterfaceReporter reporter;

  /** The elements whose annotation has been reported invalid. */
  private final Set<Element> badOptions = new HashSet<>();

  MethodOptions(Elements elements, InterfaceReporter reporter) {
    this.elements = elements;
    this.reporter = reporter;
  }

  /**
   * The options of a method, or null if one is invalid (reported).
   *
   * @param optionsFrom the element whose {@code @Concurrent} applies: the method, or the annotated
   *     interface that makes it concurrent
   */
  Values of(Element optionsFrom) {
    Element owner = optionsFrom;
    AnnotationMirror options = FacadeValidator.annotation(owner);
    int maxAtOnce = intOption(options, "maxAtOnce");
    if (maxAtOnce < 0) {
      if (badOptions.add(owner)) {
        reporter.onOption(
            Message.P6_BAD_OPTION,
            owner,
            options,
            "maxAtOnce",
            "maxAtOnce",
            maxAtOnce,
            owner instanceof ExecutableElement m
                ? InterfaceReporter.describe(m)
                : ((TypeElement) owner).getQualifiedName(),
            "0 (no limit) or more");
      }
      return null;
    }
    return new Values(booleanOption(options, "suppressException"), maxAtOnce);
  }

  private boolean booleanOption(AnnotationMirror a, String name) {
    Object v = option(a, name);
    return v instanceof Boolean b && b;
  }

  private int intOption(AnnotationMirror a, String name) {
    Object v = option(a, name);
    return v instanceof Integer i ? i : 0;
  }

  private Object option(AnnotationMirror a, String name) {
    if (a == null) {
      return null;
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
        elements.getElementValuesWithDefaults(a).entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue().getValue();
      }
    }
    return null;
  }
}
