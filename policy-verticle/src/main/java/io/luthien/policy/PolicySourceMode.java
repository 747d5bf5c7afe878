package io.luthien.policy;

import java.util.Locale;

/** {@code POLICY_SOURCE}: where a policy node takes its policy from. */
enum PolicySourceMode {
  /** {@code POLICY_CONFIG} only, re-read when it changes; the admin API cannot set a policy. */
  FILE,
  /** The database's active policy only ({@code NoOpPolicy} until one is set). */
  DB,
  /** The database's active policy once one is set, the file until then (the default). */
  DB_FALLBACK_FILE;

  static PolicySourceMode parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "file" -> FILE;
      case "db", "database" -> DB;
      case "db-fallback-file", "db_fallback_file" -> DB_FALLBACK_FILE;
      default ->
          throw new IllegalArgumentException(
              "POLICY_SOURCE='" + text + "' is not one of: file, db, db-fallback-file");
    };
  }

  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
