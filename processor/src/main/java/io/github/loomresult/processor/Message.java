package io.github.loomresult.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Every diagnostic the processor can report, in one place: a stable code (the rule it enforces), a
 * kind and a message template. Codes are part of the public contract: tests and users' build logs
 * refer to them.
 */
enum Message {
  V1_NOT_AN_INTERFACE(
      Diagnostic.Kind.ERROR,
      "LR-V1",
      "@Concurrent applies to interfaces and their methods only; %s is %s"),
  V2_STATIC_OR_PRIVATE(
      Diagnostic.Kind.ERROR,
      "LR-V2",
      "@Concurrent method %s is %s; only abstract or default instance methods can be started"
          + " through a facade"),
  V3_INACCESSIBLE_INTERFACE(
      Diagnostic.Kind.ERROR,
      "LR-V3",
      "@Concurrent interface %s is %s, so the facade generated beside it could not use it"),
  V4_THROWS_NON_EXCEPTION(
      Diagnostic.Kind.ERROR,
      "LR-V4",
      "@Concurrent method %s throws %s, a checked Throwable that is not an Exception; a task can"
          + " only throw exceptions and errors"),
  V5_UNUSABLE_TYPE(
      Diagnostic.Kind.ERROR,
      "LR-V5",
      "@Concurrent method %s uses %s, which cannot be a type argument in the facade %s: %s"),
  V6_NAME_TAKEN(
      Diagnostic.Kind.ERROR,
      "LR-V6",
      "cannot generate the facade %s for %s: a type with that name already exists"),
  V7_MEMBER_CLASH(
      Diagnostic.Kind.ERROR,
      "LR-V7",
      "the facade member %s generated for @Concurrent method %s clashes with %s; rename one of"
          + " the methods"),
  V8_OVERLOAD_CLASH(
      Diagnostic.Kind.ERROR,
      "LR-V8",
      "the gather method %s of @Concurrent method %s would have the same signature as the one"
          + " of %s after erasure; rename one of the overloads"),
  V9_MISSING_TYPE(
      Diagnostic.Kind.ERROR,
      "LR-V9",
      "@Concurrent interface %s refers to %s, which still does not exist after every annotation"
          + " processor has run"),
  V10_NAME_TOO_LONG(
      Diagnostic.Kind.ERROR,
      "LR-V10",
      "the %s %s would be compiled to the class file %s, %d bytes long, more than the %d bytes a"
          + " file name can have on common file systems; shorten %s"),
  P6_BAD_OPTION(
      Diagnostic.Kind.ERROR, "LR-P6", "@Concurrent(%s = %s) on %s is invalid: it must be %s"),
  W1_ALREADY_ASYNC(
      Diagnostic.Kind.WARNING,
      "LR-W1",
      "@Concurrent method %s already returns %s: the facade returns a handle to a handle (%s);"
          + " suppress with @SuppressWarnings(\""
          + Message.ASYNC_RETURN_KEY
          + "\")"),
  W2_EMPTY_FACADE(
      Diagnostic.Kind.WARNING,
      "LR-W2",
      "@Concurrent interface %s has no abstract method to start, so its facade %s has no method;"
          + " suppress with @SuppressWarnings(\""
          + Message.EMPTY_FACADE_KEY
          + "\")"),
  E0_INTERNAL(
      Diagnostic.Kind.ERROR,
      "LR-E0",
      "internal error in the loomresult processor while processing %s: %s (please report it)");

  /** The {@code @SuppressWarnings} key that silences {@link #W1_ALREADY_ASYNC}. */
  static final String ASYNC_RETURN_KEY = "loomresult-async-return";

  /** The {@code @SuppressWarnings} key that silences {@link #W2_EMPTY_FACADE}. */
  static final String EMPTY_FACADE_KEY = "loomresult-empty-facade";

  private final Diagnostic.Kind kind;
  private final String code;
  private final String template;

  Message(Diagnostic.Kind kind, String code, String template) {
    this.kind = kind;
    this.code = code;
    this.template = template;
  }

  String code() {
    return code;
  }

  Diagnostic.Kind kind() {
    return kind;
  }

  String format(Object... args) {
    return "[" + code + "] " + String.format(template, args);
  }

  void report(Messager messager, Element element, Object... args) {
    messager.printMessage(kind, format(args), element);
  }

  /** Reports on one value of an annotation of {@code element} (on the annotation if null). */
  void report(
      Messager messager,
      Element element,
      AnnotationMirror annotation,
      AnnotationValue value,
      Object... args) {
    if (value == null) {
      messager.printMessage(kind, format(args), element, annotation);
    } else {
      messager.printMessage(kind, format(args), element, annotation, value);
    }
  }
}
