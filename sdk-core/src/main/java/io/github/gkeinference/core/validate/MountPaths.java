package io.github.gkeinference.core.validate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one rule for container mount paths: absolute, normal, not a system folder and not used twice
 * in one container.
 *
 * <ul>
 *   <li>A mount path is absolute and has no {@code ':'} (the API server refuses it) and no {@code
 *       ..} element.
 *   <li>A mount over {@code /} or a system folder ({@code /etc}, {@code /bin}, {@code /sbin},
 *       {@code /usr}, {@code /lib}, {@code /lib64}, {@code /boot}, {@code /root}, {@code /var},
 *       {@code /proc}, {@code /sys}, {@code /dev}) hides the image's own files, and anything under
 *       {@code /proc} or {@code /sys} is the kernel's: all are refused.
 *   <li>A path the user chooses for the SDK to mount ({@link #checkChosen}) must also stay out of
 *       {@code /dev}: the SDK mounts its shared-memory volume at {@code /dev/shm}, and a second
 *       mount there is refused by the API server.
 *   <li>Two mounts at one path in one container are refused by the API server ({@code mountPath:
 *       must be unique}, Kubernetes {@code pkg/apis/core/validation/validation.go},
 *       ValidateVolumeMounts); {@link #checkContainer} reports them before applying.
 * </ul>
 */
public final class MountPaths {
  /** Folders a volume must not hide: the image's system folders and the kernel's. */
  public static final Set<String> RESERVED =
      Set.of(
          "/", "/etc", "/bin", "/sbin", "/usr", "/lib", "/lib64", "/boot", "/root", "/var", "/proc",
          "/sys", "/dev");

  private static final List<String> KERNEL_PREFIXES = List.of("/proc/", "/sys/");

  private MountPaths() {}

  /** Returns the path without one trailing {@code /}: {@code /etc/} is {@code /etc}. */
  private static String normal(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * Adds an error at {@code field} when {@code path} cannot be a mount path of any container.
   *
   * @param violations where to add it
   * @param field the field, relative to {@code violations}
   * @param path the mount path
   * @return whether the path is usable
   */
  public static boolean check(Violations violations, String field, String path) {
    String normal = normal(path);
    if (!normal.startsWith("/")
        || normal.contains(":")
        || List.of(normal.split("/")).contains("..")
        || normal.contains("//")) {
      violations.error(field, path, "must be an absolute path without ':', '//' or '..'");
      return false;
    }
    if (RESERVED.contains(normal) || KERNEL_PREFIXES.stream().anyMatch(normal::startsWith)) {
      violations.error(
          field,
          path,
          "would hide a system folder of the image or the kernel; mount under another folder, such"
              + " as /data or /models");
      return false;
    }
    return true;
  }

  /**
   * Adds an error at {@code field} when {@code path}, chosen by the user for a volume the SDK
   * renders, is not usable: the rules of {@link #check}, and nothing under {@code /dev}.
   *
   * @param violations where to add it
   * @param field the field, relative to {@code violations}
   * @param path the mount path
   */
  public static void checkChosen(Violations violations, String field, String path) {
    if (check(violations, field, path) && path.startsWith("/dev/")) {
      violations.error(
          field,
          path,
          "is under /dev, where the SDK mounts its own shared memory (/dev/shm); choose another"
              + " folder, such as /data or /models");
    }
  }

  /**
   * Adds errors for the mount paths of one container: each must pass {@link #check}, and no path
   * may appear twice. Errors are at {@code volumeMounts[i].mountPath}.
   *
   * @param violations where to add them, the container's own
   * @param mountPaths the container's mount paths, in order
   */
  public static void checkContainer(Violations violations, List<String> mountPaths) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < mountPaths.size(); i++) {
      String path = mountPaths.get(i);
      Violations at = violations.at("volumeMounts", i);
      if (!check(at, "mountPath", path)) {
        continue;
      }
      String normal = normal(path);
      Integer earlier = first.putIfAbsent(normal, i);
      if (earlier != null) {
        at.error(
            "mountPath",
            path,
            "is already mounted by volumeMounts["
                + earlier
                + "]; the API server refuses a path mounted twice in one container");
      }
    }
  }
}
