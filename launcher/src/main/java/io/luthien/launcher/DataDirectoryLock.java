package io.luthien.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One node per {@code LUTHIEN_DATA_DIR}: held while the node's embedded PostgreSQL runs, so that a
 * second node on the same directory is refused with a reason instead of the database's own "could
 * not lock" failure. The operating system releases it when the holder dies, so a killed node leaves
 * no stale lock.
 */
final class DataDirectoryLock implements AutoCloseable {

  static final String FILE_NAME = "luthien.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DataDirectoryLock acquire(Path directory) throws IOException {
    Files.createDirectories(directory);
    FileChannel channel =
        FileChannel.open(
            directory.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new StartProblem(
          "another luthien node is using the data directory "
              + directory
              + " (LUTHIEN_DATA_DIR): "
              + "stop it, or give this node a LUTHIEN_DATA_DIR of its own (or a shared PostgreSQL in DATABASE_URL)",
          null);
    }
    return new DataDirectoryLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
