import io.github.loomresult.annotations.Concurrent;

/** An interface in the default package. */
public interface DefaultPackageService {
  @Concurrent
  String echo(String text);

  @Concurrent
  int add(int a, int b);
}
