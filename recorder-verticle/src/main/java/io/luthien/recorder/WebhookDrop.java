package io.luthien.recorder;

/** Why a completed call was not posted to the webhook; the metric's {@code luthien.drop.reason}. */
enum WebhookDrop {
  /** The queue held {@code WEBHOOK_QUEUE_SIZE} calls already. */
  QUEUE_FULL("queue_full"),
  /** Every try failed: no answer in time, a connection error, a 5xx or a 429. */
  RETRIES_EXHAUSTED("retries_exhausted"),
  /** The receiver answered a status no retry can change (a 4xx but 429, a redirect). */
  REJECTED("rejected"),
  /** The call's row could not be read back from PostgreSQL. */
  UNREADABLE("unreadable"),
  /** The recorder stopped before its POST. */
  STOPPED("stopped");

  private final String reason;

  WebhookDrop(String reason) {
    this.reason = reason;
  }

  /** The {@code luthien.drop.reason} value. */
  String reason() {
    return reason;
  }
}
