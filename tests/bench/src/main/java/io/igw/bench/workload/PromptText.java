package io.igw.bench.workload;

import io.igw.simulator.engine.EngineProfile;
import io.igw.simulator.tokens.PromptRenderer;
import io.igw.simulator.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Writes prompts in the words of one model's tokenizer, each segment exactly as many tokens as
 * asked: words are the tokenizer's own single-token words (a leading space, lower-case letters),
 * drawn with Zipf(1) popularity in the order of the vocabulary (BPE ranks follow frequency), with
 * commas and full stops between them, so the text reads like word salad at about 4.5 characters a
 * token, as English does.
 *
 * <p>Every piece is one token and starts a new pre-token (a space before each word, punctuation
 * after a word), so the tokens of a segment are its pieces' tokens one after the other, and a
 * prompt's are its segments' (the tokenizer's pre-tokenizer splits there anyway): segments cost no
 * BPE, and a repeated one (a shared system prompt) is written once. The tokenizer counts the first
 * segments and one in {@value #RECOUNT_EVERY} after them; should a count differ (a tokenizer that
 * merges across words), every later segment is counted in full and words are added or dropped until
 * it is exact. {@code PromptTest} checks whole prompts against tokenizing their text.
 */
public final class PromptText {
  private static final Map<String, PromptText> BY_PROFILE = new ConcurrentHashMap<>();
  private static final Pattern WORD = Pattern.compile(" [a-z]{2,14}");

  /** Vocabulary ids looked at for words: the most frequent merges. */
  private static final int VOCABULARY_SCAN = 40_000;

  private static final int CACHED_SEGMENTS = 8192;
  private static final double COMMA = 0.06;
  private static final double STOP = 0.05;
  private static final int RECOUNT_FIRST = 32;
  private static final int COMMA_PIECE = -1;
  private static final int STOP_PIECE = -2;
  static final int RECOUNT_EVERY = 64;

  private final PromptRenderer renderer;
  private final String[] words;
  private final int[] wordIds;
  private final int commaId;
  private final int stopId;
  private final double[] cumulative;
  private long written;
  private boolean piecewise = true;
  private final Map<Long, Segment> segments =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Segment> eldest) {
          return size() > CACHED_SEGMENTS;
        }
      };

  private record Segment(String text, int[] ids) {}

  /**
   * The text of a rendered prompt and its tokens as the engine gets them (beginning-of-text token
   * included).
   */
  public record Rendered(String text, int[] tokenIds) {}

  public PromptText(PromptRenderer renderer) {
    this.renderer = renderer;
    Tokenizer tokenizer = renderer.tokenizer();
    this.words = singleTokenWords(tokenizer);
    this.wordIds = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      wordIds[i] = tokenizer.encode(words[i])[0];
    }
    this.commaId = tokenizer.encode(",")[0];
    this.stopId = tokenizer.encode(".")[0];
    this.cumulative = new double[words.length];
    double sum = 0;
    for (int i = 0; i < words.length; i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
    for (int i = 0; i < words.length; i++) {
      cumulative[i] /= sum;
    }
  }

  /**
   * One per profile and JVM: the profile's bundled encoding and chat template, as the simulated
   * servers use.
   */
  public static PromptText forProfile(EngineProfile profile) {
    return BY_PROFILE.computeIfAbsent(
        profile.name(),
        name ->
            new PromptText(PromptRenderer.of(profile.encoding(), profile.chatTemplate(), null)));
  }

  public PromptRenderer renderer() {
    return renderer;
  }

  /**
   * The text and the completion tokens of {@code prompt}, as the simulator's completion path would
   * tokenize it.
   */
  public Rendered render(Prompt prompt) {
    int[] bos = renderer.beginOfText();
    if (prompt.literal() != null) {
      return new Rendered(prompt.literal(), renderer.completion(prompt.literal(), true));
    }
    StringBuilder text = new StringBuilder();
    List<int[]> parts = new ArrayList<>();
    int total = bos.length;
    for (int i = 0; i < prompt.segmentCount(); i++) {
      Segment segment = segment(prompt.segmentSeed(i), prompt.segmentTokens(i));
      text.append(segment.text);
      parts.add(segment.ids);
      total += segment.ids.length;
    }
    int[] ids = new int[total];
    System.arraycopy(bos, 0, ids, 0, bos.length);
    int at = bos.length;
    for (int[] part : parts) {
      System.arraycopy(part, 0, ids, at, part.length);
      at += part.length;
    }
    return new Rendered(text.toString(), ids);
  }

  public String text(Prompt prompt) {
    if (prompt.literal() != null) {
      return prompt.literal();
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < prompt.segmentCount(); i++) {
      text.append(segment(prompt.segmentSeed(i), prompt.segmentTokens(i)).text);
    }
    return text.toString();
  }

  /** Tokens of a text as the model's tokenizer counts them (no beginning-of-text token). */
  public int count(String text) {
    return renderer.tokenizer().encode(text).length;
  }

  private synchronized Segment segment(long seed, int tokens) {
    long key = Seeds.derive(seed, tokens);
    Segment segment = segments.get(key);
    if (segment == null) {
      segment = write(seed, tokens);
      segments.put(key, segment);
    }
    return segment;
  }

  /**
   * {@code tokens} pieces drawn from the seed: their text, and their ids (recounted by the
   * tokenizer now and then).
   */
  private Segment write(long seed, int tokens) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder(tokens * 5);
    int[] ids = new int[tokens];
    boolean afterWord = false;
    for (int i = 0; i < tokens; i++) {
      int piece = nextPiece(random, afterWord);
      afterWord = piece >= 0;
      ids[i] = piece == COMMA_PIECE ? commaId : piece == STOP_PIECE ? stopId : wordIds[piece];
      text.append(piece == COMMA_PIECE ? "," : piece == STOP_PIECE ? "." : words[piece]);
    }
    Segment segment = new Segment(text.toString(), ids);
    if (piecewise && (written < RECOUNT_FIRST || written % RECOUNT_EVERY == 0)) {
      piecewise = Arrays.equals(renderer.tokenizer().encode(segment.text), ids);
    }
    written++;
    return piecewise ? segment : counted(random, new ArrayList<>(List.of(segment.text)), tokens);
  }

  /**
   * The slow path: the tokenizer counts the text, and pieces are added or dropped until the count
   * is exact.
   */
  private Segment counted(SplittableRandom random, List<String> pieces, int tokens) {
    for (int attempt = 0; attempt < 32; attempt++) {
      String text = String.join("", pieces);
      int[] ids = renderer.tokenizer().encode(text);
      int missing = tokens - ids.length;
      if (missing == 0) {
        return new Segment(text, ids);
      }
      for (int k = 0; k < missing; k++) {
        pieces.add(words[random.nextInt(words.length)]);
      }
      for (int k = 0; k < -missing && pieces.size() > 1; k++) {
        pieces.remove(pieces.size() - 1);
      }
    }
    throw new IllegalStateException(
        "cannot write " + tokens + " tokens in " + renderer.tokenizer().name());
  }

  /**
   * The next piece: a comma or a stop after a word now and then, else a word (its index) by Zipf
   * popularity.
   */
  private int nextPiece(SplittableRandom random, boolean afterWord) {
    double roll = random.nextDouble();
    if (afterWord && roll < COMMA) {
      return COMMA_PIECE;
    }
    if (afterWord && roll < COMMA + STOP) {
      return STOP_PIECE;
    }
    double u = random.nextDouble();
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The vocabulary's words that are one token on their own, most frequent first; "," and "." must
   * be one too.
   */
  static String[] singleTokenWords(Tokenizer tokenizer) {
    if (tokenizer.encode(",").length != 1 || tokenizer.encode(".").length != 1) {
      throw new IllegalStateException(tokenizer.name() + ": ',' and '.' are not single tokens");
    }
    List<String> out = new ArrayList<>();
    for (int id = 0; id < VOCABULARY_SCAN; id++) {
      String piece;
      try {
        piece = tokenizer.decode(new int[] {id});
      } catch (RuntimeException unknownId) {
        continue;
      }
      if (WORD.matcher(piece).matches() && tokenizer.encode(piece).length == 1) {
        out.add(piece);
      }
    }
    if (out.size() < 100) {
      throw new IllegalStateException(
          tokenizer.name() + ": too few single-token words (" + out.size() + ")");
    }
    return out.toArray(String[]::new);
  }
}
