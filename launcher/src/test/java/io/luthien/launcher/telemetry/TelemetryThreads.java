package io.luthien.launcher.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The threads the OTel SDK starts to export: batch processors, the periodic metric reader, the
 * OkHttp sender.
 */
final class TelemetryThreads {

  private static final List<String> PREFIXES =
      List.of("BatchSpanProcessor", "BatchLogRecordProcessor", "PeriodicMetricReader", "OkHttp");

  /** A thread's header line in {@code jcmd Thread.print}: {@code "name" #12 daemon prio=5 ...}. */
  private static final Pattern THREAD_HEADER =
      Pattern.compile("^\"(.*)\" #\\d+", Pattern.MULTILINE);

  private TelemetryThreads() {}

  /** The names of the exporter threads in a thread dump. */
  static List<String> namesIn(String threadDump) {
    Matcher header = THREAD_HEADER.matcher(threadDump);
    List<String> names = new ArrayList<>();
    while (header.find()) {
      String name = header.group(1);
      if (PREFIXES.stream().anyMatch(name::startsWith)) {
        names.add(name);
      }
    }
    return names;
  }
}
