package io.igw.simulator.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte-pair encoding that ships inside jtokkit's jar (o200k_base, cl100k_base, …), so it needs no
 * download. The chat template's markers are not in these vocabularies; each gets an id just past
 * the encoding's last one, so that a marker is one token as it is in the model's own tokenizer.
 */
public final class BundledEncoding implements Tokenizer {

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  /**
   * One past each encoding's largest id (special tokens included), where the markers' ids start.
   */
  private static final Map<EncodingType, Integer> FIRST_FREE_ID =
      Map.of(
          EncodingType.O200K_BASE,
          200_019,
          EncodingType.CL100K_BASE,
          100_277,
          EncodingType.P50K_BASE,
          50_281,
          EncodingType.R50K_BASE,
          50_257,
          EncodingType.P50K_EDIT,
          50_284);

  private final Encoding encoding;
  private final Map<String, Integer> idOfMarker = new HashMap<>();
  private final Map<Integer, String> markerOfId = new HashMap<>();
  private final Pattern markers;

  public BundledEncoding(String name, List<String> specialTokens) {
    EncodingType type =
        EncodingType.fromName(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown bundled encoding '"
                            + name
                            + "', known: o200k_base, cl100k_base, p50k_base, r50k_base"));
    this.encoding = REGISTRY.getEncoding(type);
    int next = FIRST_FREE_ID.get(type);
    StringBuilder alternatives = new StringBuilder();
    for (String marker : specialTokens) {
      idOfMarker.put(marker, next);
      markerOfId.put(next, marker);
      next++;
      alternatives.append(alternatives.length() == 0 ? "" : "|").append(Pattern.quote(marker));
    }
    this.markers = specialTokens.isEmpty() ? null : Pattern.compile(alternatives.toString());
  }

  @Override
  public String name() {
    return encoding.getName();
  }

  @Override
  public int[] encode(String text) {
    if (markers == null) {
      return encoding.encodeOrdinary(text).toArray();
    }
    IntArrayList out = new IntArrayList(text.length() / 3 + 4);
    Matcher m = markers.matcher(text);
    int from = 0;
    while (m.find()) {
      appendOrdinary(out, text.substring(from, m.start()));
      out.add(idOfMarker.get(m.group()));
      from = m.end();
    }
    appendOrdinary(out, text.substring(from));
    return out.toArray();
  }

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    IntArrayList run = new IntArrayList();
    for (int id : ids) {
      String marker = markerOfId.get(id);
      if (marker == null) {
        run.add(id);
        continue;
      }
      bytes.writeBytes(encoding.decodeBytes(run));
      run.clear();
      bytes.writeBytes(marker.getBytes(StandardCharsets.UTF_8));
    }
    bytes.writeBytes(encoding.decodeBytes(run));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void appendOrdinary(IntArrayList out, String text) {
    if (text.isEmpty()) {
      return;
    }
    IntArrayList ids = encoding.encodeOrdinary(text);
    for (int i = 0; i < ids.size(); i++) {
      out.add(ids.get(i));
    }
  }
}
