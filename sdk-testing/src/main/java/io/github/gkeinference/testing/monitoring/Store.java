package io.github.gkeinference.testing.monitoring;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A named-resource store shared by the fakes: create, get, replace, delete, list in order. */
final class Store<T> {
  private final Map<String, T> items = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong(1000);

  synchronized String nextId() {
    return String.valueOf(ids.incrementAndGet());
  }

  synchronized void put(String name, T item) {
    items.put(name, item);
  }

  synchronized T get(String name) {
    T item = items.get(name);
    if (item == null) {
      throw new StatusRuntimeException(Status.NOT_FOUND.withDescription(name + " not found"));
    }
    return item;
  }

  synchronized boolean contains(String name) {
    return items.containsKey(name);
  }

  synchronized void remove(String name) {
    if (items.remove(name) == null) {
      throw new StatusRuntimeException(Status.NOT_FOUND.withDescription(name + " not found"));
    }
  }

  synchronized List<T> under(String parent) {
    List<T> out = new ArrayList<>();
    items.forEach(
        (name, item) -> {
          if (name.startsWith(parent + "/")) {
            out.add(item);
          }
        });
    return out;
  }

  synchronized Map<String, T> snapshot() {
    return new LinkedHashMap<>(items);
  }

  /** Returns one page of {@code all}: the page token is the start index. */
  static <T> Page<T> page(List<T> all, int pageSize, String pageToken) {
    int start = pageToken.isEmpty() ? 0 : Integer.parseInt(pageToken);
    int size = pageSize <= 0 ? 100 : pageSize;
    int end = Math.min(all.size(), start + size);
    return new Page<>(all.subList(start, end), end < all.size() ? String.valueOf(end) : "");
  }

  record Page<T>(List<T> items, String nextPageToken) {}
}
