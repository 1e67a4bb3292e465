package io.github.loomresult.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one interface against the rules (V2-V8, P6, W1) and builds its {@link FacadeModel}. It
 * picks the interface's {@code @Concurrent} methods and runs the checks in order: the interface
 * itself (V3, V6), each method on its own ({@link MethodChecks}), the names of the facade's members
 * ({@link FacadeMemberNames}) and the options ({@link MethodOptions}). Every problem is reported on
 * the element it concerns, all in one go; an interface with an error gets no model.
 */
final class FacadeValidator {
  static final String CONCURRENT = "io.github.loomresult.annotations.Concurrent";

  private final Elements elements;
  private final Types types;
  private final Messager messager;
  private final TypeAccess access;
  private final MethodChecks methodChecks;

  FacadeValidator(ProcessingEnvironment env) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.messager = env.getMessager();
    this.access = new TypeAccess(elements);
    this.methodChecks = new MethodChecks(elements, types, access);
  }

  /** The facade's class name: {@code Concurrent} + the flat name, in the interface's package. */
  ClassName facadeName(TypeElement iface) {
    ClassName name = ClassName.get(iface);
    return ClassName.get(name.packageName(), "Concurrent" + String.join("_", name.simpleNames()));
  }

  Optional<FacadeModel> validate(TypeElement iface) {
    String inaccessible = TypeAccess.inaccessibility(iface);
    if (inaccessible != null) {
      Message.V3_INACCESSIBLE_INTERFACE.report(
          messager, iface, iface.getQualifiedName(), inaccessible);
      return Optional.empty();
    }
    ClassName facade = facadeName(iface);
    if (elements.getTypeElement(facade.canonicalName()) != null) {
      Message.V6_NAME_TAKEN.report(
          messager, iface, facade.canonicalName(), iface.getQualifiedName());
      return Optional.empty();
    }

    // From here on, an error does not stop the checks: the later ones are reported in the same
    // compilation (all errors in one go), and the model is dropped at the end.
    InterfaceReporter reporter = new InterfaceReporter(messager, iface);
    List<ConcurrentMethod> candidates = new ArrayList<>();
    for (ExecutableElement method : concurrentMethods(iface)) {
      methodChecks.check(iface, facade, method, reporter).ifPresent(candidates::add);
    }
    FacadeMemberNames memberNames = new FacadeMemberNames(types, iface, candidates, reporter);
    MethodOptions options = new MethodOptions(elements, reporter);
    Set<String> reserved = new LinkedHashSet<>();
    iface.getTypeParameters().forEach(t -> reserved.add(t.getSimpleName().toString()));
    reserved.addAll(shadowedJavaLangNames(elements.getPackageOf(iface)));
    List<MethodModel> methods = new ArrayList<>();
    for (ConcurrentMethod c : candidates) {
      FacadeMemberNames.Names names = memberNames.name(c);
      if (names == null) {
        continue;
      }
      MethodOptions.Values values = options.of(c.method());
      if (values == null) {
        continue;
      }
      methods.add(methodModel(c, names, values, reserved));
    }
    if (reporter.errorReported()) {
      return Optional.empty();
    }
    return Optional.of(facadeModel(iface, facade, methods, reserved));
  }

  /**
   * The {@code @Concurrent} methods of {@code iface}, its own and the inherited ones: those
   * annotated, and the abstract ones of an annotated interface.
   */
  private List<ExecutableElement> concurrentMethods(TypeElement iface) {
    List<ExecutableElement> methods = new ArrayList<>();
    for (ExecutableElement method : memberMethodsInOrder(iface)) {
      boolean explicit = annotation(method) != null;
      TypeElement owner = (TypeElement) method.getEnclosingElement();
      // A redeclared method of Object (toString(), equals(Object)...) is part of every
      // implementation, not a call to start: only an explicit annotation picks it (and gets V7).
      boolean byType =
          annotation(owner) != null
              && method.getModifiers().contains(Modifier.ABSTRACT)
              && !redeclaresObjectMethod(method);
      if (explicit || byType) {
        methods.add(method);
      }
    }
    return methods;
  }

  private boolean redeclaresObjectMethod(ExecutableElement method) {
    List<String> erased = new ArrayList<>();
    for (VariableElement p : method.getParameters()) {
      erased.add(types.erasure(p.asType()).toString());
    }
    return FacadeMemberNames.objectMethod(method.getSimpleName().toString(), erased) != null;
  }

  /** The interface's methods and the inherited ones, source order, nearest declarations first. */
  private List<ExecutableElement> memberMethodsInOrder(TypeElement iface) {
    Set<Element> members = new HashSet<>(elements.getAllMembers(iface));
    List<ExecutableElement> ordered = new ArrayList<>();
    Set<TypeElement> seen = new HashSet<>();
    ArrayDeque<TypeElement> queue = new ArrayDeque<>();
    queue.add(iface);
    while (!queue.isEmpty()) {
      TypeElement t = queue.poll();
      if (!seen.add(t) || t.getKind() != ElementKind.INTERFACE) {
        continue;
      }
      for (Element e : t.getEnclosedElements()) {
        if (e.getKind() == ElementKind.METHOD && members.contains(e)) {
          ordered.add((ExecutableElement) e);
        }
      }
      for (TypeMirror s : t.getInterfaces()) {
        queue.add((TypeElement) types.asElement(s));
      }
    }
    return ordered;
  }

  // ---- model building -------------------------------------------------------------------------

  /**
   * The model of one method; adds the names of its type variables to reserved, and those of its
   * parameters if it has type variables: only such a method's body (a lambda, see FacadeWriter)
   * names types where its parameters are in scope.
   */
  private MethodModel methodModel(
      ConcurrentMethod c,
      FacadeMemberNames.Names names,
      MethodOptions.Values options,
      Set<String> reserved) {
    List<? extends VariableElement> params = c.method().getParameters();
    List<String> components = FacadeMemberNames.recordComponents(params);
    List<ParameterModel> parameterModels = new ArrayList<>();
    boolean bodyNamesTypes = !c.type().getTypeVariables().isEmpty();
    for (int i = 0; i < params.size(); i++) {
      String paramName = params.get(i).getSimpleName().toString();
      if (bodyNamesTypes) {
        reserved.add(paramName);
      }
      parameterModels.add(
          new ParameterModel(
              paramName,
              AnnotatedTypeNames.of(c.type().getParameterTypes().get(i), params.get(i).asType()),
              components.get(i)));
    }
    List<TypeVariableName> typeVariables = new ArrayList<>();
    for (TypeMirror tv : c.type().getTypeVariables()) {
      TypeVariableName tvn = AnnotatedTypeNames.typeVariable((TypeVariable) tv);
      typeVariables.add(tvn);
      reserved.add(tvn.name());
    }
    TypeMirror returnType = c.type().getReturnType();
    boolean returnsVoid = returnType.getKind() == TypeKind.VOID;
    TypeName valueType =
        returnsVoid
            ? ClassName.get("java.lang", "Void")
            : AnnotatedTypeNames.of(returnType, c.method().getReturnType()).box();
    return new MethodModel(
        c.method().getSimpleName().toString(),
        typeVariables,
        parameterModels,
        c.method().isVarArgs(),
        valueType,
        returnsVoid,
        link(c.method()),
        options.suppressException(),
        names.gatherName(),
        names.raceName(),
        names.recordName(),
        options.maxAtOnce());
  }

  private FacadeModel facadeModel(
      TypeElement iface, ClassName facade, List<MethodModel> methods, Set<String> reserved) {
    List<TypeVariableName> classTypeVariables =
        iface.getTypeParameters().stream()
            .map(t -> AnnotatedTypeNames.typeVariable((TypeVariable) t.asType()))
            .collect(Collectors.toList());
    return new FacadeModel(
        facade,
        TypeAccess.isEffectivelyPublic(iface),
        ClassName.get(iface),
        classTypeVariables,
        methods,
        access.generatedAvailable(iface),
        reserved);
  }

  private CodeBlock link(ExecutableElement method) {
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    CodeBlock.Builder b =
        CodeBlock.builder().add("{@link $T#$L(", ClassName.get(owner), method.getSimpleName());
    List<? extends VariableElement> params = method.getParameters();
    for (int i = 0; i < params.size(); i++) {
      TypeMirror erased = types.erasure(params.get(i).asType());
      b.add(
          i == 0 ? "$L" : ", $L",
          javadocTypeName(erased, method.isVarArgs() && i == params.size() - 1));
    }
    return b.add(")}").build();
  }

  private static String javadocTypeName(TypeMirror erased, boolean varargs) {
    String name = erased.toString();
    return varargs && name.endsWith("[]") ? name.substring(0, name.length() - 2) + "..." : name;
  }

  /**
   * The simple names of the types of {@code pkg} that are also names of {@code java.lang} types: in
   * the facade, a class of its own package would shadow the {@code java.lang} type of the same name
   * (such as {@code SafeVarargs} or {@code Void}), so those must be written qualified.
   */
  private Set<String> shadowedJavaLangNames(PackageElement pkg) {
    Set<String> names = new LinkedHashSet<>();
    if (pkg.getQualifiedName().contentEquals("java.lang")) {
      return names;
    }
    for (Element e : pkg.getEnclosedElements()) {
      String name = e.getSimpleName().toString();
      if (e instanceof TypeElement && elements.getTypeElement("java.lang." + name) != null) {
        names.add(name);
      }
    }
    return names;
  }

  /** The {@code @Concurrent} annotation on {@code element}, or null. */
  static AnnotationMirror annotation(Element element) {
    for (AnnotationMirror a : element.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement())
          .getQualifiedName()
          .contentEquals(CONCURRENT)) {
        return a;
      }
    }
    return null;
  }
}
