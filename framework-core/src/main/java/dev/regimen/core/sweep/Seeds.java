package dev.regimen.core.sweep;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The seeds of a sweep, from {@code --seeds}: integers separated by commas, each a seed ({@code 7}) or
 * an ascending range with both ends included ({@code 1..5}), e.g. {@code 1,2,3}, {@code 1..5},
 * {@code 1..3,10}.
 */
public final class Seeds {
  /** More seeds than this is a typo ({@code 1..10000000}), not an experiment. */
  static final int MAX = 10_000;

  private Seeds() {}

  /**
   * Parses a {@code --seeds} value.
   *
   * @throws IllegalArgumentException naming the bad part: not an integer, a range that goes down, a seed
   *     listed twice, nothing at all, more than {@value #MAX}
   */
  public static List<Long> parse(String text) {
    String example = " (seeds such as 1,2,3 or 1..5)";
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("--seeds lists no seeds" + example);
    }
    Set<Long> seeds = new LinkedHashSet<>();
    for (String raw : text.split(",", -1)) {
      String part = raw.strip();
      if (part.isEmpty()) {
        throw new IllegalArgumentException("--seeds " + text + " has an empty entry" + example);
      }
      int dots = part.indexOf("..");
      long from;
      long to;
      if (dots >= 0) {
        from = integer(part.substring(0, dots), part, text);
        to = integer(part.substring(dots + 2), part, text);
        if (to < from) {
          throw new IllegalArgumentException("--seeds " + text + ": the range " + part + " goes down; a range goes up, "
              + "e.g. " + to + ".." + from);
        }
      } else {
        from = integer(part, part, text);
        to = from;
      }
      if (to - from >= MAX || seeds.size() + (to - from + 1) > MAX) {
        throw new IllegalArgumentException("--seeds " + text + " gives more than " + MAX + " seeds");
      }
      for (long s = from; s <= to; s++) {
        if (!seeds.add(s)) {
          throw new IllegalArgumentException("--seeds " + text + " lists seed " + s + " twice");
        }
        if (s == Long.MAX_VALUE) {
          break;
        }
      }
    }
    return new ArrayList<>(seeds);
  }

  private static long integer(String text, String part, String all) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seeds " + all + ": '" + (text.isBlank() ? part : text.strip())
          + "' is not an integer (seeds such as 1,2,3 or 1..5)");
    }
  }
}
