package io.github.loomresult.processor;

import java.util.Map;
import java.util.stream.Collectors;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Reports the diagnostics about the methods of one interface on the element they concern, and
 * remembers whether any was an error (an interface with an error gets no facade).
 *
 * <p>Inherited methods may come from compiled classes without a source position: a diagnostic about
 * one of them goes on the interface being processed, and its message names the method.
 */
final class InterfaceReporter {
  private final Messager messager;
  private final TypeElement iface;
  private boolean errorReported;

  InterfaceReporter(Messager messager, TypeElement iface) {
    this.messager = messager;
    this.iface = iface;
  }

  /** Whether an error has been reported about the interface. */
  boolean errorReported() {
    return errorReported;
  }

  /** Reports on {@code method}, or on the interface when the method is inherited. */
  void onMethod(Message message, ExecutableElement method, Object... args) {
    Element target = method.getEnclosingElement().equals(iface) ? method : iface;
    report(message, target, args);
  }

  /**
   * Reports on the value of an option of {@code annotation} on {@code owner}, or on the interface
   * (naming the element) when the annotation is inherited from elsewhere, as in {@link #onMethod}.
   */
  void onOption(
      Message message, Element owner, AnnotationMirror annotation, String option, Object... args) {
    noteError(message);
    boolean local = owner.equals(iface) || owner.getEnclosingElement().equals(iface);
    if (!local) {
      message.report(messager, iface, args);
      return;
    }
    AnnotationValue value = null;
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
        annotation.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(option)) {
        value = e.getValue();
      }
    }
    message.report(messager, owner, annotation, value, args);
  }

  /** How messages name a method: {@code Owner.name(ParamType, ...)}. */
  static String describe(ExecutableElement method) {
    return method.getEnclosingElement().getSimpleName()
        + "."
        + method.getSimpleName()
        + method.getParameters().stream()
            .map(p -> p.asType().toString())
            .collect(Collectors.joining(", ", "(", ")"));
  }

  private void report(Message message, Element target, Object... args) {
    noteError(message);
    message.report(messager, target, args);
  }

  private void noteError(Message message) {
    if (message.kind() == Diagnostic.Kind.ERROR) {
      errorReported = true;
    }
  }
}
