package io.luthien.gateway.stream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Splits a server-sent-events byte stream into the {@code data} of each event, whatever the TCP
 * segmentation. Multi-line data is joined with newlines; comments, {@code event:} and {@code id:}
 * lines are ignored.
 */
public final class SseParser implements Handler<Buffer> {

  private final Handler<String> dataHandler;
  private Buffer pending = Buffer.buffer();
  private StringBuilder data;

  public SseParser(Handler<String> dataHandler) {
    this.dataHandler = dataHandler;
  }

  @Override
  public void handle(Buffer chunk) {
    Buffer input = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
    int start = 0;
    int length = input.length();
    for (int i = 0; i < length; i++) {
      if (input.getByte(i) == '\n') {
        int end = i > start && input.getByte(i - 1) == '\r' ? i - 1 : i;
        line(input.getString(start, end, StandardCharsets.UTF_8.name()));
        start = i + 1;
      }
    }
    pending = start == length ? Buffer.buffer() : input.getBuffer(start, length);
  }

  /** The body ended: an event that was not followed by a blank line still counts. */
  void finish() {
    if (pending.length() > 0) {
      line(pending.toString(StandardCharsets.UTF_8));
      pending = Buffer.buffer();
    }
    line("");
  }

  private void line(String line) {
    if (line.isEmpty()) {
      if (data != null) {
        String event = data.toString();
        data = null;
        dataHandler.handle(event);
      }
      return;
    }
    if (line.startsWith("data:")) {
      String value =
          line.length() > 5 && line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    }
  }
}
