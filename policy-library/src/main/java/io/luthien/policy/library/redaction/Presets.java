package io.luthien.policy.library.redaction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shipped patterns, in priority order (where two start at the same place, the earlier wins), in
 * two groups: {@code secrets} (API keys and tokens, private keys, JWTs) and {@code pii} (email,
 * phone, credit card, IBAN, US SSN, IPv4). Every pattern is bounded, so a stream holds back little:
 * the longest is a PEM private key block, whose body is looked for within {@link #PEM_BODY_CAP}
 * characters (a 4096-bit RSA key's is about 3,200); a block that has no END line within that is
 * redacted from its BEGIN line to the end of its base64 lines.
 */
public final class Presets {

  /** The longest PEM body looked for between BEGIN and END lines. */
  public static final int PEM_BODY_CAP = 8192;

  private static final String NOT_AFTER_TOKEN = "(?<![A-Za-z0-9_-])";
  private static final String PEM_LABEL = "(?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY-----";

  private static final List<RedactionPattern> SECRETS =
      List.of(
          new RedactionPattern(
              "private_key",
              "-----BEGIN "
                  + PEM_LABEL
                  + "(?:[\\s\\S]{0,"
                  + PEM_BODY_CAP
                  + "}?-----END "
                  + PEM_LABEL
                  + "|[A-Za-z0-9+/=\\s:,.-]{0,"
                  + PEM_BODY_CAP
                  + "})",
              PEM_BODY_CAP + 2 * 80),
          new RedactionPattern(
              "jwt",
              NOT_AFTER_TOKEN
                  + "eyJ[A-Za-z0-9_-]{4,1000}\\.eyJ[A-Za-z0-9_-]{4,4000}\\.[A-Za-z0-9_-]{0,1000}",
              6010),
          new RedactionPattern(
              "anthropic_api_key", NOT_AFTER_TOKEN + "sk-ant-[A-Za-z0-9_-]{20,200}", 207),
          new RedactionPattern(
              "openai_api_key",
              NOT_AFTER_TOKEN
                  + "sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}|[A-Za-z0-9]{32,200})",
              211),
          new RedactionPattern(
              "github_token",
              "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})",
              266),
          new RedactionPattern(
              "slack_token", "(?<![A-Za-z0-9-])xox[abprs]-[A-Za-z0-9-]{10,250}", 255),
          new RedactionPattern("google_api_key", NOT_AFTER_TOKEN + "AIza[0-9A-Za-z_-]{35}", 39),
          new RedactionPattern(
              "aws_access_key_id", "(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])", 20));

  private static final List<RedactionPattern> PII =
      List.of(
          new RedactionPattern(
              "credit_card", "(?<![\\d-])(?:\\d[ -]?){12,18}\\d(?!\\d)", 37, Checksums::luhn),
          new RedactionPattern(
              "iban",
              "(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])",
              42,
              Checksums::iban),
          new RedactionPattern(
              "us_ssn",
              "(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])",
              11),
          new RedactionPattern(
              "email",
              "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@"
                  + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,8}[A-Za-z]{2,24}"
                  + "(?![A-Za-z0-9-])",
              601),
          new RedactionPattern(
              "phone",
              "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?\\(?\\d{1,4}\\)?(?:[ .-]?\\d{2,4}){2,4}"
                  + "|(?:\\(\\d{3}\\)|\\d{3})[ .-]?\\d{3}[ .-]?\\d{4})(?!\\w)",
              30),
          new RedactionPattern(
              "ipv4",
              "(?<!\\d|\\d\\.)(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
                  + "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?!\\d|\\.\\d)",
              15));

  private static final Map<String, List<RedactionPattern>> GROUPS =
      Map.of("secrets", SECRETS, "pii", PII);

  private Presets() {}

  /** The group names and the preset names, for a config's {@code presets}. */
  public static Set<String> names() {
    Map<String, Boolean> names = new LinkedHashMap<>();
    GROUPS.keySet().forEach(name -> names.put(name, true));
    all().forEach(pattern -> names.put(pattern.name(), true));
    return names.keySet();
  }

  /**
   * The presets {@code names} select (groups or single presets), in priority order; null if one is
   * unknown.
   */
  public static List<RedactionPattern> select(List<String> names) {
    for (String name : names) {
      if (!names().contains(name)) {
        return null;
      }
    }
    List<RedactionPattern> selected = new ArrayList<>();
    for (RedactionPattern pattern : all()) {
      boolean inGroup =
          GROUPS.entrySet().stream()
              .anyMatch(g -> names.contains(g.getKey()) && g.getValue().contains(pattern));
      if (inGroup || names.contains(pattern.name())) {
        selected.add(pattern);
      }
    }
    return List.copyOf(selected);
  }

  private static List<RedactionPattern> all() {
    List<RedactionPattern> all = new ArrayList<>(SECRETS);
    all.addAll(PII);
    return all;
  }
}
