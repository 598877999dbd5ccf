/* guestfish: event, delete-event and list-events (fish.h): host shell
 * scripts run on libguestfs events.
 *
 * As upstream: the script runs with "$SHELL -c" (or /bin/sh), the
 * event's name in $EVENT, and the event's details as arguments: its
 * message as $1 when it has one (trace, appliance, library, warning),
 * then its numbers (a progress event's $1..$4 are the call, its serial,
 * the position and the total).  guestfish waits for the script.
 *
 * The handlers are kept in the order they were registered (list-events
 * shows them so), and belong to guestfish rather than to one handle:
 * reopen registers them again on the new handle.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/json.h"
#include "utils/string-list.h"
#include "utils/vector.h"
#include "fish.h"

struct handler {
  char *name;
  char *script;
  uint64_t events;
  int eh;                       /* from guestfs_set_event_callback */
};
DEFINE_VECTOR_TYPE (handler_list, struct handler *);
static handler_list handlers = empty_vector;

/* libguestfs's event names, in its bit order. */
static const struct { const char *name; uint64_t bit; } event_names[] = {
  { "close", GUESTFS_EVENT_CLOSE },
  { "subprocess_quit", GUESTFS_EVENT_SUBPROCESS_QUIT },
  { "launch_done", GUESTFS_EVENT_LAUNCH_DONE },
  { "progress", GUESTFS_EVENT_PROGRESS },
  { "appliance", GUESTFS_EVENT_APPLIANCE },
  { "library", GUESTFS_EVENT_LIBRARY },
  { "trace", GUESTFS_EVENT_TRACE },
  { "enter", GUESTFS_EVENT_ENTER },
  { "libvirt_auth", GUESTFS_EVENT_LIBVIRT_AUTH },
#ifdef GUESTFS_EVENT_WARNING
  { "warning", GUESTFS_EVENT_WARNING },
#endif
};
#define NR_EVENT_NAMES (sizeof event_names / sizeof event_names[0])

/* "*", or names separated by commas.  A name may be shortened, as
 * upstream allows ("launch" is launch_done): the first event it starts
 * is taken.  0, or -1 after an error.
 */
static int
parse_event_set (const char *arg, uint64_t *events)
{
  if (STREQ (arg, "*")) {
    *events = GUESTFS_EVENT_ALL;
    return 0;
  }
  *events = 0;
  for (const char *p = arg; ; ) {
    size_t n = strcspn (p, ",");
    size_t i;

    for (i = 0; i < NR_EVENT_NAMES; ++i)
      if (n > 0 && strncmp (p, event_names[i].name, n) == 0)
        break;
    if (i == NR_EVENT_NAMES) {
      CLEANUP_FREE char *names = NULL;
      const char *list[NR_EVENT_NAMES + 1];

      for (i = 0; i < NR_EVENT_NAMES; ++i)
        list[i] = event_names[i].name;
      list[NR_EVENT_NAMES] = NULL;
      names = gk_join_strings (", ", (char **) list);
      fish_error ("event: ‘%.*s’ is not an event (%s, or * for all)",
                  (int) n, p, names);
      return -1;
    }
    *events |= event_names[i].bit;
    if (p[n] == '\0')
      return 0;
    p += n + 1;
  }
}

static void
run_handler (guestfs_h *g, void *opaque, uint64_t event, int event_handle,
             int flags, const char *buf, size_t buf_len,
             const uint64_t *array, size_t array_len)
{
  const struct handler *h = opaque;
  CLEANUP_FREE char *event_name = guestfs_event_to_string (event);
  CLEANUP_FREE char *message = buf ? xstrndup (buf, buf_len) : NULL;
  const char *shell = getenv ("SHELL");
  string_vector args = empty_vector;
  pid_t pid;

  (void) g;
  (void) event_handle;
  (void) flags;
  if (shell == NULL || *shell == '\0')
    shell = "/bin/sh";
  /* Built before the fork: the child only execs. */
  string_vector_append (&args, xstrdup (shell));
  string_vector_append (&args, xstrdup ("-c"));
  string_vector_append (&args, xstrdup (h->script));
  string_vector_append (&args, xstrdup (""));       /* $0 */
  if (message)
    string_vector_append (&args, xstrdup (message));
  for (size_t i = 0; i < array_len; ++i)
    string_vector_append (&args, xasprintf ("%" PRIu64, array[i]));
  string_vector_append (&args, NULL);

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid == -1)
    fish_error ("event %s: fork: %s", h->name, strerror (errno));
  else if (pid == 0) {
    if (event_name)
      setenv ("EVENT", event_name, 1);
    execvp (args.ptr[0], args.ptr);
    fprintf (stderr, "%s: %s\n", args.ptr[0], strerror (errno));
    _exit (127);
  }
  else {
    while (waitpid (pid, NULL, 0) == -1 && errno == EINTR)
      ;
  }
  gk_free_string_list (args.ptr);
}

