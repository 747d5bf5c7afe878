package io.luthien.policy.library.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code dangerous_commands} preset: shell commands that destroy a machine or a repository, run
 * code fetched from the network, or write secrets and SSH keys; and file-tool writes of {@code
 * .env} files and SSH keys. Commands are read from shell tools ({@link #SHELL_TOOLS}), paths from
 * file-writing tools ({@link #FILE_TOOLS}).
 */
public final class DangerousCommands {

  /** The preset's name in a policy's {@code preset} key. */
  public static final String NAME = "dangerous_commands";

  /** Claude Code, Codex, Gemini CLI, Cursor and common MCP shell tools. */
  public static final List<String> SHELL_TOOLS =
      List.of(
          "Bash",
          "shell",
          "exec_command",
          "local_shell",
          "container.exec",
          "run_command",
          "run_shell_command",
          "run_terminal_cmd",
          "terminal",
          "execute",
          "execute_command");

  /** Tools that write a file named in their arguments. */
  public static final List<String> FILE_TOOLS =
      List.of(
          "Write",
          "Edit",
          "MultiEdit",
          "NotebookEdit",
          "write_file",
          "edit_file",
          "create_file",
          "replace",
          "str_replace_editor",
          "str_replace_based_edit_tool",
          "apply_patch");

  private static final String FLAGS = "(?:-[a-zA-Z]+\\s+|--[a-z-]+\\s+)*";

  /** The whole system or home directory (or a top-level system directory), quoted or not. */
  private static final String ROOT_OR_HOME =
      "[\"']?(?:/(?:\\*|(?:bin|boot|dev|etc|home|lib|lib64|opt|root|sbin|srv|usr|var)/?\\*?)?"
          + "|~/?\\*?|\\$\\{?HOME\\}?/?\\*?)[\"']?(?=$|[\\s;&|)])";

  /** The words before the dangerous target: other operands, no command separator. */
  private static final String OTHER_OPERANDS = "(?:[^\\s;&|]+\\s+)*?";

  private static final String SSH_OR_ENV_FILE =
      "(?:\\S*/)?(?:\\.env(?!\\.(?:example|sample|template|dist)\\b)(?:\\.[\\w.-]+)?"
          + "|\\.ssh/\\S*|\\S*id_(?:rsa|dsa|ecdsa|ed25519)(?:\\.pub)?)[\"']?(?=$|[\\s;&|)])";

  private DangerousCommands() {}

  public static List<GuardRule> rules() {
    List<Glob> shells = SHELL_TOOLS.stream().map(Glob::of).toList();
    List<Glob> files = FILE_TOOLS.stream().map(Glob::of).toList();
    List<GuardRule> rules = new ArrayList<>();
    rules.add(
        command(
            shells,
            "rm_rf_root",
            "it deletes the whole system or home directory",
            "\\brm\\s+"
                + FLAGS
                + "(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)\\s+"
                + FLAGS
                + "(?:--\\s+)?"
                + OTHER_OPERANDS
                + ROOT_OR_HOME));
    rules.add(
        command(
            shells,
            "pipe_to_shell",
            "it runs a script downloaded from the network",
            "\\b(?:curl|wget)\\b[^;&|\\n]*\\|\\s*(?:sudo\\s+(?:-\\S+\\s+)*)?(?:env\\s+)?"
                + "(?:ba|z|da|k|fi)?sh\\b"
                + "|\\b(?:ba|z|da|k)?sh\\s+(?:-\\S+\\s+)*(?:<\\s*)?[\"']?(?:<\\(|\\$\\()\\s*(?:curl|wget)\\b"
                + "|\\bsource\\s+<\\(\\s*(?:curl|wget)\\b"));
    rules.add(
        command(
            shells,
            "chmod_777_root",
            "it makes the whole system or home directory writable by everyone",
            "\\bchmod\\s+"
                + FLAGS
                + "(?:0?777|a\\+rwx|ugo\\+rwx)\\s+"
                + OTHER_OPERANDS
                + ROOT_OR_HOME));
    rules.add(
        command(
            shells,
            "mkfs",
            "it formats a filesystem",
            "\\b(?:mkfs(?:\\.[a-z0-9]+)?|mke2fs|wipefs)\\b"));
    rules.add(
        command(
            shells,
            "write_disk_device",
            "it overwrites a disk device",
            "\\bdd\\b[^;&|\\n]*\\bof=/dev/(?:sd|hd|vd|xvd|nvme|mmcblk|disk|rdisk|mapper/)"
                + "|>\\s*/dev/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\\d|mmcblk\\d|disk\\d|rdisk\\d)"));
    rules.add(
        command(
            shells,
            "fork_bomb",
            "it is a fork bomb",
            "(:|\\b\\w+)\\s*\\(\\)\\s*\\{\\s*\\1\\s*\\|\\s*\\1\\s*&\\s*\\}\\s*;?\\s*\\1"));
    rules.add(
        command(
            shells,
            "force_push_main",
            "it force-pushes to main or master",
            "\\bgit\\s+(?:-\\S+\\s+)*push\\b"
                + "(?=[^;&|\\n]*\\s(?:--force\\b|--force-with-lease\\b|-[a-zA-Z]*f[a-zA-Z]*\\b|\\+))"
                + "(?=[^;&|\\n]*[\\s:+](?:refs/heads/)?(?:main|master)\\b)"));
    rules.add(
        command(
            shells,
            "write_secret_file",
            "it writes a .env file, ~/.ssh or an SSH key",
            "(?:>>?|\\btee\\s+(?:-\\S+\\s+)*|\\b(?:cp|mv|install|ln)\\s+(?:-\\S+\\s+)*\\S+\\s+)\\s*[\"']?"
                + SSH_OR_ENV_FILE));
    rules.add(
        new GuardRule(
            NAME + ":write_secret_file",
            "it writes a .env file, ~/.ssh or an SSH key",
            files,
            GuardRule.Subject.PATH,
            Pattern.compile(
                "(?:^|/)(?:\\.env(?!\\.(?:example|sample|template|dist)$)(?:\\.[^/]+)?"
                    + "|id_(?:rsa|dsa|ecdsa|ed25519)(?:\\.pub)?)$"
                    + "|(?:^|/)\\.ssh(?:/|$)")));
    return List.copyOf(rules);
  }

  private static GuardRule command(List<Glob> tools, String id, String reason, String regex) {
    return new GuardRule(
        NAME + ":" + id, reason, tools, GuardRule.Subject.COMMAND, Pattern.compile(regex));
  }
}
