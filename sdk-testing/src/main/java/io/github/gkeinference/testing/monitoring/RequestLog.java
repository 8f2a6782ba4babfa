package io.github.gkeinference.testing.monitoring;

import java.util.ArrayList;
import java.util.List;

/** The methods the fakes were called with, in order, so that tests can check what a run did. */
public final class RequestLog {
  private final List<String> methods = new ArrayList<>();

  RequestLog() {}

  synchronized void record(String method) {
    methods.add(method);
  }

  /** Returns every method called so far, for example {@code CreateAlertPolicy}. */
  public synchronized List<String> methods() {
    return List.copyOf(methods);
  }

  /** Returns how many calls of this method were made. */
  public synchronized long count(String method) {
    return methods.stream().filter(method::equals).count();
  }

  /** Returns the calls that change something: every method but Get and List ones. */
  public synchronized List<String> writes() {
    return methods.stream().filter(m -> !m.startsWith("Get") && !m.startsWith("List")).toList();
  }

  /** Forgets the calls made so far. */
  public synchronized void clear() {
    methods.clear();
  }
}
