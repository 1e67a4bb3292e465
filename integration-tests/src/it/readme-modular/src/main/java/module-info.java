/** A consumer module, declared as the README says. */
module com.example.modular {
  requires io.github.loomresult;
  requires static io.github.loomresult.annotations;
}
