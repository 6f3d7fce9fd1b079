package io.igw.picker.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.igw.picker.scheduling.PromptBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;

/**
 * One streaming pass over a pick body (Jackson's {@link JsonParser}, no object tree) that reads
 * what a pick needs: {@code model}, and the compact JSON or text of {@code messages}, {@code
 * prompt}, {@code input} and {@code instructions}, with the shape checks {@link OpenAiParser} makes
 * on them. Every other value is only stepped over, which still checks its syntax.
 *
 * <p>It answers only for the plain case: one JSON object, nothing after it, no key twice in any
 * object, within the {@link JsonBodyLimits}, {@code model} a string or null. Anything else (invalid
 * JSON, a duplicate key, a limit, a non-string model, a number too long for the parser) gives null,
 * and the caller takes the tree path ({@link JsonBodyLimits}, then the codec), which gives the same
 * answer and the same errors as before this scanner existed: a duplicate key keeps the last value,
 * as the codec's map (and the browser's and njs's {@code JSON.parse}) does.
 */
final class JsonBodyScanner {
  private static final JsonFactory FACTORY = new JsonFactory();

  /**
   * Keys an object inside a read field may have before the tree path takes the body: each key is
   * compared with the object's others (a key twice goes to the tree path too), so this bounds that
   * work.
   */
  static final int MAX_KEYS_PER_OBJECT = 64;

  /**
   * One scanner per thread: its scratch is reused, so a scan allocates little beyond its result.
   */
  private static final ThreadLocal<JsonBodyScanner> PER_THREAD =
      ThreadLocal.withInitial(JsonBodyScanner::new);

  static final String MESSAGE_ROLE = "each message must be an object with a string role";
  static final String MESSAGE_CONTENT =
      "message content must be a string or a list of content parts";
  static final String PROMPT_ITEMS =
      "prompt must be a string, a list of strings or a list of token lists";

  /** What a top-level field held. */
  enum Kind {
    ABSENT,
    NULL,
    STRING,
    ARRAY,
    OTHER
  }

  /**
   * One top-level field as the parser needs it.
   *
   * @param text the string, for {@link Kind#STRING}, when it was decoded (null when {@code utf8}
   *     holds it)
   * @param utf8 the string's UTF-8, for {@link Kind#STRING}, when the body held it without escapes
   *     (the body's own bytes, never decoded)
   * @param json the array's compact JSON (as the codec writes it), for {@link Kind#ARRAY}: the
   *     body's own bytes when the client wrote it so, else a copy
   * @param invalid for an array, why it is not a valid value of its field (null: valid)
   */
  record Field(Kind kind, String text, PromptBytes utf8, PromptBytes json, String invalid) {
    static final Field ABSENT = new Field(Kind.ABSENT, null, null, null, null);
    static final Field NULL = new Field(Kind.NULL, null, null, null, null);
    static final Field OTHER = new Field(Kind.OTHER, null, null, null, null);

    /** A string field's value. */
    String string() {
      return text != null ? text : utf8.text();
    }

    /** A string field's UTF-8 bytes. */
    PromptBytes stringBytes() {
      return utf8 != null ? utf8 : PromptBytes.utf8(text);
    }
  }

  /**
   * What the scan read; fields not in the body are {@link Field#ABSENT}.
   *
   * @param streamWithoutUsage {@code stream} is true and {@code stream_options} is absent, null or
   *     an object whose {@code include_usage} is not true (a stream that will not report its usage)
   */
  record ScannedBody(
      String model,
      Field messages,
      Field prompt,
      Field input,
      Field instructions,
      boolean streamWithoutUsage) {}

  /** What {@code stream_options} says of the usage chunk. */
  private enum StreamOptions {
    /** Absent or null. */
    NONE,
    NO_USAGE,
    USAGE,
    /** Not an object: the server's to refuse, as the client sent it. */
    OTHER
  }

  private final CompactJsonEncoder out = new CompactJsonEncoder();
  private final int[] items = new int[JsonBodyLimits.MAX_DEPTH + 2];

  /** The keys of the objects open inside a read field, and where each object's keys start. */
  private final String[] keys = new String[MAX_KEYS_PER_OBJECT * (JsonBodyLimits.MAX_DEPTH + 1)];

  private final int[] keysFrom = new int[JsonBodyLimits.MAX_DEPTH + 2];
  private int keyCount;

  /** The depth of the field being read (keys are checked at and below it); MAX_VALUE: none. */
  private int readDepth;

  private JsonParser parser;
  private int depth;

  /**
   * The body's bytes when the parser reads them in place (null otherwise), and where the body
   * starts and ends in them: a string already written as {@link CompactJsonEncoder} writes it is
   * copied from there byte for byte instead of being decoded and encoded again.
   */
  private byte[] source;

  private int sourceStart;
  private int sourceEnd;

