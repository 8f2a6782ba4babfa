package io.github.gkeinference.kvcache.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a deterministic request trace from a seed: single-turn requests that start with one of
 * a few shared system prompts, and multi-turn chats whose every turn repeats the whole conversation
 * so far (system prompt, earlier user messages and answers) before the new user message.
 *
 * <p>The same settings and seed always give the same trace. Inter-arrival times are exponential
 * (Poisson arrivals); a chat's next turn arrives a think time after the previous one.
 *
 * {@snippet :
 * List<TraceRequest> trace = TraceGenerator.builder()
 *     .seed(7).requests(400).systemPrompts(8).systemPromptTokens(512)
 *     .build().generate();
 * }
 */
public final class TraceGenerator {

  private final long seed;
  private final int requests;
  private final int systemPrompts;
  private final int systemPromptTokens;
  private final int minUserTokens;
  private final int maxUserTokens;
  private final int minOutputTokens;
  private final int maxOutputTokens;
  private final double chatFraction;
  private final int turnsPerChat;
  private final double meanInterArrivalMillis;
  private final double meanThinkMillis;
  private final int vocabulary;

  private TraceGenerator(Builder b) {
    this.seed = b.seed;
    this.requests = b.requests;
    this.systemPrompts = b.systemPrompts;
    this.systemPromptTokens = b.systemPromptTokens;
    this.minUserTokens = b.minUserTokens;
    this.maxUserTokens = b.maxUserTokens;
    this.minOutputTokens = b.minOutputTokens;
    this.maxOutputTokens = b.maxOutputTokens;
    this.chatFraction = b.chatFraction;
    this.turnsPerChat = b.turnsPerChat;
    this.meanInterArrivalMillis = b.meanInterArrivalMillis;
    this.meanThinkMillis = b.meanThinkMillis;
    this.vocabulary = b.vocabulary;
  }

  /**
   * Starts a builder with small defaults (200 requests, 4 system prompts of 256 tokens, user
   * messages of 16 to 128 tokens, answers of 16 to 128 tokens, a quarter of requests in 4-turn
   * chats, 20 ms mean inter-arrival, 500 ms mean think time, vocabulary 32000).
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Generates the trace, sorted by arrival time.
   *
   * @return requests
   */
  public List<TraceRequest> generate() {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[][] system = new int[systemPrompts][];
    for (int i = 0; i < systemPrompts; i++) {
      system[i] = rnd.ints(systemPromptTokens, 0, vocabulary).toArray();
    }
    List<TraceRequest> out = new ArrayList<>(requests);
    double t = 0;
    int conversation = 0;
    while (out.size() < requests) {
      t += -Math.log(1 - rnd.nextDouble()) * meanInterArrivalMillis;
      int group = rnd.nextInt(systemPrompts);
      boolean chat = rnd.nextDouble() < chatFraction;
      int turns = chat ? Math.min(turnsPerChat, requests - out.size()) : 1;
      int[] history = system[group];
      double turnTime = t;
      for (int turn = 0; turn < turns; turn++) {
        int[] user = rnd.ints(between(rnd, minUserTokens, maxUserTokens), 0, vocabulary).toArray();
        int[] prompt = concat(history, user);
        int output = between(rnd, minOutputTokens, maxOutputTokens);
        out.add(new TraceRequest((long) turnTime, prompt, output, group, chat ? conversation : -1));
        history = concat(prompt, rnd.ints(output, 0, vocabulary).toArray());
        turnTime += -Math.log(1 - rnd.nextDouble()) * meanThinkMillis;
      }
      if (chat) {
        conversation++;
      }
    }
    out.sort(Comparator.comparingLong(TraceRequest::arrivalMillis));
    return List.copyOf(out);
  }

