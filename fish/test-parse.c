/* guestfish: unit tests of the syntax (parse.c) and of the argument
 * conversions (args.c).  No appliance.
 */
#include <config.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utils/string-list.h"
#include "utils/tap.h"
#include "args.h"
#include "parse.h"

/* Parse LINE and compare its words, joined with "|", to EXPECTED. */
static void
words_are (const char *line, const char *expected)
{
  struct fish_line l;
  char *errmsg = NULL;

  if (fish_parse_line (line, &l, &errmsg) == -1) {
    ok (false, "%s parses", line);
    printf ("#   error: %s\n", errmsg);
    free (errmsg);
    return;
  }
  {
    char *joined = gk_join_strings ("|", l.words);
    ok (strcmp (joined, expected) == 0, "[%s] is %s", line, expected)
      || printf ("#   got: %s\n", joined);
    free (joined);
  }
  fish_line_free (&l);
}

static void
error_is (const char *line, const char *expected)
{
  struct fish_line l;
  char *errmsg = NULL;

  if (fish_parse_line (line, &l, &errmsg) == 0) {
    ok (false, "[%s] is an error", line);
    fish_line_free (&l);
    return;
  }
  is_str (errmsg, expected, line);
  free (errmsg);
}

static void
test_lines (void)
{
  struct fish_line l;
  char *errmsg = NULL;

  words_are ("mount /dev/sda1 /", "mount|/dev/sda1|/");
  words_are ("  echo   a\tb  ", "echo|a|b");
  words_are ("echo 'a b' \"c d\"", "echo|a b|c d");
  words_are ("echo '' \"\"", "echo||");
  words_are ("echo 'no \\n escapes'", "echo|no \\n escapes");
  words_are ("echo \"\\a\\b\\f\\n\\r\\t\\v\"", "echo|\a\b\f\n\r\t\v");
  words_are ("echo \"\\\"\\'\\?\\\\\"", "echo|\"'?\\");
  words_are ("echo \"\\101\\x42\\103\"", "echo|ABC");
  words_are ("echo a#b", "echo|a#b");
  error_is ("echo \"abc", "unterminated double quote");
  error_is ("echo 'abc", "unterminated single quote");
  error_is ("echo 'a'b", "command arguments not separated by whitespace");
  error_is ("echo \"\\q\"",
            "invalid escape sequence in double-quoted string: \\q");
  error_is ("echo \"\\xZZ\"",
            "invalid escape sequence in double-quoted string: \\x");
  error_is ("-", "empty command after -");

  ok (fish_parse_line ("   # a comment", &l, &errmsg) == 0 &&
      l.kind == FISH_LINE_EMPTY, "a comment is an empty line");
  ok (fish_parse_line ("", &l, &errmsg) == 0 && l.kind == FISH_LINE_EMPTY,
      "an empty line");

  ok (fish_parse_line ("!ls -l | wc", &l, &errmsg) == 0 &&
      l.kind == FISH_LINE_SHELL && strcmp (l.shell, "ls -l | wc") == 0,
      "!shell keeps the rest of the line");
  fish_line_free (&l);
  ok (fish_parse_line ("<!echo run", &l, &errmsg) == 0 &&
      l.kind == FISH_LINE_INCLUDE && strcmp (l.shell, "echo run") == 0,
      "<!include");
  fish_line_free (&l);
  ok (fish_parse_line ("-mount /dev/sda1 /", &l, &errmsg) == 0 &&
      l.tolerate && strcmp (l.words[0], "mount") == 0,
      "-cmd tolerates failure");
  fish_line_free (&l);
  ok (fish_parse_line ("cat /etc/passwd | grep root | wc -l", &l,
                       &errmsg) == 0 &&
      gk_count_strings (l.words) == 2 && l.pipe &&
      strcmp (l.pipe, " grep root | wc -l") == 0,
      "| takes the rest of the line to the host's shell");
  fish_line_free (&l);
}

static void
test_tilde (void)
{
  char *s;

  setenv ("HOME", "/home/fishtest", 1);
  words_are ("lcd ~", "lcd|/home/fishtest");
  words_are ("lcd ~/x/y", "lcd|/home/fishtest/x/y");
  words_are ("lcd '~/x'", "lcd|~/x");
  words_are ("lcd a~", "lcd|a~");
  s = fish_expand_tilde ("~root/z");
  is_str (s, "/root/z", "~root/z");
  free (s);
  s = fish_expand_tilde ("~no-such-user-here/z");
  is_str (s, "~no-such-user-here/z", "an unknown user is left alone");
  free (s);
}