  private JsonBodyScanner() {}

  /** The scan, or null when the body needs the tree path (see the class comment). */
  static ScannedBody scan(Buffer raw) {
    ByteBuf bytes = ((BufferInternal) raw).getByteBuf();
    JsonBodyScanner scanner = PER_THREAD.get();
    try (JsonParser parser = open(bytes)) {
      scanner.parser = parser;
      if (bytes.hasArray()) {
        scanner.source = bytes.array();
        scanner.sourceStart = bytes.arrayOffset() + bytes.readerIndex();
        scanner.sourceEnd = scanner.sourceStart + bytes.readableBytes();
      }
      scanner.depth = 0;
      scanner.keyCount = 0;
      scanner.readDepth = Integer.MAX_VALUE;
      return scanner.body();
    } catch (IOException | RuntimeException e) {
      return null;
    } finally {
      scanner.parser = null;
      scanner.source = null;
      java.util.Arrays.fill(scanner.keys, 0, scanner.keyCount, null);
    }
  }

  private static JsonParser open(ByteBuf bytes) throws IOException {
    if (bytes.hasArray()) {
      // read in place: no copy of the (up to 4 MiB) body
      return FACTORY.createParser(
          bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
    }
    return FACTORY.createParser((java.io.InputStream) new ByteBufInputStream(bytes));
  }

  private ScannedBody body() throws IOException {
    if (next() != JsonToken.START_OBJECT) {
      return null;
    }
    String model = null;
    boolean modelSeen = false;
    Field messages = Field.ABSENT;
    Field prompt = Field.ABSENT;
    Field input = Field.ABSENT;
    Field instructions = Field.ABSENT;
    Boolean stream = null;
    StreamOptions options = null;
    JsonToken token;
    while ((token = next()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = next();
      // a key the pick reads, twice: the tree path keeps the last one, as JSON.parse does
      switch (name) {
        case "model" -> {
          if (modelSeen) {
            return null;
          }
          modelSeen = true;
          if (value == JsonToken.VALUE_STRING) {
            model = parser.getText();
          } else if (value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "messages" -> messages = once(messages, value, true);
        case "prompt" -> prompt = once(prompt, value, false);
        case "input" -> input = once(input, value, false);
        case "instructions" -> instructions = once(instructions, value, false);
        case "stream" -> {
          if (stream != null) {
            return null;
          }
          stream = value == JsonToken.VALUE_TRUE;
          skip(value);
        }
        case "stream_options" -> {
          if (options != null) {
            return null;
          }
          options = streamOptions(value);
        }
        default -> skip(value);
      }
    }
    if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
      return null;
    }
    boolean withoutUsage =
        Boolean.TRUE.equals(stream)
            && (options == null
                || options == StreamOptions.NONE
                || options == StreamOptions.NO_USAGE);
    return new ScannedBody(model, messages, prompt, input, instructions, withoutUsage);
  }

  /** {@code stream_options} (its first token just read); {@code include_usage} twice: the tree. */
  private StreamOptions streamOptions(JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return StreamOptions.NONE;
    }
    if (value != JsonToken.START_OBJECT) {
      skip(value);
      return StreamOptions.OTHER;
    }
    Boolean includeUsage = null;
    JsonToken token;
    while ((token = next()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken option = next();
      if (name.equals("include_usage")) {
        if (includeUsage != null) {
          throw new NeedsTree();
        }
        includeUsage = option == JsonToken.VALUE_TRUE;
      }
      skip(option);
    }
    if (token != JsonToken.END_OBJECT) {
      throw new NeedsTree();
    }
    return Boolean.TRUE.equals(includeUsage) ? StreamOptions.USAGE : StreamOptions.NO_USAGE;
  }

  /** The parser's next token, counted against the limits; null past a limit. */
  private JsonToken next() throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      return null;
    }
    if (depth > 0 && items[depth] >= 0 && token != JsonToken.END_ARRAY) {
      if (token != JsonToken.FIELD_NAME && ++items[depth] > JsonBodyLimits.MAX_ARRAY_ITEMS) {
        throw new NeedsTree();
      }
    }
    switch (token) {
      case START_ARRAY, START_OBJECT -> {
        if (++depth > JsonBodyLimits.MAX_DEPTH) {
          throw new NeedsTree();
        }
        // an object's slot is -1: only arrays count items
        items[depth] = token == JsonToken.START_ARRAY ? 0 : -1;
        keysFrom[depth] = keyCount;
      }
      case END_ARRAY, END_OBJECT -> {
        keyCount = keysFrom[depth];
        depth--;
      }
      case FIELD_NAME -> {
        if (depth > readDepth) {
          newKey(parser.currentName());
        }
      }
      default -> {}
    }
    return token;
  }

  /**
   * A key of an object inside a read field: one it already has, or one too many, needs the tree.
   */
  private void newKey(String name) {
    int from = keysFrom[depth];
    if (keyCount - from >= MAX_KEYS_PER_OBJECT) {
      throw new NeedsTree();
    }
    for (int i = from; i < keyCount; i++) {
      if (keys[i].equals(name)) {
        throw new NeedsTree();
      }
    }
    keys[keyCount++] = name;
  }

  private Field once(Field seen, JsonToken value, boolean messages) throws IOException {
    if (seen.kind() != Kind.ABSENT) {
      throw new NeedsTree();
    }
    return field(value, messages);
  }

  private Field field(JsonToken value, boolean messages) throws IOException {
    return switch (value) {
      case VALUE_NULL -> Field.NULL;
      case VALUE_STRING -> {
        PromptBytes utf8 = unescapedString();
        yield utf8 != null
            ? new Field(Kind.STRING, null, utf8, null, null)
            : new Field(Kind.STRING, parser.getText(), null, null, null);
      }
      case START_ARRAY -> {
        int open = tokenStart('[');
        out.reset();
        readDepth = depth;
        String invalid = messages ? copyMessages() : copyPromptItems();
        readDepth = Integer.MAX_VALUE;
        yield new Field(Kind.ARRAY, null, null, written(open, tokenStart(']')), invalid);
      }
      default -> {
        skip(value);
        yield Field.OTHER;
      }
    };
  }

  /**
   * Copies a {@code messages} list (its START_ARRAY just read); the first message that is not an
   * object with a string role, or whose content is neither absent, null, a string nor a list of
   * objects with a string {@code type}, names the problem.
   */
  private String copyMessages() throws IOException {
    out.writeByte('[');
    String invalid = null;
    boolean first = true;
    JsonToken token;
    while ((token = next()) != JsonToken.END_ARRAY) {
      comma(first);
      first = false;
      if (token != JsonToken.START_OBJECT) {
        copy(token);
        invalid = invalid == null ? MESSAGE_ROLE : invalid;
        continue;
      }
      String problem = copyMessage();
      invalid = invalid == null ? problem : invalid;
    }
    out.writeByte(']');
    return invalid;
  }

  /** One message object (its START_OBJECT just read): its problem, or null. */
  private String copyMessage() throws IOException {
    out.writeByte('{');
    boolean role = false;
    boolean content = true;
    boolean first = true;
    while (next() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      comma(first);
      first = false;
      writeName();
      JsonToken value = next();
      if (name.equals("role")) {
        role = value == JsonToken.VALUE_STRING;
      } else if (name.equals("content")) {
        if (value == JsonToken.START_ARRAY) {
          content = copyParts() == null;
          continue;
        }
        content = value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NULL;
      }
      copy(value);
    }
    out.writeByte('}');
    return !role ? MESSAGE_ROLE : !content ? MESSAGE_CONTENT : null;
  }

  /**
   * A content list (START_ARRAY just read): null when every part is an object with a string type.
   */
  private String copyParts() throws IOException {
    out.writeByte('[');
    boolean valid = true;
    boolean first = true;
    JsonToken token;
    while ((token = next()) != JsonToken.END_ARRAY) {
      comma(first);
      first = false;
      if (token != JsonToken.START_OBJECT) {
        valid = false;
        copy(token);
        continue;
      }
      out.writeByte('{');
      boolean type = false;
      boolean firstKey = true;
      while (next() == JsonToken.FIELD_NAME) {
        boolean isType = parser.currentName().equals("type");
        comma(firstKey);
        firstKey = false;
        writeName();
        JsonToken value = next();
        if (isType) {
          type = value == JsonToken.VALUE_STRING;
        }
        copy(value);
      }
      out.writeByte('}');
      valid &= type;
    }
    out.writeByte(']');
    return valid ? null : MESSAGE_CONTENT;
  }

  /** A prompt list: valid when every item is a string, a number or a list of numbers only. */
  private String copyPromptItems() throws IOException {
    out.writeByte('[');
    boolean valid = true;
    boolean first = true;
    JsonToken token;
    while ((token = next()) != JsonToken.END_ARRAY) {
      comma(first);
      first = false;
      if (token == JsonToken.START_ARRAY) {
        out.writeByte('[');
        boolean firstItem = true;
        JsonToken item;
        while ((item = next()) != JsonToken.END_ARRAY) {
          comma(firstItem);
          firstItem = false;
          valid &= item == JsonToken.VALUE_NUMBER_INT || item == JsonToken.VALUE_NUMBER_FLOAT;
          copy(item);
        }
        out.writeByte(']');
        continue;
      }
      valid &=
          token == JsonToken.VALUE_STRING
              || token == JsonToken.VALUE_NUMBER_INT
              || token == JsonToken.VALUE_NUMBER_FLOAT;
      copy(token);
    }
    out.writeByte(']');
    return valid ? null : PROMPT_ITEMS;
  }

  /**
   * Writes the value that starts with {@code token} as the codec writes it; a value the scanner
   * leaves to the codec (a float, whose text the codec rewrites) takes the tree path.
   */
  private void copy(JsonToken token) throws IOException {
    switch (token) {
      case VALUE_STRING -> {
        if (!copyCanonicalString()) {
          out.writeString(
              parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        }
      }
      case VALUE_NUMBER_INT -> out.writeAscii(integer());
      case VALUE_TRUE -> out.writeAscii("true");
      case VALUE_FALSE -> out.writeAscii("false");
      case VALUE_NULL -> out.writeAscii("null");
      case START_ARRAY -> {
        out.writeByte('[');
        boolean first = true;
        JsonToken item;
        while ((item = next()) != JsonToken.END_ARRAY) {
          comma(first);
          first = false;
          copy(item);
        }
        out.writeByte(']');
      }
      case START_OBJECT -> {
        out.writeByte('{');
        boolean first = true;
        while (next() == JsonToken.FIELD_NAME) {
          comma(first);
          first = false;
          writeName();
          copy(next());
        }
        out.writeByte('}');
      }
      default -> throw new NeedsTree();
    }
  }

  /**
   * Copies the current string token from the body's bytes when they are exactly what {@link
   * CompactJsonEncoder#writeString} would write for it ({@link CanonicalJsonString}); the parser
   * then steps over it without decoding it (and still checks it). False when the body is not read
   * in place or the string is written otherwise: the caller decodes and encodes it.
   */
  private boolean copyCanonicalString() {
    int start = stringStart();
    if (start < 0) {
      return false;
    }
    int close = CanonicalJsonString.closingQuote(source, start, sourceEnd);
    if (close < 0) {
      return false;
    }
    out.writeRaw(source, start, close + 1 - start);
    return true;
  }

  /**
   * The current string token's UTF-8 from the body's bytes when it holds no escape ({@link
   * CanonicalJsonString#unescapedEnd}), so its bytes are its value's; the parser then steps over it
   * without decoding it. Null otherwise: the caller decodes it.
   */
  private PromptBytes unescapedString() {
    int start = stringStart();
    if (start < 0) {
      return null;
    }
    int close = CanonicalJsonString.unescapedEnd(source, start, sourceEnd);
    return close < 0 ? null : PromptBytes.of(source, start + 1, close - start - 1);
  }

  /**
   * What the encoder wrote for the array that opened at {@code open} and closed at {@code close}
   * (their places in {@link #source}, -1 when unknown): the body's own bytes when the client wrote
   * the array exactly so (compact, and every string as the encoder writes it), else a copy.
   */
  private PromptBytes written(int open, int close) {
    int length = close + 1 - open;
    if (open >= 0 && close > open && out.writtenEquals(source, open, length)) {
      return PromptBytes.of(source, open, length);
    }
    return PromptBytes.of(out.toBytes());
  }

  /** Where the current string token's opening quote is in {@link #source}, or -1. */
  private int stringStart() {
    return tokenStart('"');
  }

  /**
   * Where the current token starts in {@link #source} when it is read in place and its first byte
   * is {@code first}; -1 otherwise.
   */
  private int tokenStart(char first) {
    if (source == null) {
      return -1;
    }
    long offset = parser.currentTokenLocation().getByteOffset();
    if (offset < 0 || offset >= sourceEnd - sourceStart) {
      return -1;
    }
    int start = sourceStart + (int) offset;
    return source[start] == first ? start : -1;
  }

  /** An integer as the codec holds it (Integer, Long or BigInteger), so {@code -0} is {@code 0}. */
  private String integer() throws IOException {
    return switch (parser.getNumberType()) {
      case INT -> Integer.toString(parser.getIntValue());
      case LONG -> Long.toString(parser.getLongValue());
      default -> parser.getBigIntegerValue().toString();
    };
  }

  private void writeName() throws IOException {
    out.writeString(parser.currentName());
    out.writeByte(':');
  }

  private void comma(boolean first) {
    if (!first) {
      out.writeByte(',');
    }
  }

  /** Steps over the value that starts with {@code token}. */
  private void skip(JsonToken token) throws IOException {
    if (token != JsonToken.START_ARRAY && token != JsonToken.START_OBJECT) {
      return;
    }
    int until = depth - 1;
    while (depth > until) {
      if (next() == null) {
        throw new NeedsTree();
      }
    }
  }

  /**
   * A limit of {@link JsonBodyLimits}, the end of input inside a value, or a value the scanner does
   * not write: the tree path decides.
   */
  private static final class NeedsTree extends RuntimeException {
    NeedsTree() {
      super(null, null, false, false);
    }
  }
}
