package io.luthien.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * A generated password kept in a file only the node's user can read (mode 0600): created at the
 * first start, read at every later one. Letters and digits only, so it goes into a URL and a SQL
 * literal as it is.
 */
final class PasswordFile {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int LENGTH = 32;
  private static final SecureRandom random = new SecureRandom();

  private PasswordFile() {}

  static String readOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.writeString(
            Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
            generate() + "\n",
            StandardCharsets.UTF_8);
      } catch (FileAlreadyExistsException createdMeanwhile) {
        // read below
      }
    }
    // An older or copied file may have looser permissions: the password is only as secret as it.
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  private static String generate() {
    StringBuilder password = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }
}
