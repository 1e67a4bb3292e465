package io.github.loomresult.example;

/**
 * A product of the example shop, as {@link ShopServer} serves it: one line {@code
 * sku;name;priceCents}.
 *
 * <pre>{@code
 * Product p = Product.parse("SKU-7;Teapot;1999");
 * assert p.toLine().equals("SKU-7;Teapot;1999");
 * }</pre>
 *
 * @param sku the stock-keeping unit
 * @param name the display name
 * @param priceCents the price in cents
 */
public record Product(String sku, String name, long priceCents) {
  /** Parses the server's line format. */
  public static Product parse(String line) {
    String[] fields = line.strip().split(";", -1);
    if (fields.length != 3) {
      throw new IllegalArgumentException("not a product line: '" + line + "'");
    }
    return new Product(fields[0], fields[1], Long.parseLong(fields[2]));
  }

  /** The server's line format. */
  public String toLine() {
    return sku + ";" + name + ";" + priceCents;
  }

  /** The product the shop has under {@code sku}: every SKU exists, with a made-up price. */
  public static Product forSku(String sku) {
    return new Product(sku, "Product " + sku, 100 + Math.floorMod(sku.hashCode(), 9900));
  }
}
