package io.github.loomresult.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one interface against the rules (V2-V8, W1) and builds its {@link FacadeModel}. Every
 * problem is reported on the element it concerns; an interface with an error gets no model.
 */
final class FacadeValidator {
  static final String CONCURRENT = "io.github.loomresult.annotations.Concurrent";
  private static final String GENERATED = "javax.annotation.processing.Generated";
  private static final List<String> ASYNC_TYPES =
      List.of(
          "java.util.concurrent.Future",
          "java.util.concurrent.CompletionStage",
          "io.github.loomresult.ResultBase");

  /** Names a record component cannot have: they would clash with the members of Object. */
  private static final Set<String> RECORD_RESERVED =
      Set.of(
          "clone",
          "equals",
          "finalize",
          "getClass",
          "hashCode",
          "notify",
          "notifyAll",
          "toString",
          "wait");

  private final Elements elements;
  private final Types types;
  private final Messager messager;

  FacadeValidator(ProcessingEnvironment env) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.messager = env.getMessager();
  }

  /** The facade's class name: {@code Concurrent} + the flat name, in the interface's package. */
  ClassName facadeName(TypeElement iface) {
    List<String> names = new ArrayList<>();
    for (Element e = iface; e instanceof TypeElement; e = e.getEnclosingElement()) {
      names.add(0, e.getSimpleName().toString());
    }
    PackageElement pkg = elements.getPackageOf(iface);
    return ClassName.get(pkg.getQualifiedName().toString(), "Concurrent" + String.join("_", names));
  }

  Optional<FacadeModel> validate(TypeElement iface) {
    String inaccessible = inaccessibility(iface);
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
    String pkg = facade.packageName();

    boolean ok = true;
    List<Candidate> candidates = new ArrayList<>();
    for (ExecutableElement method : memberMethodsInOrder(iface)) {
      boolean explicit = annotation(method) != null;
      TypeElement owner = (TypeElement) method.getEnclosingElement();
      boolean byType =
          annotation(owner) != null && method.getModifiers().contains(Modifier.ABSTRACT);
      if (!explicit && !byType) {
        continue;
      }
      Set<Modifier> mods = method.getModifiers();
      if (mods.contains(Modifier.STATIC) || mods.contains(Modifier.PRIVATE)) {
        if (explicit) {
          report(
              Message.V2_STATIC_OR_PRIVATE,
              iface,
              method,
              describe(method),
              mods.contains(Modifier.STATIC) ? "static" : "private");
          ok = false;
        }
        continue;
      }
      ExecutableType type =
          (ExecutableType) types.asMemberOf((DeclaredType) iface.asType(), method);
      for (TypeMirror thrown : type.getThrownTypes()) {
        if (!isSubtype(thrown, "java.lang.Exception") && !isSubtype(thrown, "java.lang.Error")) {
          report(Message.V4_THROWS_NON_EXCEPTION, iface, method, describe(method), thrown);
          ok = false;
        }
      }
      List<TypeMirror> used = new ArrayList<>(type.getParameterTypes());
      used.add(0, type.getReturnType());
      for (TypeMirror t : used) {
        String problem = unusable(t, pkg);
        if (problem != null) {
          report(
              Message.V5_UNUSABLE_TYPE,
              iface,
              method,
              describe(method),
              t,
              facade.simpleName(),
              problem);
          ok = false;
        }
      }
      TypeMirror returnType = type.getReturnType();
      String async = asyncType(returnType);
      if (async != null && !suppressed(method)) {
        report(
            Message.W1_ALREADY_ASYNC,
            iface,
            method,
            describe(method),
            returnType,
            "ResultCapture<" + returnType + ">");
      }
      candidates.add(new Candidate(method, type));
    }
    // Even with an error above, go on: the name clashes and options below are reported in the
    // same compilation (all errors in one go); the model is dropped at the end.

    // Gather names: overloads get a suffix from their parameter types, so that ordinary
    // overloads such as find(int), find(long), find(String) each get a gather method.
    Map<String, Integer> overloads = new HashMap<>();
    for (Candidate c : candidates) {
      if (!c.method.getParameters().isEmpty()) {
        overloads.merge(c.method.getSimpleName().toString(), 1, Integer::sum);
      }
    }
    Set<String> reserved = new LinkedHashSet<>();
    iface.getTypeParameters().forEach(t -> reserved.add(t.getSimpleName().toString()));
    Map<String, Candidate> gatherOwners = new HashMap<>();
    Map<String, List<List<String>>> facadeSignatures = new HashMap<>();
    for (Candidate c : candidates) {
      facadeSignatures
          .computeIfAbsent(c.method.getSimpleName().toString(), k -> new ArrayList<>())
          .add(erasedNames(c.type.getParameterTypes()));
    }

    List<MethodModel> methods = new ArrayList<>();
    Set<Element> badOptions = new HashSet<>();
    for (Candidate c : candidates) {
      String name = c.method.getSimpleName().toString();
      List<? extends VariableElement> params = c.method.getParameters();
      String gatherName = null;
      String recordName = null;
      if (!params.isEmpty()) {
        String suffix =
            overloads.get(name) > 1 ? "By" + typeSuffix(c.type.getParameterTypes()) : "";
        gatherName = name + "All" + suffix;
        if (params.size() > 1) {
          recordName = capitalize(name) + suffix + "Args";
        }
        Candidate earlier = gatherOwners.putIfAbsent(gatherName, c);
        if (earlier != null) {
          report(
              Message.V8_OVERLOAD_CLASH,
              iface,
              c.method,
              gatherName,
              describe(c.method),
              describe(earlier.method));
          ok = false;
          continue;
        }
        String clash = facadeClash(facadeSignatures, gatherName);
        if (clash != null) {
          report(
              Message.V7_MEMBER_CLASH,
              iface,
              c.method,
              gatherName + "(Collection)",
              describe(c.method),
              clash);
          ok = false;
          continue;
        }
      }
      if (name.equals("of")
          && erasedNames(c.type.getParameterTypes())
              .equals(
                  List.of(
                      "io.github.loomresult.Nursery", types.erasure(iface.asType()).toString()))) {
        report(
            Message.V7_MEMBER_CLASH,
            iface,
            c.method,
            "of(Nursery, " + iface.getSimpleName() + ")",
            describe(c.method),
            "the static factory of the facade");
        ok = false;
        continue;
      }
      List<ParameterModel> parameterModels = new ArrayList<>();
      Set<String> componentNames = new HashSet<>();
      for (int i = 0; i < params.size(); i++) {
        String paramName = params.get(i).getSimpleName().toString();
        reserved.add(paramName);
        String component = RECORD_RESERVED.contains(paramName) ? paramName + "Arg" : paramName;
        while (!componentNames.add(component)) {
          component = component + "_";
        }
        parameterModels.add(
            new ParameterModel(
                paramName, AnnotatedTypeNames.of(c.type.getParameterTypes().get(i)), component));
      }
      List<TypeVariableName> typeVariables = new ArrayList<>();
      for (TypeMirror tv : c.type.getTypeVariables()) {
        TypeVariableName tvn = AnnotatedTypeNames.typeVariable((TypeVariable) tv);
        typeVariables.add(tvn);
        reserved.add(tvn.name());
      }
      TypeMirror returnType = c.type.getReturnType();
      boolean returnsVoid = returnType.getKind() == TypeKind.VOID;
      TypeName valueType =
          returnsVoid
              ? ClassName.get("java.lang", "Void")
              : AnnotatedTypeNames.of(returnType).box();
      Element optionsOwner = c.method;
      AnnotationMirror options = annotation(c.method);
      if (options == null) {
        optionsOwner = c.method.getEnclosingElement();
        options = annotation(optionsOwner);
      }
      int maxAtOnce = intOption(options, "maxAtOnce");
      if (maxAtOnce < 0) {
        // On the value itself, once per annotation: an interface-wide option is not repeated on
        // each of its methods.
        if (badOptions.add(optionsOwner)) {
          reportOption(
              Message.P6_BAD_OPTION,
              iface,
              optionsOwner,
              options,
              "maxAtOnce",
              "maxAtOnce",
              maxAtOnce,
              optionsOwner instanceof ExecutableElement m
                  ? describe(m)
                  : ((TypeElement) optionsOwner).getQualifiedName(),
              "0 (no limit) or more");
        }
        ok = false;
        continue;
      }
      methods.add(
          new MethodModel(
              name,
              typeVariables,
              parameterModels,
              c.method.isVarArgs(),
              valueType,
              returnsVoid,
              link(c.method),
              booleanOption(options, "suppressException"),
              gatherName,
              recordName,
              maxAtOnce));
    }
    if (!ok) {
      return Optional.empty();
    }

    List<TypeVariableName> classTypeVariables =
        iface.getTypeParameters().stream()
            .map(t -> AnnotatedTypeNames.typeVariable((TypeVariable) t.asType()))
            .collect(Collectors.toList());
    ClassName ifaceName = ClassName.get(iface);
    TypeName ifaceType =
        classTypeVariables.isEmpty()
            ? ifaceName
            : ParameterizedTypeName.get(ifaceName, classTypeVariables.toArray(TypeName[]::new));
    return Optional.of(
        new FacadeModel(
            facade,
            isEffectivelyPublic(iface),
            ifaceType,
            ifaceName,
            classTypeVariables,
            methods,
            generatedAvailable(iface),
            reserved));
  }

  private record Candidate(ExecutableElement method, ExecutableType type) {}

  // ---- checks ---------------------------------------------------------------------------------

  /** Why the facade could not use {@code iface}, or null if it can. */
  private static String inaccessibility(TypeElement iface) {
    for (Element e = iface; !(e instanceof PackageElement); e = e.getEnclosingElement()) {
      if (!(e instanceof TypeElement)) {
        return "declared inside a method";
      }
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return e == iface ? "private" : "nested in the private type " + e.getSimpleName();
      }
    }
    return null;
  }

  /** Why the facade could not name {@code type}, or null if it can. */
  private String unusable(TypeMirror type, String facadePackage) {
    switch (type.getKind()) {
      case DECLARED -> {
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        for (Element e = element; e instanceof TypeElement; e = e.getEnclosingElement()) {
          Set<Modifier> mods = e.getModifiers();
          if (mods.contains(Modifier.PRIVATE)) {
            return e.getSimpleName() + " is private";
          }
          boolean samePackage =
              elements.getPackageOf(e).getQualifiedName().contentEquals(facadePackage);
          if (!mods.contains(Modifier.PUBLIC) && !samePackage) {
            return e.getSimpleName() + " is not visible from package " + facadePackage;
          }
        }
        for (TypeMirror argument : ((DeclaredType) type).getTypeArguments()) {
          String problem = unusable(argument, facadePackage);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      }
      case ARRAY -> {
        return unusable(((ArrayType) type).getComponentType(), facadePackage);
      }
      case WILDCARD -> {
        WildcardType w = (WildcardType) type;
        TypeMirror bound = w.getExtendsBound() != null ? w.getExtendsBound() : w.getSuperBound();
        return bound == null ? null : unusable(bound, facadePackage);
      }
      case INTERSECTION, UNION -> {
        return "it is an intersection or union type";
      }
      default -> {
        return null;
      }
    }
  }

  private String asyncType(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    for (String name : ASYNC_TYPES) {
      if (isSubtype(type, name)) {
        return name;
      }
    }
    return null;
  }

  private boolean isSubtype(TypeMirror type, String superName) {
    TypeElement superType = elements.getTypeElement(superName);
    return superType != null
        && types.isSubtype(types.erasure(type), types.erasure(superType.asType()));
  }

  private static boolean suppressed(Element element) {
    for (Element e = element; e != null; e = e.getEnclosingElement()) {
      SuppressWarnings s = e.getAnnotation(SuppressWarnings.class);
      if (s != null) {
        for (String key : s.value()) {
          if (key.equals(Message.ASYNC_RETURN_KEY) || key.equals("all")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String facadeClash(
      Map<String, List<List<String>>> facadeSignatures, String gatherName) {
    List<List<String>> signatures = facadeSignatures.get(gatherName);
    if (signatures == null) {
      return null;
    }
    for (List<String> s : signatures) {
      if (s.equals(List.of("java.util.Collection"))
          || s.equals(List.of("java.util.Collection", "int"))) {
        return "the @Concurrent method " + gatherName + "(" + String.join(", ", s) + ")";
      }
    }
    return null;
  }

  // ---- model helpers ------------------------------------------------------------------------

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

  private List<String> erasedNames(List<? extends TypeMirror> parameterTypes) {
    List<String> names = new ArrayList<>();
    for (TypeMirror t : parameterTypes) {
      names.add(types.erasure(t).toString());
    }
    return names;
  }

  private String typeSuffix(List<? extends TypeMirror> parameterTypes) {
    List<String> parts = new ArrayList<>();
    for (TypeMirror t : parameterTypes) {
      parts.add(simpleName(types.erasure(t)));
    }
    return String.join("And", parts);
  }

  private String simpleName(TypeMirror erased) {
    return switch (erased.getKind()) {
      case ARRAY -> simpleName(((ArrayType) erased).getComponentType()) + "Array";
      case DECLARED -> ((DeclaredType) erased).asElement().getSimpleName().toString();
      default -> capitalize(erased.toString());
    };
  }

  private static String capitalize(String s) {
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
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

  private static String describe(ExecutableElement method) {
    return method.getEnclosingElement().getSimpleName()
        + "."
        + method.getSimpleName()
        + method.getParameters().stream()
            .map(p -> p.asType().toString())
            .collect(Collectors.joining(", ", "(", ")"));
  }

  private void report(
      Message message, TypeElement iface, ExecutableElement method, Object... args) {
    // Inherited methods may come from compiled classes without a source position: then the
    // message goes on the interface being processed, and names the method.
    Element target = method.getEnclosingElement().equals(iface) ? method : iface;
    message.report(messager, target, args);
  }

  /**
   * Reports on the value of an option of {@code annotation} on {@code owner}, or on the interface
   * (naming the element) when the annotation is inherited from elsewhere, as in {@link #report}.
   */
  private void reportOption(
      Message message,
      TypeElement iface,
      Element owner,
      AnnotationMirror annotation,
      String option,
      Object... args) {
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

  private boolean isEffectivelyPublic(TypeElement iface) {
    for (Element e = iface; e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (!e.getModifiers().contains(Modifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  private boolean generatedAvailable(TypeElement iface) {
    ModuleElement module = elements.getModuleOf(iface);
    TypeElement generated =
        module == null
            ? elements.getTypeElement(GENERATED)
            : elements.getTypeElement(module, GENERATED);
    return generated != null;
  }

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
