package io.github.gkeinference.observability.loadtest;

import java.util.Random;

/**
 * Synthetic prompts of a controlled length: words drawn from a small vocabulary of short, common
 * English words, each of which most LLM tokenizers encode as about one token. The first {@code
 * sharedPrefix} words are the same in every prompt, the rest are drawn from a seeded generator.
 */
final class SyntheticPrompts {
  private static final String[] WORDS = {
    "the",
    "time",
    "people",
    "way",
    "day",
    "man",
    "thing",
    "woman",
    "life",
    "child",
    "world",
    "school",
    "state",
    "family",
    "student",
    "group",
    "country",
    "problem",
    "hand",
    "part",
    "place",
    "case",
    "week",
    "company",
    "system",
    "program",
    "question",
    "work",
    "number",
    "night",
    "point",
    "home",
    "water",
    "room",
    "mother",
    "area",
    "money",
    "story",
    "fact",
    "month",
    "lot",
    "right",
    "study",
    "book",
    "eye",
    "job",
    "word",
    "business",
    "issue",
    "side"
  };

  private final Random random;
  private final String prefix;
  private final int suffixWords;

  SyntheticPrompts(long seed, int words, int sharedPrefix) {
    this.random = new Random(seed);
    Random prefixRandom = new Random(seed ^ 0x5DEECE66DL);
    this.prefix = words(prefixRandom, sharedPrefix);
    this.suffixWords = words - sharedPrefix;
  }

  /** Returns the next prompt; thread-safe. */
  synchronized String next() {
    String suffix = words(random, suffixWords);
    if (prefix.isEmpty()) {
      return suffix;
    }
    return suffix.isEmpty() ? prefix : prefix + " " + suffix;
  }

  /** Returns the shared prefix. */
  String prefix() {
    return prefix;
  }

  private static String words(Random random, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }
}
