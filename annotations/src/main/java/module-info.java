/** The {@code @Concurrent} annotation of loomresult; no dependencies. */
module io.github.loomresult.annotations {
  exports io.github.loomresult.annotations;
}
