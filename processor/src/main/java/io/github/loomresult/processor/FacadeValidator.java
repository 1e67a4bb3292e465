package io.github.loomresult.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one interface against the rules (LR-V2 to LR-V8, LR-P6, LR-W1) and builds its {@link
 * FacadeModel}. It picks the interface's {@code @Concurrent} methods and runs the checks in order:
 * the interface itself (V3, V6), each method on its own ({@link MethodChecks}), the names of the
 * facade's members ({@link FacadeMemberNames}) and the options ({@link MethodOptions}). Every
 * problem is reported on the element it concerns, all in one go; an interface with an error gets no
 * model.
 */
final class FacadeValidator {
  static final String CONCURRENT = "io.github.loomresult.annotations.Concurrent";

  private final Elements elements;
  private final Types types;
  private final Messager messager;
  private final TypeAccess access;
  private final MethodChecks methodChecks;
  private final FacadeWarnings warnings;

  /** The longest file name most file systems allow (ext4, APFS, and NTFS in UTF-16 units). */
  static final int MAX_FILE_NAME_BYTES = 255;

  FacadeValidator(ProcessingEnvironment env) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.messager = env.getMessager();
    this.access = new TypeAccess(elements);
    this.methodChecks = new MethodChecks(elements, types, access);
    this.warnings = new FacadeWarnings(elements);
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
    int classFileBytes = classFileBytes(facade.simpleName());
    if (classFileBytes > MAX_FILE_NAME_BYTES) {
      Message.V10_NAME_TOO_LONG.report(
          messager,
          iface,
          "facade",
          facade.simpleName(),
          facade.simpleName() + ".class",
          classFileBytes,
          MAX_FILE_NAME_BYTES,
          "the name of " + iface.getQualifiedName() + " or of a type it is nested in");
      return Optional.empty();
    }
    List<Selected> selected = concurrentMethods(iface);
    Map<ExecutableElement, Selected> selection = new HashMap<>();
    List<ConcurrentMethod> candidates = new ArrayList<>();
    for (Selected s : selected) {
      selection.put(s.method(), s);
      methodChecks.check(iface, facade, s.method(), reporter).ifPresent(candidates::add);
    }
    FacadeMemberNames memberNames = new FacadeMemberNames(types, iface, candidates, reporter);
    MethodOptions options = new MethodOptions(elements, reporter);
    Set<String> reserved = new LinkedHashSet<>();
    iface.getTypeParameters().forEach(t -> reserved.add(t.getSimpleName().toString()));
    reserved.addAll(shadowedJavaLangNames(elements.getPackageOf(iface)));
    List<MethodModel> methods = new ArrayList<>();
    for (ConcurrentMethod c : candidates) {
      FacadeMemberNames.Names names = memberNames.name(c);
      if (names == null || !recordNameFits(facade, c, names, reporter)) {
        continue;
      }
      Selected s = selection.get(c.method());
      MethodOptions.Values values = options.of(s.optionsFrom());
      if (values == null) {
        continue;
      }
      methods.add(methodModel(iface, c, names, values, reserved, s.sameMethod()));
    }
    if (reporter.errorReported()) {
      return Optional.empty();
    }
    if (methods.isEmpty() && !MethodChecks.suppressed(iface, Message.EMPTY_FACADE_KEY)) {
      Message.W2_EMPTY_FACADE.report(
          messager, iface, iface.getQualifiedName(), facade.simpleName());
    }
    return Optional.of(facadeModel(iface, facade, methods, reserved));
  }

  /** The length in bytes of the name of the class file of a class of this binary simple name. */
  private static int classFileBytes(String binarySimpleName) {
    return (binarySimpleName + ".class").getBytes(StandardCharsets.UTF_8).length;
  }

  /** Whether the gather arguments record of {@code c} has a class file name that fits (V10). */
  private boolean recordNameFits(
      ClassName facade, ConcurrentMethod c, FacadeMemberNames.Names names, InterfaceReporter r) {
    if (names.recordName() == null) {
      return true;
    }
    String binaryName = facade.simpleName() + "$" + names.recordName();
    int bytes = classFileBytes(binaryName);
    if (bytes <= MAX_FILE_NAME_BYTES) {
      return true;
    }
    r.onMethod(
        Message.V10_NAME_TOO_LONG,
        c.method(),
        "gather arguments record",
        facade.simpleName() + "." + names.recordName(),
        binaryName + ".class",
        bytes,
        MAX_FILE_NAME_BYTES,
        "the name of the method "
            + c.method().getSimpleName()
            + " (by "
            + (bytes - MAX_FILE_NAME_BYTES)
            + " characters or more) or of the interface");
    return false;
  }

  /**
   * A method the facade starts: the declaration picked for it, where its options come from, and
   * every declaration of it the interface inherits (the same method of several super-interfaces).
   *
   * @param method the declaration the facade calls and links to
   * @param optionsFrom the method's own {@code @Concurrent} annotation's element, or the annotated
   *     interface whose options apply to it
   * @param sameMethod every declaration of the method the interface has as a member
   */
  private record Selected(
      ExecutableElement method, Element optionsFrom, List<ExecutableElement> sameMethod) {}

  /**
   * The {@code @Concurrent} methods of {@code iface}, its own and the inherited ones: those
   * annotated, and every abstract one (inherited ones too) when the interface or a super-interface
   * that has the method is annotated. The same method inherited from several super-interfaces (a
   * diamond, or {@code G<String>.get(T)} beside {@code H.get(String)}) is one method.
   */
  private List<Selected> concurrentMethods(TypeElement iface) {
    DeclaredType site = (DeclaredType) iface.asType();
    List<TypeElement> hierarchy = interfacesInOrder(iface);
    List<List<ExecutableElement>> groups = new ArrayList<>();
    // Only methods of the same name can be one method: the groups of each name, with the type of
    // their first method, keep the grouping linear in the number of methods.
    Map<String, List<Map.Entry<ExecutableType, List<ExecutableElement>>>> byName = new HashMap<>();
    for (ExecutableElement method : memberMethodsInOrder(iface, hierarchy)) {
      ExecutableType type = (ExecutableType) types.asMemberOf(site, method);
      List<Map.Entry<ExecutableType, List<ExecutableElement>>> named =
          byName.computeIfAbsent(method.getSimpleName().toString(), n -> new ArrayList<>());
      List<ExecutableElement> same = null;
      for (Map.Entry<ExecutableType, List<ExecutableElement>> g : named) {
        if (types.isSubsignature(type, g.getKey()) && types.isSubsignature(g.getKey(), type)) {
          same = g.getValue();
          break;
        }
      }
      if (same == null) {
        List<ExecutableElement> group = new ArrayList<>(List.of(method));
        groups.add(group);
        named.add(Map.entry(type, group));
      } else {
        same.add(method);
      }
    }
    List<Selected> methods = new ArrayList<>();
    for (List<ExecutableElement> group : groups) {
      ExecutableElement explicit = null;
      for (ExecutableElement m : group) {
        if (annotation(m) != null) {
          explicit = m;
          break;
        }
      }
      ExecutableElement chosen = mostSpecific(site, group, explicit);
      if (explicit != null) {
        methods.add(new Selected(chosen, explicit, group));
        continue;
      }
      // A redeclared method of Object (toString(), equals(Object)...) is part of every
      // implementation, not a call to start: only an explicit annotation picks it (and gets V7).
      if (!chosen.getModifiers().contains(Modifier.ABSTRACT) || redeclaresObjectMethod(chosen)) {
        continue;
      }
      TypeElement annotated = annotatedInterfaceHaving(hierarchy, group);
      if (annotated != null) {
        methods.add(new Selected(chosen, annotated, group));
      }
    }
    return methods;
  }

  /**
   * The declaration of a method inherited several times whose return type is the most specific, the
   * one a call on the interface has; {@code preferred} among equals.
   */
  private ExecutableElement mostSpecific(
      DeclaredType site, List<ExecutableElement> group, ExecutableElement preferred) {
    ExecutableElement best = null;
    for (ExecutableElement candidate : group) {
      TypeMirror r = ((ExecutableType) types.asMemberOf(site, candidate)).getReturnType();
      boolean specific = true;
      for (ExecutableElement other : group) {
        TypeMirror o = ((ExecutableType) types.asMemberOf(site, other)).getReturnType();
        if (r.getKind() != TypeKind.VOID && !types.isSubtype(r, o)) {
          specific = false;
          break;
        }
      }
      if (specific && (best == null || candidate.equals(preferred))) {
        best = candidate;
      }
    }
    return best == null ? (preferred != null ? preferred : group.get(0)) : best;
  }

  /**
   * The annotated interface whose {@code @Concurrent} makes one of {@code declarations} concurrent,
   * or null: the interface that declares it, if annotated, so that its options apply; else the
   * nearest annotated interface (the interface itself first) that has it as a member.
   */
  private TypeElement annotatedInterfaceHaving(
      List<TypeElement> hierarchy, List<ExecutableElement> declarations) {
    for (ExecutableElement m : declarations) {
      TypeElement owner = (TypeElement) m.getEnclosingElement();
      if (annotation(owner) != null) {
        return owner;
      }
    }
    for (TypeElement t : hierarchy) {
      if (annotation(t) == null) {
        continue;
      }
      for (ExecutableElement m : declarations) {
        TypeMirror owner = types.erasure(m.getEnclosingElement().asType());
        if (types.isSubtype(types.erasure(t.asType()), owner)) {
          return t;
        }
      }
    }
    return null;
  }

  private boolean redeclaresObjectMethod(ExecutableElement method) {
    List<String> erased = new ArrayList<>();
    for (VariableElement p : method.getParameters()) {
      erased.add(types.erasure(p.asType()).toString());
    }
    return FacadeMemberNames.objectMethod(method.getSimpleName().toString(), erased) != null;
  }

  /** The interface and every interface it extends, nearest first, each once. */
  private List<TypeElement> interfacesInOrder(TypeElement iface) {
    List<TypeElement> ordered = new ArrayList<>();
    Set<TypeElement> seen = new HashSet<>();
    ArrayDeque<TypeElement> queue = new ArrayDeque<>();
    queue.add(iface);
    while (!queue.isEmpty()) {
      TypeElement t = queue.poll();
      if (!seen.add(t) || t.getKind() != ElementKind.INTERFACE) {
        continue;
      }
      ordered.add(t);
      for (TypeMirror s : t.getInterfaces()) {
        queue.add((TypeElement) types.asElement(s));
      }
    }
    return ordered;
  }

  /** The interface's methods and the inherited ones, source order, nearest declarations first. */
  private List<ExecutableElement> memberMethodsInOrder(
      TypeElement iface, List<TypeElement> hierarchy) {
    Set<Element> members = new HashSet<>(elements.getAllMembers(iface));
    List<ExecutableElement> ordered = new ArrayList<>();
    for (TypeElement t : hierarchy) {
      for (Element e : t.getEnclosedElements()) {
        if (e.getKind() == ElementKind.METHOD && members.contains(e)) {
          ordered.add((ExecutableElement) e);
        }
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
      TypeElement iface,
      ConcurrentMethod c,
      FacadeMemberNames.Names names,
      MethodOptions.Values options,
      Set<String> reserved,
      List<ExecutableElement> sameMethod) {
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
        options.maxAtOnce(),
        warnings.of(c.method()),
        List.copyOf(warnings.methodKeys(c.method(), c.type(), sameMethod)),
        callThrough(iface, c.method(), sameMethod));
  }

  /**
   * The super-interface of {@code iface} to call {@code method} through, or null: only for a method
   * inherited along several paths whose declarations erase differently, which javac finds ambiguous
   * when called on {@code iface}.
   */
  private TypeName callThrough(
      TypeElement iface, ExecutableElement method, List<ExecutableElement> sameMethod) {
    Set<List<String>> erasures = new HashSet<>();
    for (ExecutableElement m : sameMethod) {
      List<String> erased = new ArrayList<>();
      m.getParameters().forEach(p -> erased.add(types.erasure(p.asType()).toString()));
      erasures.add(erased);
    }
    if (erasures.size() < 2) {
      return null;
    }
    TypeMirror owner = superTypeOf(iface.asType(), (TypeElement) method.getEnclosingElement());
    return owner == null ? null : TypeName.get(owner);
  }

  /** The super-type of {@code type} whose element is {@code target}, as {@code type} sees it. */
  private TypeMirror superTypeOf(TypeMirror type, TypeElement target) {
    if (target.equals(types.asElement(type))) {
      return type;
    }
    for (TypeMirror s : types.directSupertypes(type)) {
      TypeMirror found = superTypeOf(s, target);
      if (found != null) {
        return found;
      }
    }
    return null;
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
        reserved,
        warnings.ofType(iface),
        List.copyOf(warnings.interfaceKeys(iface)));
  }

  private CodeBlock link(ExecutableElement method) {
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    // One piece of text after the type: the facade repeats the link in several members' javadoc.
    StringBuilder member = new StringBuilder("#").append(method.getSimpleName()).append('(');
    List<? extends VariableElement> params = method.getParameters();
    for (int i = 0; i < params.size(); i++) {
      TypeMirror erased = types.erasure(params.get(i).asType());
      member
          .append(i == 0 ? "" : ", ")
          .append(javadocTypeName(erased, method.isVarArgs() && i == params.size() - 1));
    }
    return CodeBlock.of("{@link $T$L", ClassName.get(owner), member.append(")}").toString());
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
