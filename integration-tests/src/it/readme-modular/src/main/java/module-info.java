/** A consumer module, as the README says to declare one. */
module com.example.modular {
  requires io.github.loomresult;
  requires static io.github.loomresult.annotations;

  exports com.example.modular;
}