  private static int between(SplittableRandom rnd, int min, int max) {
    return min + rnd.nextInt(max - min + 1);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /** Builder of {@link TraceGenerator}. */
  public static final class Builder {
    private long seed;
    private int requests = 200;
    private int systemPrompts = 4;
    private int systemPromptTokens = 256;
    private int minUserTokens = 16;
    private int maxUserTokens = 128;
    private int minOutputTokens = 16;
    private int maxOutputTokens = 128;
    private double chatFraction = 0.25;
    private int turnsPerChat = 4;
    private double meanInterArrivalMillis = 20;
    private double meanThinkMillis = 500;
    private int vocabulary = 32_000;

    private Builder() {}

    /**
     * Sets the seed.
     *
     * @param seed seed
     * @return this
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the number of requests.
     *
     * @param requests at least 1
     * @return this
     */
    public Builder requests(int requests) {
      this.requests = requests;
      return this;
    }

    /**
     * Sets the number of distinct system prompts (shared-prefix groups).
     *
     * @param systemPrompts at least 1
     * @return this
     */
    public Builder systemPrompts(int systemPrompts) {
      this.systemPrompts = systemPrompts;
      return this;
    }

    /**
     * Sets the system prompt length.
     *
     * @param tokens at least 0
     * @return this
     */
    public Builder systemPromptTokens(int tokens) {
      this.systemPromptTokens = tokens;
      return this;
    }

    /**
     * Sets the range of user message lengths.
     *
     * @param min at least 1
     * @param max at least {@code min}
     * @return this
     */
    public Builder userTokens(int min, int max) {
      this.minUserTokens = min;
      this.maxUserTokens = max;
      return this;
    }

    /**
     * Sets the range of output lengths.
     *
     * @param min at least 1
     * @param max at least {@code min}
     * @return this
     */
    public Builder outputTokens(int min, int max) {
      this.minOutputTokens = min;
      this.maxOutputTokens = max;
      return this;
    }

    /**
     * Sets the fraction of arrivals that start a multi-turn chat.
     *
     * @param fraction between 0 and 1
     * @return this
     */
    public Builder chatFraction(double fraction) {
      this.chatFraction = fraction;
      return this;
    }

    /**
     * Sets the turns per chat.
     *
     * @param turns at least 1
     * @return this
     */
    public Builder turnsPerChat(int turns) {
      this.turnsPerChat = turns;
      return this;
    }

    /**
     * Sets the mean time between new arrivals.
     *
     * @param millis greater than 0
     * @return this
     */
    public Builder meanInterArrivalMillis(double millis) {
      this.meanInterArrivalMillis = millis;
      return this;
    }

    /**
     * Sets the mean time between a chat's turns.
     *
     * @param millis at least 0
     * @return this
     */
    public Builder meanThinkMillis(double millis) {
      this.meanThinkMillis = millis;
      return this;
    }

    /**
     * Sets the vocabulary size of random tokens.
     *
     * @param vocabulary at least 2
     * @return this
     */
    public Builder vocabulary(int vocabulary) {
      this.vocabulary = vocabulary;
      return this;
    }

    /**
     * Builds the generator.
     *
     * @return the generator
     * @throws IllegalArgumentException naming every invalid setting
     */
    public TraceGenerator build() {
      List<String> errors = new ArrayList<>();
      if (requests < 1) {
        errors.add("requests: " + requests + " must be at least 1");
      }
      if (systemPrompts < 1) {
        errors.add("systemPrompts: " + systemPrompts + " must be at least 1");
      }
      if (systemPromptTokens < 0) {
        errors.add("systemPromptTokens: " + systemPromptTokens + " must be >= 0");
      }
      if (minUserTokens < 1 || maxUserTokens < minUserTokens) {
        errors.add(
            "userTokens: [" + minUserTokens + ", " + maxUserTokens + "] must be 1 <= min <= max");
      }
      if (minOutputTokens < 1 || maxOutputTokens < minOutputTokens) {
        errors.add(
            "outputTokens: ["
                + minOutputTokens
                + ", "
                + maxOutputTokens
                + "] must be 1 <= min <= max");
      }
      if (!(chatFraction >= 0 && chatFraction <= 1)) {
        errors.add("chatFraction: " + chatFraction + " must be between 0 and 1");
      }
      if (turnsPerChat < 1) {
        errors.add("turnsPerChat: " + turnsPerChat + " must be at least 1");
      }
      if (!(meanInterArrivalMillis > 0)) {
        errors.add("meanInterArrivalMillis: " + meanInterArrivalMillis + " must be > 0");
      }
      if (!(meanThinkMillis >= 0)) {
        errors.add("meanThinkMillis: " + meanThinkMillis + " must be >= 0");
      }
      if (vocabulary < 2) {
        errors.add("vocabulary: " + vocabulary + " must be at least 2");
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("Invalid TraceGenerator: " + String.join("; ", errors));
      }
      return new TraceGenerator(this);
    }
  }
}
