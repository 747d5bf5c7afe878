package io.luthien.recorder;

import io.luthien.shared.StoredPayloads;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * A payload's JSON text as {@code conversation_events} stores it ({@link StoredPayloads#stored}: an
 * unchanged {@code final} left out): whole up to {@code RECORDER_MAX_PAYLOAD_BYTES}, beyond it
 * {@code {"truncated": true, "original_bytes": N, "preview": "<the first 64 KiB of the JSON
 * text>"}}, which the debug API can always read back. Encoding a payload of tens of MB takes
 * seconds, so big ones are encoded off the event loop.
 */
final class PayloadText {

  static final String TRUNCATED = "truncated";
  static final String ORIGINAL_BYTES = "original_bytes";
  static final String PREVIEW = "preview";

  /** Characters of the original JSON text kept in a truncated payload's preview. */
  static final int PREVIEW_CHARS = 64 * 1024;

  /**
   * The deepest nesting stored: Jackson reads no deeper (the debug API could not answer), and its
   * encoder recurses per level, so a deeper payload could overflow the stack.
   */
  static final int MAX_DEPTH = 1_000;

  /** Payloads estimated above this many bytes are encoded on a worker thread. */
  static final long INLINE_BYTES = 256 * 1024;

  /** Stands for a JSON null in the walk: an ArrayDeque cannot hold null. */
  private static final Object NULL = new Object();

  private PayloadText() {}

  /**
   * The payload's storable text.
   *
   * @throws EncodeException when it cannot be encoded (nested deeper than {@link #MAX_DEPTH})
   */
  static String storable(JsonObject payload, int maxBytes) {
    return storable(payload, maxBytes, false);
  }

  /**
   * The same, its depth not walked again when {@code shallow} ({@link Shape#shallow}: the payload
   * holds fewer objects and arrays than {@link #MAX_DEPTH}, so it cannot be nested deeper).
   */
  static String storable(JsonObject payload, int maxBytes, boolean shallow) {
    if (!shallow) {
      requireDepth(payload);
    }
    String json = StoredPayloads.stored(payload).encode();
    long bytes = utf8Length(json);
    if (bytes > maxBytes) {
      json =
          new JsonObject()
              .put(TRUNCATED, true)
              .put(ORIGINAL_BYTES, bytes)
              .put(PREVIEW, preview(json))
              .encode();
    }
    return RecordedEvent.jsonbText(json);
  }

  /**
   * What one walk of a payload tells before it is encoded.
   *
   * @param big its JSON text is likely longer than the bytes asked about: encode it off the loop
   * @param shallow it holds fewer than {@link #MAX_DEPTH} objects and arrays, so it cannot be
   *     nested too deep (known only for a payload that is not big)
   */
  record Shape(boolean big, boolean shallow) {}

  /**
   * Walks the payload's values (iteratively, so no depth can overflow the stack), estimating its
   * JSON text's length and counting its objects and arrays; stops as soon as the estimate passes
   * {@code bytes}.
   */
  static Shape shape(JsonObject payload, long bytes) {
    ArrayDeque<Object> pending = new ArrayDeque<>();
    pending.push(payload);
    long estimate = 0;
    long containers = 0;
    while (!pending.isEmpty() && estimate <= bytes) {
      Object value = pending.pop();
      if (value instanceof JsonObject object) {
        containers++;
        estimate += 2;
        for (Map.Entry<String, Object> field : object) {
          estimate += field.getKey().length() + 4;
          push(pending, field.getValue());
        }
      } else if (value instanceof JsonArray array) {
        containers++;
        estimate += 2;
        for (Object item : array) {
          estimate += 1;
          push(pending, item);
        }
      } else if (value instanceof CharSequence text) {
        estimate += text.length() + 2L;
      } else if (value instanceof byte[] binary) {
        estimate += binary.length * 4L / 3 + 2;
      } else {
        estimate += 8;
      }
    }
    boolean big = estimate > bytes;
    return new Shape(big, !big && containers < MAX_DEPTH);
  }

  private record Nested(Object value, int depth) {}

  private static void requireDepth(JsonObject payload) {
    ArrayDeque<Nested> pending = new ArrayDeque<>();
    pending.push(new Nested(payload, 1));
    while (!pending.isEmpty()) {
      Nested next = pending.pop();
      if (next.depth() > MAX_DEPTH) {
        throw new EncodeException("the payload is nested deeper than " + MAX_DEPTH + " levels");
      }
      Iterable<?> children =
          next.value() instanceof JsonObject object
              ? object.getMap().values()
              : next.value() instanceof JsonArray array ? array : List.of();
      for (Object child : children) {
        Object wrapped =
            child instanceof Map<?, ?> map
                ? new JsonObject(uncheckedMap(map))
                : child instanceof List<?> list ? new JsonArray(list) : child;
        if (wrapped instanceof JsonObject || wrapped instanceof JsonArray) {
          pending.push(new Nested(wrapped, next.depth() + 1));
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> uncheckedMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static void push(ArrayDeque<Object> pending, Object value) {
    pending.push(value == null ? NULL : value);
  }

  private static String preview(String json) {
    int end = Math.min(json.length(), PREVIEW_CHARS);
    if (end > 0 && end < json.length() && Character.isHighSurrogate(json.charAt(end - 1))) {
      end--;
    }
    return json.substring(0, end);
  }

  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800 || Character.isSurrogate(c)) {
        bytes += 2;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
