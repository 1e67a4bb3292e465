package io.github.loomresult;

/**
 * Which optional JDK modules the runtime can use: {@code jdk.jfr} and {@code java.management} are
 * {@code requires static}, so a JDK image (or a module graph) without them still runs the library.
 * A class that references one of them is loaded only after the check here said yes.
 */
final class OptionalModules {
  /** Flight recorder events can be emitted. */
  static final boolean JFR = readable("jdk.jfr");

  private OptionalModules() {}

  /** Whether module {@code name} is in this runtime's layer and readable by it. */
  static boolean readable(String name) {
    Module self = OptionalModules.class.getModule();
    ModuleLayer layer = self.getLayer() == null ? ModuleLayer.boot() : self.getLayer();
    return layer.findModule(name).map(self::canRead).orElse(false);
  }
}
