/* guestkit: the --machine-readable channel and JSON message log. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/json.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/string-list.h"

bool gk_machine_readable;

static enum gk_machine_readable_dest destination;
static int dest_fd;
static char *dest_file;
static FILE *channel;

static bool
fd_is_open (int fd)
{
  return fcntl (fd, F_GETFD) != -1;
}

int
gk_machine_readable_parse (const char *arg,
                           struct gk_machine_readable_spec *spec,
                           char **errmsg)
{
  const char *colon, *value;

  *spec = (struct gk_machine_readable_spec) { .dest = GK_MR_STDOUT };
  *errmsg = NULL;
  if (arg == NULL || *arg == '\0')
    return 0;
  colon = strchr (arg, ':');
  if (colon == NULL) {
    *errmsg = xasprintf ("invalid format string for --machine-readable: %s",
                         arg);
    return -1;
  }
  value = colon + 1;
  if (STREQLEN (arg, "stream", colon - arg) && colon - arg == 6) {
    if (STREQ (value, "stdout"))
      spec->dest = GK_MR_STDOUT;
    else if (STREQ (value, "stderr"))
      spec->dest = GK_MR_STDERR;
    else {
      *errmsg = xasprintf ("invalid output stream for --machine-readable: "
                           "%s", arg);
      return -1;
    }
  }
  else if (STREQLEN (arg, "fd", colon - arg) && colon - arg == 2) {
    char *end;
    long fd;

    errno = 0;
    fd = strtol (value, &end, 10);
    if (errno || *value == '\0' || *end || fd < 0 || fd > 65535) {
      *errmsg = xasprintf ("invalid output fd for --machine-readable: %s",
                           arg);
      return -1;
    }
    spec->dest = GK_MR_FD;
    spec->fd = (int) fd;
  }
  else if (STREQLEN (arg, "file", colon - arg) && colon - arg == 4 &&
           *value != '\0') {
    spec->dest = GK_MR_FILE;
    spec->file = xstrdup (value);
  }
  else {
    *errmsg = xasprintf ("invalid output for --machine-readable: %s", arg);
    return -1;
  }
  return 0;
}

void
gk_machine_readable_set (const char *arg)
{
  struct gk_machine_readable_spec spec;
  CLEANUP_FREE char *errmsg = NULL;

  /* Turned on only once ARG is known to be good: the error about a bad
   * one belongs on stderr, not as JSON on a channel nobody asked for.
   */
  if (gk_machine_readable_parse (arg, &spec, &errmsg) == -1)
    gk_error ("%s", errmsg);
  if (spec.dest == GK_MR_FD && !fd_is_open (spec.fd))
    gk_error ("invalid output fd for --machine-readable: %s", arg);
  destination = spec.dest;
  dest_fd = spec.fd;
  free (dest_file);
  dest_file = spec.file;
  gk_machine_readable = true;
}

FILE *
gk_machine_readable_channel (void)
{
  if (channel)
    return channel;
  switch (destination) {
  case GK_MR_STDOUT: channel = stdout; break;
  case GK_MR_STDERR: channel = stderr; break;
  case GK_MR_FD:
    channel = fdopen (dest_fd, "w");
    if (channel == NULL)
      gk_error_errno ("--machine-readable: fdopen: %d", dest_fd);
    break;
  case GK_MR_FILE:
    channel = fopen (dest_file, "w");
    if (channel == NULL) {
      /* Report without recursing into the JSON log of this channel. */
      gk_machine_readable = false;
      gk_error_errno ("--machine-readable: %s", dest_file);
    }
    break;
  }
  return channel;
}

void
gk_machine_readable_printf (const char *fs, ...)
{
  va_list args;
  FILE *fp = gk_machine_readable_channel ();

  va_start (args, fs);
  vfprintf (fp, fs, args);
  va_end (args);
  fflush (fp);
}

char *
gk_rfc3339_timestamp (void)
{
  struct timespec ts;
  struct tm tm;
  char date[64], zone[48];
  long off;

  clock_gettime (CLOCK_REALTIME, &ts);
  localtime_r (&ts.tv_sec, &tm);
  strftime (date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  off = tm.tm_gmtoff / 60;
  snprintf (zone, sizeof zone, "%c%02ld:%02ld",
            off < 0 ? '-' : '+', labs (off) / 60, labs (off) % 60);
  return xasprintf ("%s.%09ld%s", date, ts.tv_nsec, zone);
}

void
gk_log_as_json (const char *type, const char *message)
{
  FILE *fp;
  CLEANUP_FREE char *ts = NULL;

  if (!gk_machine_readable)
    return;
  fp = gk_machine_readable_channel ();
  ts = gk_rfc3339_timestamp ();
  fputs ("{ \"message\": ", fp);
  gk_json_write_string (fp, message);
  fputs (", \"timestamp\": ", fp);
  gk_json_write_string (fp, ts);
  fputs (", \"type\": ", fp);
  gk_json_write_string (fp, type);
  fputs (" }\n", fp);
  fflush (fp);
}
