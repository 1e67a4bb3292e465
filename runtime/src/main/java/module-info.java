/**
 * loomresult: Trio-style structured concurrency with result capture on virtual threads.
 *
 * <p>See {@link io.github.loomresult} for the design and an example.
 */
module io.github.loomresult {
  // Static and not transitive: the nullness annotations are for compilers and tools; a consumer
  // module needs no JSpecify to compile or run against the runtime.
  requires static org.jspecify;

  exports io.github.loomresult;
}
