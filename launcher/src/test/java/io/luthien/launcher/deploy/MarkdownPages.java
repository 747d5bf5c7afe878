package io.luthien.launcher.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository's Markdown pages: the anchors GitHub gives their headings, and the relative links
 * they hold.
 */
final class MarkdownPages {

  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
  private static final Pattern EXTERNAL = Pattern.compile("^(https?|mailto):.*");

  private MarkdownPages() {}

  /**
   * README.md, every page under docs/, and bench/README.md, as paths relative to the repository.
   */
  static List<String> pages() {
    List<String> pages = new ArrayList<>(List.of("README.md", "bench/README.md"));
    try (Stream<Path> docs = Files.list(RepoFiles.ROOT.resolve("docs"))) {
      docs.filter(file -> file.toString().endsWith(".md"))
          .sorted()
          .forEach(file -> pages.add(RepoFiles.ROOT.relativize(file).toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  /**
   * GitHub's anchors for the page's headings (outside code blocks): lower case, punctuation
   * dropped, spaces as hyphens, and {@code -1}, {@code -2}, … for a heading text seen before.
   */
  static Set<String> anchors(String page) {
    Set<String> anchors = new TreeSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose(page)) {
      if (line.startsWith("#")) {
        String slug =
            line.replaceFirst("^#+\\s*", "")
                .trim()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
        int repeats = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
      }
    }
    return anchors;
  }

  /**
   * The targets of the page's links into the repository: {@code path}, {@code path#anchor} or
   * {@code #anchor}.
   */
  static List<String> relativeLinks(String page) {
    List<String> links = new ArrayList<>();
    for (String line : prose(page)) {
      Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll("code"));
      while (link.find()) {
        if (!EXTERNAL.matcher(link.group(1)).matches()) {
          links.add(link.group(1));
        }
      }
    }
    return links;
  }

  /**
   * The page's lines outside fenced code blocks (a {@code # comment} in a shell example is not a
   * heading).
   */
  private static List<String> prose(String page) {
    List<String> lines = new ArrayList<>();
    boolean code = false;
    for (String line : RepoFiles.read(page).split("\n", -1)) {
      if (line.startsWith("```")) {
        code = !code;
      } else if (!code) {
        lines.add(line);
      }
    }
    return lines;
  }
}
