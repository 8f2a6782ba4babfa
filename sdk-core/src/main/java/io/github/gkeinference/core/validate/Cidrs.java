package io.github.gkeinference.core.validate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for IPv4 CIDR ranges the SDK renders (a proxy-only subnet a NetworkPolicy admits, a
 * control plane's private range): well formed, no host bits set, and not too wide.
 *
 * <ul>
 *   <li>Syntax: four decimal octets 0-255 and a prefix length 0-32, such as {@code 10.129.0.0/23}.
 *   <li>The address is the range's first address: {@code 10.129.0.1/23} names no range (the API
 *       server and GCP refuse it); the message names the range that was probably meant.
 *   <li>A prefix shorter than {@link #WIDEST_PREFIX} ({@code 0.0.0.0/0} is the whole internet) is
 *       refused unless the caller passes the explicit override for the rare real need (a range it
 *       cannot know more precisely); a subnet of one region is far narrower (Google recommends a
 *       /23 proxy-only subnet: https://cloud.google.com/load-balancing/docs/proxy-only-subnets).
 * </ul>
 */
public final class Cidrs {
  /** The widest prefix accepted without the override: /8, 16,777,216 addresses. */
  public static final int WIDEST_PREFIX = 8;

  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

  private Cidrs() {}

  /**
   * Adds an error at {@code field} when {@code cidr} is not a well-formed IPv4 range, has host bits
   * set, or (without {@code wideAllowed}) is wider than {@link #WIDEST_PREFIX}.
   *
   * @param violations where to add it
   * @param field the field, relative to {@code violations}
   * @param cidr the range
   * @param wideAllowed the explicit override that accepts a range wider than /8
   * @return whether the range is accepted
   */
  public static boolean check(
      Violations violations, String field, String cidr, boolean wideAllowed) {
    Matcher m = IPV4.matcher(cidr);
    long address = 0;
    boolean ok = m.matches();
    for (int i = 1; ok && i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      ok = octet <= 255 && (m.group(i).length() == 1 || m.group(i).charAt(0) != '0');
      address = (address << 8) | octet;
    }
    int prefix = ok ? Integer.parseInt(m.group(5)) : -1;
    if (!ok || prefix > 32) {
      violations.error(field, cidr, "must be an IPv4 CIDR range such as 10.129.0.0/23");
      return false;
    }
    long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    if ((address & ~mask & 0xFFFFFFFFL) != 0) {
      violations.error(
          field,
          cidr,
          "has host bits set; the range starting there is "
              + format(address & mask)
              + "/"
              + prefix);
      return false;
    }
    if (prefix < WIDEST_PREFIX && !wideAllowed) {
      violations.error(
          field,
          cidr,
          "is wider than /"
              + WIDEST_PREFIX
              + (prefix == 0 ? " (it is every IPv4 address, the whole internet)" : "")
              + "; name the subnet itself, or set the explicit override for a wider range");
      return false;
    }
    return true;
  }

  private static String format(long address) {
    return (address >> 24 & 255)
        + "."
        + (address >> 16 & 255)
        + "."
        + (address >> 8 & 255)
        + "."
        + (address & 255);
  }
}
