/* guestkit: progress bars for people and progress lines for programs. */
#include <config.h>

#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/progress.h"

#define REDRAW_INTERVAL 0.1     /* seconds: faster redraws only flicker */
#define ETA_AFTER 3.0           /* seconds before guessing the time left */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static double start, last_draw;
static uint64_t last_pos = UINT64_MAX, last_total;
static unsigned spinner;
static FILE *tty;
static bool drawn;
volatile sig_atomic_t gk_progress_line_open;

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

bool
gk_progress_enabled (void)
{
  return !gk_quiet && (gk_machine_readable || isatty (STDOUT_FILENO));
}

static int
terminal_width (void)
{
  struct winsize ws;

  if (tty && ioctl (fileno (tty), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

static void
format_time_left (double elapsed, uint64_t pos, uint64_t total, char *buf)
{
  double left;

  if (elapsed < ETA_AFTER || pos == 0) {
    strcpy (buf, "--:--");
    return;
  }
  left = elapsed * (double) (total - pos) / (double) pos;
  if (left >= 100 * 3600)
    snprintf (buf, 16, ">%dh", (int) (left / 3600));
  else if (left >= 100 * 60)
    snprintf (buf, 16, "%02dh%02d", (int) (left / 3600),
              (int) (left / 60) % 60);
  else
    snprintf (buf, 16, "%02d:%02d", (int) (left / 60), (int) left % 60);
}

static void
draw_bar (uint64_t pos, uint64_t total, double t)
{
  static const char spin[] = "/-\\|";
  int cols = terminal_width ();
  int width = cols - 20;
  double ratio = total ? (double) pos / (double) total : 0;
  char eta[16];
  int filled;

  if (width < 10) {
    /* Too narrow to draw: fall back to plain lines. */
    printf ("%" PRIu64 "/%" PRIu64 "\n", pos, total);
    fflush (stdout);
    return;
  }
  if (ratio > 1)
    ratio = 1;
  filled = (int) (ratio * width);
  format_time_left (t - start, pos, total, eta);
  fprintf (tty, "\r%c %3d%% [", pos >= total ? ' ' : spin[spinner++ % 4],
           (int) (ratio * 100));
  for (int i = 0; i < width; ++i)
    fputc (i < filled ? '#' : '-', tty);
  fprintf (tty, "] %s", pos >= total ? "     " : eta);
  fflush (tty);
  drawn = true;
  gk_progress_line_open = isatty (STDERR_FILENO);
}

void
gk_progress_reset (void)
{
  pthread_mutex_lock (&lock);
  start = now ();
  last_draw = 0;
  last_pos = UINT64_MAX;
  last_total = 0;
  pthread_mutex_unlock (&lock);
}

static void
update_locked (uint64_t pos, uint64_t total, bool force)
{
  double t = now ();

  if (pos == last_pos && total == last_total)
    return;
  if (!force && t - last_draw < REDRAW_INTERVAL && pos < total)
    return;
  last_draw = t;
  last_pos = pos;
  last_total = total;
  if (gk_machine_readable) {
    printf ("%" PRIu64 "/%" PRIu64 "\n", pos, total);
    fflush (stdout);
    return;
  }
  if (tty == NULL) {
    tty = fopen ("/dev/tty", "w");
    if (tty == NULL)
      tty = stdout;
  }
  draw_bar (pos, total, t);
}

void
gk_progress_update (uint64_t pos, uint64_t total)
{
  if (!gk_progress_enabled () || total == 0)
    return;
  pthread_mutex_lock (&lock);
  if (start == 0)
    start = now ();
  update_locked (pos, total, false);
  pthread_mutex_unlock (&lock);
}

void
gk_progress_end_line (void)
{
  pthread_mutex_lock (&lock);
  if (drawn && tty) {
    fputc ('\n', tty);
    fflush (tty);
  }
  drawn = false;
  gk_progress_line_open = 0;
  pthread_mutex_unlock (&lock);
}

void
gk_progress_finish (void)
{
  if (!gk_progress_enabled ())
    return;
  pthread_mutex_lock (&lock);
  if (last_total > 0 && last_pos != last_total)
    update_locked (last_total, last_total, true);
  if (drawn && tty) {
    fputc ('\n', tty);
    fflush (tty);
  }
  drawn = false;
  gk_progress_line_open = 0;
  last_pos = UINT64_MAX;
  last_total = 0;
  pthread_mutex_unlock (&lock);
}
