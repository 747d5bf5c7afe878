package io.luthien.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README and the pages under docs/ link to each other; a page or heading that moves must not
 * strand a link.
 */
class DocLinksTest {

  private static final int README_MAX_BYTES = 15 * 1024;

  @Test
  @DisplayName(
      "every relative link of the README, docs/ and bench/README.md opens a file that exists, at a heading it has")
  void relativeLinksResolve() {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (String page : MarkdownPages.pages()) {
      Path directory = RepoFiles.ROOT.resolve(page).getParent();
      for (String link : MarkdownPages.relativeLinks(page)) {
        checked++;
        int hash = link.indexOf('#');
        String file = hash < 0 ? link : link.substring(0, hash);
        Path target =
            file.isEmpty() ? RepoFiles.ROOT.resolve(page) : directory.resolve(file).normalize();
        String relative = RepoFiles.ROOT.relativize(target).toString();
        if (!Files.exists(target)) {
          broken.add(page + " → " + link + ": no " + relative);
        } else if (hash >= 0
            && !MarkdownPages.anchors(relative).contains(link.substring(hash + 1))) {
          broken.add(page + " → " + link + ": no such heading in " + relative);
        }
      }
    }
    assertThat(checked).as("links checked").isGreaterThan(20);
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  @DisplayName(
      "the README stays a newcomer's page: under 15 KB, with the two commands and a link to every page of docs/")
  void readmeIsShortAndPointsAtEveryPage() throws IOException {
    assertThat(Files.size(RepoFiles.path("README.md")))
        .as("README.md bytes")
        .isLessThan(README_MAX_BYTES);
    String readme = RepoFiles.read("README.md");
    assertThat(readme).contains("java -jar launcher/target/luthien-vertx.jar", "scripts/test");
    List<String> linked = MarkdownPages.relativeLinks("README.md");
    for (String page : MarkdownPages.pages()) {
      if (!page.equals("README.md")) {
        assertThat(linked).as("README links").contains(page);
      }
    }
  }
}
