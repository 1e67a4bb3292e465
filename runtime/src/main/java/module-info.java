/**
 * loomresult: Trio-style structured concurrency with result capture on virtual threads.
 *
 * <p>See {@link io.github.loomresult} for the design and an example.
 */
module io.github.loomresult {
  requires static transitive org.jspecify;

  exports io.github.loomresult;

  uses io.github.loomresult.ThreadContext;
}
