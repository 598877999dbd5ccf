/* guestkit: what the files of diskio/ share about a struct gk_image.
 * Not for tools: they use nbd-disk.h, format.h and copy.h.
 */
#ifndef GUESTKIT_DISKIO_IMAGE_INTERNAL_H
#define GUESTKIT_DISKIO_IMAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libnbd.h>

#define KiB ((uint64_t) 1024)
#define MiB (KiB * 1024)
#define GiB (MiB * 1024)

/* qemu-nbd refuses requests over 32 MiB whatever it advertises. */
#define MAX_REQUEST (32 * MiB)
/* Zero requests carry no data, so they can be large; but the NBD
 * length field is 32 bits.
 */
#define MAX_ZERO_REQUEST GiB

struct gk_image {
  struct nbd_handle *nbd;
  char *path;
  char *format;
  char *errfile;                /* qemu-nbd's stderr */
  char *pidfile;                /* qemu-nbd's pid, written by its shell */
  pid_t pid;                    /* qemu-nbd, 0 if unknown */
  uint64_t size;
  size_t max_request;
  bool writable;
  bool can_zero;
  bool can_flush;
  bool can_block_status;
};

/* "PATH: WHAT: reason (qemu-nbd: its last words)", once. */
extern void gk_image_report_error (struct gk_image *disk, const char *what,
                                  int err);
/* Refuse (reporting) a request past the end of DISK. */
extern int gk_image_check_range (struct gk_image *disk, const char *op,
                                 uint64_t count, uint64_t offset);
/* MAX_REQUEST bytes of zeroes, for servers that cannot zero. */
extern const char *gk_image_zero_buffer (void);
/* Largest request from OFFSET not crossing a multiple of LIMIT. */
extern uint64_t gk_image_aligned_piece (uint64_t offset, uint64_t count,
                                       uint64_t limit);

/* copy-local.c: gk_image_copy between two raw files of this host, on
 * the files themselves.  Returns 1 (nothing done) if SRC and DST are
 * not both such files, else 0, or -1 after reporting.  STATS must not
 * be NULL.
 */
struct gk_copy_stats;
extern int gk_image_copy_local (struct gk_image *src, uint64_t src_offset,
                                struct gk_image *dst, uint64_t dst_offset,
                                uint64_t len, bool sparse, unsigned delay_ms,
                                void (*progress) (uint64_t done, uint64_t len,
                                                  void *opaque),
                                void *opaque, struct gk_copy_stats *stats);

/* What qemu-img/qemu-nbd say (qemu-messages.c). */
extern bool gk_is_uri (const char *path);
/* A new file name in our temporary directory for a child's stderr. */
extern char *gk_qemu_errfile (const char *what);
/* Up to 8 KiB of PATH ("" if unreadable). */
extern char *gk_read_small_file (const char *path);
/* The one line of qemu's stderr TEXT a user needs, or NULL. */
extern char *gk_qemu_message (const char *text);

#endif /* GUESTKIT_DISKIO_IMAGE_INTERNAL_H */
