/* guestkit: a small worker pool with deterministic output.
 *
 * Each job writes into its own memory buffer; buffers are printed in job
 * order, so the result is the same however the threads were scheduled.
 */
#ifndef GUESTKIT_PARALLEL_H
#define GUESTKIT_PARALLEL_H

#include <stddef.h>
#include <stdio.h>

/* Run job I (0 <= I < N) writing its output to OUT.  Returns 0 or -1. */
typedef int (*gk_job_fn) (size_t i, FILE *out, void *opaque);

/* Run N jobs on up to THREADS threads; job outputs are copied to DEST in
 * order as soon as all earlier jobs have finished.  Returns 0 if every
 * job succeeded, else -1.
 */
extern int gk_run_parallel (size_t n, size_t threads, gk_job_fn fn,
                            void *opaque, FILE *dest);

#endif /* GUESTKIT_PARALLEL_H */