static int
attach (guestfs_h *g, struct handler *h)
{
  h->eh = guestfs_set_event_callback (g, run_handler, h->events, 0, h);
  return h->eh == -1 ? -1 : 0;
}

int
fish_event (char *const *words)
{
  struct handler *h;
  uint64_t events;

  if (fish_check_argc (words, 3, 3) == -1)
    return -1;
  if (parse_event_set (words[2], &events) == -1)
    return -1;
  h = xmalloc (sizeof *h);
  h->name = xstrdup (words[1]);
  h->script = xstrdup (words[3]);
  h->events = events;
  if (attach (fish.g, h) == -1) {
    free (h->name);
    free (h->script);
    free (h);
    return -1;
  }
  handler_list_append (&handlers, h);
  return 0;
}

static void
handler_free (struct handler *h)
{
  free (h->name);
  free (h->script);
  free (h);
}

int
fish_delete_event (char *const *words)
{
  bool found = false;

  if (fish_check_argc (words, 1, 1) == -1)
    return -1;
  for (size_t i = 0; i < handlers.len; ) {
    struct handler *h = handlers.ptr[i];

    if (STRNEQ (h->name, words[1])) {
      i++;
      continue;
    }
    guestfs_delete_event_callback (fish.g, h->eh);
    handler_free (h);
    handler_list_remove (&handlers, i);
    found = true;
  }
  if (!found) {
    fish_error ("delete-event: %s: no such event handler", words[1]);
    return -1;
  }
  return 0;
}

/* --json: [{"name": ..., "handle": N, "events": [...], "script": ...}] */
static void
list_events_json (void)
{
  putchar ('[');
  for (size_t i = 0; i < handlers.len; ++i) {
    const struct handler *h = handlers.ptr[i];
    bool first = true;

    printf ("%s{\"name\":", i > 0 ? "," : "");
    gk_json_write_string (stdout, h->name);
    printf (",\"handle\":%d,\"events\":[", h->eh);
    for (size_t j = 0; j < NR_EVENT_NAMES; ++j)
      if (h->events & event_names[j].bit) {
        printf ("%s\"%s\"", first ? "" : ",", event_names[j].name);
        first = false;
      }
    printf ("],\"script\":");
    gk_json_write_string (stdout, h->script);
    putchar ('}');
  }
  printf ("]\n");
}

/* Upstream's format: "NAME" (HANDLE): EVENTS: SCRIPT */
int
fish_list_events (char *const *words)
{
  if (fish_check_argc (words, 0, 0) == -1)
    return -1;
  if (fish.json) {
    list_events_json ();
    return 0;
  }
  for (size_t i = 0; i < handlers.len; ++i) {
    const struct handler *h = handlers.ptr[i];
    CLEANUP_FREE char *events = h->events == GUESTFS_EVENT_ALL ?
      xstrdup ("*") : guestfs_event_to_string (h->events);

    printf ("\"%s\" (%d): %s: %s\n", h->name, h->eh,
            events ? events : "?", h->script);
  }
  return 0;
}

void
fish_events_attach (guestfs_h *g)
{
  for (size_t i = 0; i < handlers.len; ++i)
    if (attach (g, handlers.ptr[i]) == -1)
      fish_error ("event %s: could not be registered on the new handle",
                  handlers.ptr[i]->name);
}

void
fish_events_free (void)
{
  for (size_t i = 0; i < handlers.len; ++i)
    handler_free (handlers.ptr[i]);
  free (handlers.ptr);
  handlers = (handler_list) empty_vector;
}
