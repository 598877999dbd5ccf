/* virt-sysprep's tests: plant files in a guest and read its tree back,
 * in one appliance launch.  Written against libguestfs directly, so
 * that what virt-sysprep did is checked by code that is not its own.
 *
 * Usage: test-guest-tree IMAGE FORMAT COMMAND...
 *   plant:PATH=CONTENT   write CONTENT (\n decoded) to PATH, parents made
 *   append:PATH=CONTENT  the same, appended
 *   list                 "L PATH" for every path of the guest's tree
 *   cat:PATH             "C PATH CONTENT" (newlines as \n), or
 *                        "C PATH (missing)"
 *   sha:PATH             "H PATH SHA256" or "H PATH (missing)"
 *   stat:PATH            "S PATH MODE UID GID SIZE" (mode in octal), or
 *                        "S PATH (missing)"
 * The guest is mounted read-write only if a plant: or append: command
 * is given.
 * Exit 1 on any failure.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <guestfs.h>

static guestfs_h *g;

static void __attribute__ ((noreturn))
die (const char *what)
{
  fprintf (stderr, "test-guest-tree: %s: %s\n", what,
           guestfs_last_error (g) ? guestfs_last_error (g) : "failed");
  exit (EXIT_FAILURE);
}

/* Counted like the tools' launches (tests/timed-test.sh). */
static void
count_launch (void)
{
  const char *log = getenv ("GUESTKIT_LAUNCH_LOG");
  FILE *fp;

  if (log && *log && (fp = fopen (log, "a")) != NULL) {
    fputs ("launch\n", fp);
    fclose (fp);
  }
}

static void
mount_guest (const char *root, bool rw)
{
  char **mps = guestfs_inspect_get_mountpoints (g, root);
  size_t maxlen = 0;

  if (mps == NULL)
    die ("inspect_get_mountpoints");
  for (size_t i = 0; mps[i]; i += 2)
    if (strlen (mps[i]) > maxlen)
      maxlen = strlen (mps[i]);
  for (size_t len = 1; len <= maxlen; ++len)
    for (size_t i = 0; mps[i]; i += 2)
      if (strlen (mps[i]) == len &&
          (rw ? guestfs_mount (g, mps[i + 1], mps[i])
              : guestfs_mount_ro (g, mps[i + 1], mps[i])) == -1)
        die (mps[i]);
  for (size_t i = 0; mps[i]; ++i)
    free (mps[i]);
  free (mps);
}

static void
print_escaped (const char *s, size_t n)
{
  for (size_t i = 0; i < n; ++i) {
    if (s[i] == '\n')
      fputs ("\\n", stdout);
    else if (s[i] == '\\')
      fputs ("\\\\", stdout);
    else
      putchar (s[i]);
  }
}

static void
plant (const char *arg, bool append)
{
  const char *eq = strchr (arg, '=');
  char *path, *dir, *content, *o;

  if (eq == NULL) {
    fprintf (stderr, "test-guest-tree: plant:%s: no '='\n", arg);
    exit (EXIT_FAILURE);
  }
  path = strndup (arg, eq - arg);
  dir = strdup (path);
  *strrchr (dir, '/') = '\0';
  if (dir[0] && guestfs_mkdir_p (g, dir) == -1)
    die (dir);
  content = o = malloc (strlen (eq) + 1);
  for (const char *s = eq + 1; *s; ++s) {
    if (s[0] == '\\' && s[1] == 'n') {
      *o++ = '\n';
      ++s;
    }
    else
      *o++ = *s;
  }
  if ((append ? guestfs_write_append (g, path, content, o - content)
              : guestfs_write (g, path, content, o - content)) == -1)
    die (path);
  free (path);
  free (dir);
  free (content);
}

static void
command (const char *cmd)
{
  const char *path;
  int exists;

  if (strncmp (cmd, "plant:", 6) == 0) {
    plant (cmd + 6, false);
    return;
  }
  if (strncmp (cmd, "append:", 7) == 0) {
    plant (cmd + 7, true);
    return;
  }
  if (strcmp (cmd, "list") == 0) {
    char **names = guestfs_find (g, "/");

    if (names == NULL)
      die ("find /");
    for (size_t i = 0; names[i]; ++i) {
      printf ("L /%s\n", names[i]);
      free (names[i]);
    }
    free (names);
    return;
  }
  path = strchr (cmd, ':');
  if (path == NULL) {
    fprintf (stderr, "test-guest-tree: unknown command %s\n", cmd);
    exit (EXIT_FAILURE);
  }
  path++;
  guestfs_push_error_handler (g, NULL, NULL);
  exists = guestfs_exists (g, path);
  guestfs_pop_error_handler (g);
  if (exists != 1) {
    printf ("%c %s (missing)\n",
            cmd[0] == 'c' ? 'C' : cmd[1] == 'h' ? 'H' : 'S', path);
    return;
  }
  if (strncmp (cmd, "cat:", 4) == 0) {
    size_t n;
    char *s = guestfs_read_file (g, cmd + 4, &n);

    if (s == NULL)
      die (cmd);
    printf ("C %s ", cmd + 4);
    print_escaped (s, n);
    putchar ('\n');
    free (s);
  }
  else if (strncmp (cmd, "sha:", 4) == 0) {
    char *h = guestfs_checksum (g, "sha256", cmd + 4);

    if (h == NULL)
      die (cmd);
    printf ("H %s %s\n", cmd + 4, h);
    free (h);
  }
  else if (strncmp (cmd, "stat:", 5) == 0) {
    struct guestfs_statns *st = guestfs_lstatns (g, cmd + 5);

    if (st == NULL)
      die (cmd);
    printf ("S %s %o %ld %ld %ld\n", cmd + 5,
            (unsigned) (st->st_mode & 07777), (long) st->st_uid,
            (long) st->st_gid, (long) st->st_size);
    guestfs_free_statns (st);
  }
  else {
    fprintf (stderr, "test-guest-tree: unknown command %s\n", cmd);
    exit (EXIT_FAILURE);
  }
}

int
main (int argc, char *argv[])
{
  bool rw = false;
  char **roots;

  if (argc < 4) {
    fprintf (stderr, "usage: test-guest-tree IMAGE FORMAT COMMAND...\n");
    exit (EXIT_FAILURE);
  }
  for (int i = 3; i < argc; ++i)
    if (strncmp (argv[i], "plant:", 6) == 0 ||
        strncmp (argv[i], "append:", 7) == 0)
      rw = true;
  g = guestfs_create ();
  if (g == NULL)
    exit (EXIT_FAILURE);
  /* The appliance cache is shared (/var/tmp), as the tools share it,
   * not rebuilt in each test's private $TMPDIR.
   */
  if (getenv ("LIBGUESTFS_CACHEDIR") == NULL &&
      guestfs_set_cachedir (g, "/var/tmp") == -1)
    die ("set_cachedir");
  if (guestfs_add_drive_opts (g, argv[1],
                              GUESTFS_ADD_DRIVE_OPTS_FORMAT, argv[2],
                              GUESTFS_ADD_DRIVE_OPTS_READONLY, !rw,
                              -1) == -1)
    die (argv[1]);
  count_launch ();
  if (guestfs_launch (g) == -1)
    die ("launch");
  roots = guestfs_inspect_os (g);
  if (roots == NULL || roots[0] == NULL)
    die ("no operating system");
  mount_guest (roots[0], rw);
  for (int i = 3; i < argc; ++i)
    command (argv[i]);
  if (guestfs_shutdown (g) == -1)
    die ("shutdown");
  guestfs_close (g);
  return 0;
}
