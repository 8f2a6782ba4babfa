package io.github.gkeinference.observability.scrape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** The pod metadata labels Managed Prometheus puts on every scraped series. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TargetLabels {

  private List<String> metadata = new ArrayList<>();

  /** Creates empty target labels. */
  public TargetLabels() {}

  /**
   * Returns target labels with the given metadata keys.
   *
   * @param metadata keys among {@code container}, {@code node}, {@code pod}, {@code
   *     top_level_controller_name}, {@code top_level_controller_type}
   * @return the labels
   */
  public static TargetLabels metadata(List<String> metadata) {
    TargetLabels t = new TargetLabels();
    t.setMetadata(metadata);
    return t;
  }

  /** Returns the metadata keys. */
  public List<String> getMetadata() {
    return metadata;
  }

  /** Sets the metadata keys. */
  public void setMetadata(List<String> metadata) {
    this.metadata = new ArrayList<>(metadata);
  }
}
