package io.github.gkeinference.testing.internal;

import io.grpc.Status;
import java.util.List;

/**
 * One page of a list, as Google list RPCs page: the page token is the index of the first item, and
 * the next token is empty on the last page.
 *
 * @param items the items of the page
 * @param nextToken the token of the next page; empty at the end
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String nextToken) {
  /** Copies the items. */
  public Page {
    items = List.copyOf(items);
  }

  /**
   * Cuts one page out of a list.
   *
   * @param all every item
   * @param size items per page, at least 1
   * @param token the page token; empty for the first page
   * @param <T> the item type
   * @return the page
   * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} for a token this never issued
   */
  public static <T> Page<T> of(List<T> all, int size, String token) {
    int start = 0;
    if (!token.isEmpty()) {
      try {
        start = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        start = -1;
      }
      if (start < 0 || start > all.size()) {
        throw Status.INVALID_ARGUMENT
            .withDescription("invalid page_token '" + token + "'")
            .asRuntimeException();
      }
    }
    int end = Math.min(all.size(), start + size);
    return new Page<>(all.subList(start, end), end < all.size() ? Integer.toString(end) : "");
  }
}
