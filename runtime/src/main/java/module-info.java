/**
 * loomresult: Trio-style structured concurrency with result capture on virtual threads.
 *
 * <p>See {@link io.github.loomresult} for the design and an example. Flight recorder events ({@code
 * jdk.jfr}) and the nursery tree's MBean ({@code java.management}) are used when those modules are
 * present, and skipped when they are not.
 */
module io.github.loomresult {
  // Static and not transitive: the nullness annotations are for compilers and tools; a consumer
  // module needs no JSpecify to compile or run against the runtime.
  requires static org.jspecify;
  requires static jdk.jfr;
  requires static java.management;

  exports io.github.loomresult;

  uses io.github.loomresult.ThreadContext;
}
