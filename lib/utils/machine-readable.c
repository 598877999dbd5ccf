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

static enum { TO_STDOUT, TO_STDERR, TO_FD, TO_FILE } destination;
static int dest_fd;
static char *dest_file;
static FILE *channel;

static bool
fd_is_open (int fd)
{
  return fcntl (fd, F_GETFD) != -1;
}

void
gk_machine_readable_set (const char *arg)
{
  const char *colon, *value;

  /* Turned on only once ARG is known to be good: the error about a bad
   * one belongs on stderr, not as JSON on a channel nobody asked for.
   */
  if (arg == NULL || *arg == '\0') {
    destination = TO_STDOUT;
    gk_machine_readable = true;
    return;
  }
  colon = strchr (arg, ':');
  if (colon == NULL)
    gk_error ("invalid format string for --machine-readable: %s", arg);
  value = colon + 1;
  if (STREQLEN (arg, "stream", colon - arg) && colon - arg == 6) {
    if (STREQ (value, "stdout"))
      destination = TO_STDOUT;
    else if (STREQ (value, "stderr"))
      destination = TO_STDERR;
    else
      gk_error ("invalid output stream for --machine-readable: %s", arg);
  }
  else if (STREQLEN (arg, "fd", colon - arg) && colon - arg == 2) {
    char *end;
    long fd;

    errno = 0;
    fd = strtol (value, &end, 10);
    if (errno || *value == '\0' || *end || fd < 0 || fd > 65535
        || !fd_is_open ((int) fd))
      gk_error ("invalid output fd for --machine-readable: %s", arg);
    destination = TO_FD;
    dest_fd = (int) fd;
  }
  else if (STREQLEN (arg, "file", colon - arg) && colon - arg == 4) {
    if (*value == '\0')
      gk_error ("invalid output for --machine-readable: %s", arg);
    destination = TO_FILE;
    dest_file = xstrdup (value);
  }
  else
    gk_error ("invalid output for --machine-readable: %s", arg);
  gk_machine_readable = true;
}

FILE *
gk_machine_readable_channel (void)
{
  if (channel)
    return channel;
  switch (destination) {
  case TO_STDOUT: channel = stdout; break;
  case TO_STDERR: channel = stderr; break;
  case TO_FD:
    channel = fdopen (dest_fd, "w");
    if (channel == NULL)
      gk_error_errno ("--machine-readable: fdopen: %d", dest_fd);
    break;
  case TO_FILE:
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
