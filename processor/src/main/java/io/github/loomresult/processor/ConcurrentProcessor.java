package io.github.loomresult.processor;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.JavaFileObject;

/**
 * The entry point: finds the interfaces with {@code @Concurrent} methods in each round, waits a
 * round for those that refer to types another processor has yet to generate (V9), validates them
 * into models ({@link FacadeValidator}) and writes the facades ({@link FacadeWriter}). It never
 * lets an exception reach javac: an unexpected one becomes an error on the interface.
 */
@AutoService(Processor.class)
public final class ConcurrentProcessor extends AbstractProcessor {
  private Elements elements;
  private Types types;
  private Messager messager;
  private FacadeValidator validator;

  /** Interfaces waiting for a missing type, by qualified name, with the type's name. */
  private final Map<String, String> deferred = new LinkedHashMap<>();

  private final Set<String> done = new LinkedHashSet<>();

  /** Creates the processor; javac calls {@link #init} before use. */
  public ConcurrentProcessor() {}

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    elements = env.getElementUtils();
    types = env.getTypeUtils();
    messager = env.getMessager();
    validator = new FacadeValidator(env);
  }

  /**
   * {@code @Concurrent}, and the {@code @Generated} the facades carry. Both are claimed ({@link
   * #process} returns true): this processor is the only consumer of {@code @Concurrent}, and
   * {@code @Generated} (source retention) is for tools that read sources, not for processors.
   * Unclaimed, either is a {@code [processing]} warning under {@code -Xlint:all}, which {@code
   * -Werror} turns into a failed build.
   */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(FacadeValidator.CONCURRENT, TypeAccess.GENERATED);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<TypeElement> candidates = new LinkedHashSet<>();
    for (String name : deferred.keySet()) {
      TypeElement t = elements.getTypeElement(name);
      if (t != null) {
        candidates.add(t);
      }
    }
    deferred.clear();
    TypeElement concurrent = elements.getTypeElement(FacadeValidator.CONCURRENT);
    if (concurrent != null) {
      for (Element e : round.getElementsAnnotatedWith(concurrent)) {
        collect(e, candidates);
      }
    }
    for (TypeElement root : ElementFilter.typesIn(round.getRootElements())) {
      collectInheriting(root, candidates);
    }
    for (TypeElement iface : candidates) {
      String name = iface.getQualifiedName().toString();
      if (done.contains(name)) {
        continue;
      }
      try {
        String missing = missingType(iface);
        if (missing != null) {
          deferred.put(name, missing);
          continue;
        }
        done.add(name);
        Optional<FacadeModel> model = validator.validate(iface);
        if (model.isPresent()) {
          write(iface, model.get());
        }
      } catch (RuntimeException | LinkageError e) {
        done.add(name);
        Message.E0_INTERNAL.report(messager, iface, name, e);
      }
    }
    if (round.processingOver()) {
      for (Map.Entry<String, String> d : deferred.entrySet()) {
        TypeElement t = elements.getTypeElement(d.getKey());
        if (t != null) {
          Message.V9_MISSING_TYPE.report(messager, t, d.getKey(), d.getValue());
        }
      }
      deferred.clear();
    }
    return true; // claimed, see getSupportedAnnotationTypes
  }

  private void collect(Element annotated, Set<TypeElement> candidates) {
    if (annotated.getKind() == ElementKind.METHOD) {
      Element owner = annotated.getEnclosingElement();
      if (owner.getKind() == ElementKind.INTERFACE) {
        candidates.add((TypeElement) owner);
      } else {
        Message.V1_NOT_AN_INTERFACE.report(
            messager, annotated, annotated.getSimpleName() + "()", "a method of " + kindOf(owner));
      }
    } else if (annotated.getKind() == ElementKind.INTERFACE) {
      candidates.add((TypeElement) annotated);
    } else {
      Message.V1_NOT_AN_INTERFACE.report(
          messager, annotated, annotated.getSimpleName(), kindOf(annotated));
    }
  }

  private static String kindOf(Element e) {
    return switch (e.getKind()) {
      case CLASS -> "a class";
      case ENUM -> "an enum";
      case RECORD -> "a record";
      case ANNOTATION_TYPE -> "an annotation type";
      default -> "a " + e.getKind().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Interfaces of this compilation that only inherit {@code @Concurrent} methods (P5). */
  private void collectInheriting(TypeElement type, Set<TypeElement> candidates) {
    if (type.getKind() == ElementKind.INTERFACE
        && !candidates.contains(type)
        && inheritsConcurrent(type)) {
      candidates.add(type);
    }
    for (TypeElement nested : ElementFilter.typesIn(type.getEnclosedElements())) {
      collectInheriting(nested, candidates);
    }
  }

  /**
   * Whether {@code iface} has an inherited {@code @Concurrent} method, or extends an interface
   * annotated {@code @Concurrent} (whose abstract methods, inherited ones too, are all concurrent).
   */
  private boolean inheritsConcurrent(TypeElement iface) {
    Set<Element> seen = new HashSet<>();
    ArrayDeque<TypeMirror> supers = new ArrayDeque<>(iface.getInterfaces());
    while (!supers.isEmpty()) {
      Element superType = types.asElement(supers.poll());
      if (superType instanceof TypeElement t && seen.add(t)) {
        if (FacadeValidator.annotation(t) != null) {
          return true;
        }
        supers.addAll(t.getInterfaces());
      }
    }
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(iface))) {
      Element owner = m.getEnclosingElement();
      if (owner.getKind() == ElementKind.INTERFACE
          && (FacadeValidator.annotation(m) != null || FacadeValidator.annotation(owner) != null)) {
        return true;
      }
    }
    return false;
  }

  /** The first type the interface's methods refer to that does not exist (yet), or null. */
  private String missingType(TypeElement iface) {
    for (TypeMirror s : iface.getInterfaces()) {
      String missing = firstError(s);
      if (missing != null) {
        return missing;
      }
    }
    String missingBound = firstBoundError(iface.getTypeParameters());
    if (missingBound != null) {
      return missingBound;
    }
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(iface))) {
      if (m.getEnclosingElement().getKind() != ElementKind.INTERFACE) {
        continue;
      }
      ExecutableType t = (ExecutableType) types.asMemberOf((DeclaredType) iface.asType(), m);
      String missing = firstBoundError(m.getTypeParameters());
      if (missing == null) {
        missing = firstError(t.getReturnType());
      }
      for (int i = 0; missing == null && i < t.getParameterTypes().size(); i++) {
        missing = firstError(t.getParameterTypes().get(i));
      }
      for (int i = 0; missing == null && i < t.getThrownTypes().size(); i++) {
        missing = firstError(t.getThrownTypes().get(i));
      }
      if (missing != null) {
        return missing;
      }
    }
    return null;
  }

  /**
   * The first missing type in the bounds of type parameters: the facade repeats the bounds. Bounds
   * are looked at here rather than in {@link #firstError}, which would loop on recursive bounds.
   */
  private static String firstBoundError(List<? extends TypeParameterElement> parameters) {
    for (TypeParameterElement p : parameters) {
      for (TypeMirror bound : p.getBounds()) {
        String missing = firstError(bound);
        if (missing != null) {
          return missing;
        }
      }
    }
    return null;
  }

  private static String firstError(TypeMirror type) {
    if (type.getKind() == TypeKind.ERROR) {
      return type.toString();
    }
    if (type instanceof ArrayType a) {
      return firstError(a.getComponentType());
    }
    if (type instanceof WildcardType w) {
      TypeMirror bound = w.getExtendsBound() != null ? w.getExtendsBound() : w.getSuperBound();
      return bound == null ? null : firstError(bound);
    }
    if (type instanceof DeclaredType d) {
      for (TypeMirror argument : d.getTypeArguments()) {
        String missing = firstError(argument);
        if (missing != null) {
          return missing;
        }
      }
    }
    return null;
  }

  private void write(TypeElement iface, FacadeModel model) {
    try {
      JavaFileObject file =
          processingEnv.getFiler().createSourceFile(model.facade().canonicalName(), iface);
      // JavaPoet appends in small pieces; the Filer's writer encodes each piece on its own.
      StringBuilder source = new StringBuilder();
      FacadeWriter.write(model).writeTo(source);
      try (Writer out = file.openWriter()) {
        out.write(source.toString());
      }
    } catch (FilerException e) {
      Message.V6_NAME_TAKEN.report(
          messager, iface, model.facade().canonicalName(), iface.getQualifiedName());
    } catch (IOException e) {
      Message.E0_INTERNAL.report(messager, iface, iface.getQualifiedName(), e);
    }
  }
}