static void
test_argv (void)
{
  char *argv[] = { "echo", "a", ":", "-mount", "x", "y", ":", "quit" };
  char *bad1[] = { "echo", ":", ":", "quit" };
  char *bad2[] = { "echo", ":" };
  char *errmsg = NULL;
  struct fish_line *lines;
  size_t n = 0;

  lines = fish_split_argv (8, argv, &n, &errmsg);
  ok (lines && n == 3, "three commands split at :");
  if (lines && n == 3) {
    ok (gk_count_strings (lines[0].words) == 2 && !lines[0].tolerate,
        "echo a");
    ok (lines[1].tolerate && strcmp (lines[1].words[0], "mount") == 0 &&
        gk_count_strings (lines[1].words) == 3, "-mount x y");
    ok (strcmp (lines[2].words[0], "quit") == 0, "quit");
  }
  for (size_t i = 0; i < n; ++i)
    fish_line_free (&lines[i]);
  free (lines);
  ok (fish_split_argv (4, bad1, &n, &errmsg) == NULL, ": : is an error");
  is_str (errmsg, "empty command on command line", "its message");
  free (errmsg);
  errmsg = NULL;
  ok (fish_split_argv (2, bad2, &n, &errmsg) == NULL,
      "a trailing : is an error");
  free (errmsg);
}

static void
test_bool (void)
{
  const char *yes[] = { "true", "TRUE", "t", "yes", "Y", "on", "1" };
  const char *no[] = { "false", "f", "No", "n", "off", "0" };
  const char *bad[] = { "", "maybe", "2", "truee", "-1" };
  char *errmsg = NULL;
  int v;

  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; ++i)
    ok (fish_parse_bool (yes[i], &v, &errmsg) == 0 && v == 1, "%s is true",
        yes[i]);
  for (size_t i = 0; i < sizeof no / sizeof no[0]; ++i)
    ok (fish_parse_bool (no[i], &v, &errmsg) == 0 && v == 0, "%s is false",
        no[i]);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    ok (fish_parse_bool (bad[i], &v, &errmsg) == -1, "‘%s’ is refused",
        bad[i]);
    free (errmsg);
    errmsg = NULL;
  }
}

static void
test_int (void)
{
  static const struct { const char *s; int64_t v; } good[] = {
    { "0", 0 }, { "42", 42 }, { "-7", -7 }, { "0x10", 16 }, { "010", 8 },
    { "1k", 1024 }, { "1K", 1024 }, { "1KiB", 1024 }, { "1KB", 1000 },
    { "2M", 2 << 20 }, { "1G", INT64_C (1) << 30 },
    { "3T", INT64_C (3) << 40 }, { "1MB", 1000000 },
    { "1E", INT64_C (1) << 60 }, { "7E", INT64_C (7) << 60 },
    { "9223372036854775807", INT64_MAX },
  };
  static const char *const bad[] = {
    "", "abc", "12abc", "1Q", "1m", "1e", "1KX", "8E", "1Z", "99999999999999999999",
    " 1", "1 ",
  };
  char *errmsg = NULL;
  int64_t v;
  int i32;

  for (size_t i = 0; i < sizeof good / sizeof good[0]; ++i)
    ok (fish_parse_int64 (good[i].s, &v, &errmsg) == 0 && v == good[i].v,
        "%s is %" PRIi64, good[i].s, good[i].v);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    ok (fish_parse_int64 (bad[i], &v, &errmsg) == -1, "‘%s’ is refused",
        bad[i]);
    free (errmsg);
    errmsg = NULL;
  }
  ok (fish_parse_int ("2147483647", &i32, &errmsg) == 0 && i32 == INT32_MAX,
      "Int: 2147483647");
  ok (fish_parse_int ("-2147483648", &i32, &errmsg) == 0 &&
      i32 == INT32_MIN, "Int: -2147483648");
  ok (fish_parse_int ("2G", &i32, &errmsg) == -1, "Int: 2G is out of range");
  is_str (errmsg, "‘2G’ is out of range", "its message");
  free (errmsg);
  errmsg = NULL;
  ok (fish_parse_int ("1G", &i32, &errmsg) == 0 && i32 == 1 << 30,
      "Int: 1G");
  ok (fish_parse_int ("x", &i32, &errmsg) == -1, "Int: x");
  is_str (errmsg, "‘x’ is not a number", "its message");
  free (errmsg);
}

static void
test_string_list (void)
{
  char *errmsg = NULL;
  char **l;
  char *j;

  l = fish_parse_string_list ("/dev/sda1 /dev/sdb1", &errmsg);
  j = gk_join_strings ("|", l);
  is_str (j, "/dev/sda1|/dev/sdb1", "two elements");
  free (j);
  gk_free_string_list (l);
  l = fish_parse_string_list ("  a  'b c' \"d e\"  ", &errmsg);
  j = gk_join_strings ("|", l);
  is_str (j, "a|b c|d e", "quoted elements");
  free (j);
  gk_free_string_list (l);
  l = fish_parse_string_list ("", &errmsg);
  ok (l && l[0] == NULL, "an empty list");
  gk_free_string_list (l);
  ok (fish_parse_string_list ("a 'b", &errmsg) == NULL,
      "an unterminated quote");
  free (errmsg);
}

int
main (void)
{
  test_lines ();
  test_tilde ();
  test_argv ();
  test_bool ();
  test_int ();
  test_string_list ();
  return tap_done ();
}
