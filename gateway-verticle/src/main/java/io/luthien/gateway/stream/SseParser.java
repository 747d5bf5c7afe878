package io.luthien.gateway.stream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Splits a server-sent-events byte stream into the {@code data} of each event, whatever the TCP
 * segmentation. Multi-line data is joined with newlines; comments, {@code event:}, {@code id:} and
 * {@code retry:} lines are ignored. Each byte is examined once, however long its line: only the
 * bytes that arrived are scanned, the start of an unfinished line is kept aside. Bytes that are not
 * SSE, or an event larger than its bound, fail with an {@link InvalidStreamException}; the parser
 * is done with the stream then.
 */
public final class SseParser implements Handler<Buffer> {

  /** The stream is not SSE, or one of its events is larger than the parser takes. */
  public static final class InvalidStreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean tooLarge;

    private InvalidStreamException(String message, boolean tooLarge) {
      super(message, null, false, false);
      this.tooLarge = tooLarge;
    }

    /** True when the bytes were SSE, but an event was over the bound. */
    public boolean tooLarge() {
      return tooLarge;
    }
  }

  private final long maxEventBytes;
  private final Handler<String> dataHandler;
  private Buffer pending = Buffer.buffer();
  private StringBuilder data;
  private long eventBytes;
  private long scannedBytes;

  /** {@code maxEventBytes} bounds one event: its lines, field names and line ends included. */
  public SseParser(long maxEventBytes, Handler<String> dataHandler) {
    this.maxEventBytes = maxEventBytes;
    this.dataHandler = dataHandler;
  }

  @Override
  public void handle(Buffer chunk) {
    int start = 0;
    int length = chunk.length();
    for (int i = 0; i < length; i++) {
      scannedBytes++;
      if (chunk.getByte(i) == '\n') {
        int lineBytes = pending.length() + i + 1 - start;
        checkSize(lineBytes);
        Buffer line =
            pending.length() == 0
                ? chunk.slice(start, i)
                : pending.appendBuffer(chunk, start, i - start);
        pending = Buffer.buffer();
        eventBytes += lineBytes;
        line(line);
        start = i + 1;
      }
    }
    if (start < length) {
      checkSize(pending.length() + length - start);
      pending.appendBuffer(chunk, start, length - start);
    }
  }

  /** The body ended: an event that was not followed by a blank line still counts. */
  void finish() {
    if (pending.length() > 0) {
      Buffer line = pending;
      pending = Buffer.buffer();
      line(line);
    }
    dispatch();
  }

  /** Bytes examined so far: as many as were handed in, whatever their segmentation. */
  long scannedBytes() {
    return scannedBytes;
  }

  /** {@code lineBytes}: the bytes of the event's line being read, the part kept aside included. */
  private void checkSize(int lineBytes) {
    if (eventBytes + lineBytes > maxEventBytes) {
      throw new InvalidStreamException(
          "the upstream provider sent a stream event larger than " + maxEventBytes + " bytes",
          true);
    }
  }

  private void line(Buffer bytes) {
    int end = bytes.length();
    if (end > 0 && bytes.getByte(end - 1) == '\r') {
      end--;
    }
    if (end == 0) {
      dispatch();
      return;
    }
    String line = bytes.getString(0, end, StandardCharsets.UTF_8.name());
    if (line.startsWith(":")) {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    switch (field) {
      case "data" -> {
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      case "event", "id", "retry" -> {}
      default ->
          throw new InvalidStreamException(
              "the upstream provider's stream is not server-sent events: a line starts with "
                  + excerpt(line),
              false);
    }
  }

  private void dispatch() {
    eventBytes = 0;
    if (data != null) {
      String event = data.toString();
      data = null;
      dataHandler.handle(event);
    }
  }

  private static String excerpt(String line) {
    String start = line.length() > 40 ? line.substring(0, 40) + "…" : line;
    StringBuilder printable = new StringBuilder("'");
    start
        .codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                printable.append(String.format("\\u%04x", c));
              } else {
                printable.appendCodePoint(c);
              }
            });
    return printable.append('\'').toString();
  }
}
