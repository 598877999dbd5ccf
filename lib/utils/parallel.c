/* guestkit: worker pool whose output comes out in job order.
 *
 * Workers take the next job index under a lock and write into a
 * per-job memory stream.  Whoever finishes a job prints every finished
 * buffer that is next in line, so output streams out as early as order
 * allows and is identical however threads were scheduled.
 */
#include <config.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "utils/alloc.h"
#include "utils/messages.h"
#include "utils/parallel.h"

struct job {
  char *buf;
  size_t size;
  bool done;
  int result;
};

struct pool {
  pthread_mutex_t lock;
  size_t n, next, retired;
  struct job *jobs;
  gk_job_fn fn;
  void *opaque;
  FILE *dest;
};

static void
retire_in_order (struct pool *p)
{
  while (p->retired < p->n && p->jobs[p->retired].done) {
    struct job *j = &p->jobs[p->retired];

    if (j->size > 0)
      fwrite (j->buf, 1, j->size, p->dest);
    fflush (p->dest);
    free (j->buf);
    j->buf = NULL;
    p->retired++;
  }
}

static void *
worker (void *arg)
{
  struct pool *p = arg;

  for (;;) {
    size_t i;
    FILE *out;
    char *buf = NULL;
    size_t size = 0;
    int r;

    pthread_mutex_lock (&p->lock);
    i = p->next++;
    pthread_mutex_unlock (&p->lock);
    if (i >= p->n)
      return NULL;

    out = open_memstream (&buf, &size);
    if (out == NULL)
      gk_error_errno ("open_memstream");
    r = p->fn (i, out, p->opaque);
    fclose (out);

    pthread_mutex_lock (&p->lock);
    p->jobs[i].buf = buf;
    p->jobs[i].size = size;
    p->jobs[i].result = r;
    p->jobs[i].done = true;
    retire_in_order (p);
    pthread_mutex_unlock (&p->lock);
  }
}

int
gk_run_parallel (size_t n, size_t threads, gk_job_fn fn, void *opaque,
                 FILE *dest)
{
  struct pool p = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .n = n, .fn = fn, .opaque = opaque, .dest = dest,
  };
  pthread_t *tids;
  int ret = 0;

  if (n == 0)
    return 0;
  if (threads == 0)
    threads = 1;
  if (threads > n)
    threads = n;
  p.jobs = xcalloc (n, sizeof (struct job));
  tids = xcalloc (threads, sizeof (pthread_t));
  for (size_t t = 0; t < threads; ++t)
    if (pthread_create (&tids[t], NULL, worker, &p) != 0)
      gk_error ("could not start a worker thread");
  for (size_t t = 0; t < threads; ++t)
    pthread_join (tids[t], NULL);
  for (size_t i = 0; i < n; ++i)
    if (p.jobs[i].result == -1)
      ret = -1;
  free (p.jobs);
  free (tids);
  return ret;
}
