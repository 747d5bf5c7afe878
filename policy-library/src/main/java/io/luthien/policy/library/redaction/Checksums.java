package io.luthien.policy.library.redaction;

import java.math.BigInteger;
import java.util.Locale;

/** The check digits that tell a card or account number from any run of digits. */
public final class Checksums {

  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  private Checksums() {}

  /** Whether the digits of {@code text} (other characters ignored) pass the Luhn check. */
  public static boolean luhn(String text) {
    int sum = 0;
    int digits = 0;
    for (int i = text.length() - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int digit = c - '0';
      if (digits++ % 2 == 1) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
    }
    return digits > 0 && sum % 10 == 0;
  }

  /**
   * Whether {@code text} (spaces ignored) is an IBAN whose check digits hold (ISO 13616, mod 97).
   */
  public static boolean iban(String text) {
    String iban = text.replace(" ", "").toUpperCase(Locale.ROOT);
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    StringBuilder digits = new StringBuilder(rearranged.length() * 2);
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (c >= 'A' && c <= 'Z') {
        digits.append(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
  }
}
