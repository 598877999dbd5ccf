/* guestkit: claiming an output and making an interrupted one invalid
 * (see output.h).
 *
 * qemu's image locking does not stop two writers: a qemu-nbd export
 * shares write access with anyone, so a second qemu-nbd (ours) opens an
 * image a live one is serving and both write.  What it does give is a
 * record: every qemu process holding an image takes an OFD lock on
 * byte 100 + N for each permission N it has, and on byte 200 + N for
 * each one it will not share.  We read those (F_OFD_GETLK) and refuse
 * an image someone writes (write permission, byte 101) or will not let
 * others write (byte 201).  Between our own steps no qemu process of
 * ours holds the image (before the appliance launches, say), so we
 * also take an OFD lock of our own on a byte qemu does not use, held
 * until exit: another guestkit tool sees it and refuses.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diskio/image-internal.h"
#include "diskio/output.h"
#include "diskio/qemu-json.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"

/* qemu's lock bytes (block/file-posix.c): RAW_LOCK_PERM_BASE and
 * RAW_LOCK_SHARED_BASE plus the bit of BLK_PERM_WRITE.
 */
#define QEMU_LOCK_WRITE_PERM 101
#define QEMU_LOCK_WRITE_UNSHARED 201
/* Ours: "gues" in ASCII, far from qemu's bytes. */
#define GUESTKIT_LOCK_BYTE 0x67756573

/* The claimed output: kept open (the lock lives as long as this open
 * file description) and used by the interruption handler.
 */
static int claimed_fd = -1;
static dev_t claimed_dev;
static ino_t claimed_ino;

static bool
locking_unsupported (int err)
{
  return err == EINVAL || err == ENOLCK || err == EOPNOTSUPP ||
    err == ENOSYS;
}

/* True if someone else holds a lock on BYTE that a write lock would
 * conflict with.
 */
static bool
byte_locked (int fd, off_t byte)
{
  struct flock fl = {
    .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1,
  };

  if (fcntl (fd, F_OFD_GETLK, &fl) == -1)
    return false;
  return fl.l_type != F_UNLCK;
}

int
gk_output_claim (const char *path)
{
  struct stat st;
  struct flock fl = {
    .l_type = F_WRLCK, .l_whence = SEEK_SET,
    .l_start = GUESTKIT_LOCK_BYTE, .l_len = 1,
  };
  int fd, write_err = 0;

  if (gk_is_uri (path) || stat (path, &st) == -1 ||
      !(S_ISREG (st.st_mode) || S_ISBLK (st.st_mode)))
    return 0;                   /* opening it will say what is wrong */
  if (claimed_fd >= 0 && st.st_dev == claimed_dev &&
      st.st_ino == claimed_ino)
    return 0;

  fd = open (path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (fd == -1) {
    /* A read-only mount or an immutable file cannot be written or
     * replaced: refused below, after the clearer error for an image in
     * use.  Permissions are the writer's business (a tool may replace
     * the file rather than write it).
     */
    if (errno == EROFS || errno == EPERM)
      write_err = errno;
    fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd == -1)
      return 0;                 /* opening it will say what is wrong */
  }
  if (byte_locked (fd, GUESTKIT_LOCK_BYTE)) {
    gk_error_noexit ("%s: the disk image is being written by another "
                     "guestkit tool: refusing to write it too", path);
    close (fd);
    return -1;
  }
  if (byte_locked (fd, QEMU_LOCK_WRITE_PERM) ||
      byte_locked (fd, QEMU_LOCK_WRITE_UNSHARED)) {
    gk_error_noexit ("%s: the disk image is in use by another program (a "
                     "running virtual machine, qemu-nbd or qemu-img): "
                     "stop it before writing this image", path);
    close (fd);
    return -1;
  }
  if (write_err) {
    close (fd);
    gk_error_noexit ("%s: the disk image cannot be written: %s", path,
                     strerror (write_err));
    return -1;
  }
  if ((fcntl (fd, F_GETFL) & O_ACCMODE) != O_RDWR) {
    close (fd);
    return 0;
  }
  if (fcntl (fd, F_OFD_SETLK, &fl) == -1) {
    int err = errno;

    close (fd);
    if (locking_unsupported (err))
      return 0;
    if (err == EAGAIN || err == EACCES) {
      /* Claimed by another tool between our look and our lock. */
      gk_error_noexit ("%s: the disk image is being written by another "
                       "guestkit tool: refusing to write it too", path);
      return -1;
    }
    gk_error_noexit ("%s: cannot lock the disk image: %s", path,
                     strerror (err));
    return -1;
  }
  if (claimed_fd >= 0)
    close (claimed_fd);
  claimed_fd = fd;
  claimed_dev = st.st_dev;
  claimed_ino = st.st_ino;
  return 0;
}

/* qemu-img ARGS... --output=json, parsed; NULL after a debug message
 * (the caller then does without).
 */
static struct gk_json *
qemu_img_json (const char *what, const char *path, const char *const *argv)
{
  const struct gk_command cmd = { .argv = argv, .capture_stdout = true };
  struct gk_command_result result;
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_json *v;

  if (gk_command_run (&cmd, &result) == -1)
    return NULL;
  if (!gk_command_exited (&result, 0)) {
    gk_debug ("%s: qemu-img %s failed", path, what);
    free (result.output);
    return NULL;
  }
  v = gk_json_parse (result.output, &errmsg);
  free (result.output);
  if (v == NULL)
    gk_debug ("%s: qemu-img %s: %s", path, what, errmsg);
  return v;
}

/* qcow2 with its data in another file: offsets are not in PATH. */
static bool
has_data_file (const char *path, const char *format)
{
  const char *argv[] = { QEMU_IMG, "info", "-U", "--output=json", "-f",
                         format, "--", path, NULL };
  struct gk_json *info = qemu_img_json ("info", path, argv);
  const struct gk_json *spec, *data;
  bool ret = true;

  if (info) {
    spec = gk_json_member (info, "format-specific");
    data = gk_json_member (spec, "data");
    ret = gk_json_member (data, "data-file") != NULL;
  }
  gk_json_free (info);
  return ret;
}

/* Register the file offsets holding [OFFSET, OFFSET+LEN) of the guest
 * view, from qemu-img map's extents.  False if some of it is not in
 * the file itself.
 */
static bool
register_mapped (int fd, const struct gk_json *map, uint64_t offset,
                 uint64_t len)
{
  uint64_t end = offset + len;

  for (size_t i = 0; i < map->len && offset < end; ++i) {
    const struct gk_json *e = &map->items[i];
    int64_t start, length, depth, host;
    uint64_t from, to;

    if (!gk_json_int (e, "start", &start) ||
        !gk_json_int (e, "length", &length) || start < 0 || length <= 0 ||
        length > INT64_MAX - start)
      return false;
    if ((uint64_t) start + length <= offset || (uint64_t) start >= end)
      continue;
    from = offset > (uint64_t) start ? offset : (uint64_t) start;
    to = end < (uint64_t) (start + length) ? end
      : (uint64_t) (start + length);
    if (from > offset)
      return false;             /* a gap in the map */
    if (!gk_json_bool (e, "present", true) ||
        (gk_json_bool (e, "zero", false) && !gk_json_bool (e, "data", false)))
      ;                         /* reads as zeroes already */
    else if (!gk_json_bool (e, "data", false) ||
             gk_json_bool (e, "compressed", false) ||
             !gk_json_int (e, "depth", &depth) || depth != 0 ||
             !gk_json_int (e, "offset", &host) || host < 0)
      return false;
    else
      gk_interrupt_add_zero (fd, host + (from - start), to - from);
    offset = to;
  }
  return offset >= end;
}

int
gk_output_zero_on_interrupt (const char *path, const char *format,
                             const struct gk_output_range *ranges,
                             size_t nr_ranges)
{
  struct gk_json *map = NULL;
  struct stat st;
  int fd = -1;

  if (gk_is_uri (path) || stat (path, &st) == -1) {
    gk_debug ("%s: cannot be made invalid if interrupted", path);
    return 1;
  }
  if (!STREQ (format, "raw") &&
      (!STREQ (format, "qcow2") || has_data_file (path, format))) {
    gk_debug ("%s: %s: cannot be made invalid if interrupted", path,
              format);
    return 1;
  }
  if (claimed_fd >= 0 && st.st_dev == claimed_dev &&
      st.st_ino == claimed_ino)
    fd = claimed_fd;
  else {
    /* Kept open for the handler until exit. */
    fd = open (path, O_WRONLY | O_CLOEXEC);
    if (fd == -1) {
      gk_error_noexit ("%s: %s", path, strerror (errno));
      return -1;
    }
  }

  if (STREQ (format, "raw")) {
    for (size_t i = 0; i < nr_ranges; ++i)
      gk_interrupt_add_zero (fd, ranges[i].offset, ranges[i].len);
    return 0;
  }

  {
    const char *argv[] = { QEMU_IMG, "map", "-U", "--output=json", "-f",
                           format, "--", path, NULL };

    map = qemu_img_json ("map", path, argv);
  }
  if (map == NULL || map->type != GK_JSON_ARRAY) {
    gk_json_free (map);
    if (fd != claimed_fd)
      close (fd);
    return 1;
  }
  for (size_t i = 0; i < nr_ranges; ++i)
    if (!register_mapped (fd, map, ranges[i].offset, ranges[i].len)) {
      gk_debug ("%s: not all of bytes %" PRIu64 "-%" PRIu64 " are in the "
                "file: it cannot be made invalid if interrupted", path,
                ranges[i].offset, ranges[i].offset + ranges[i].len - 1);
      gk_interrupt_clear_zero ();
      gk_json_free (map);
      if (fd != claimed_fd)
        close (fd);
      return 1;
    }
  gk_json_free (map);
  return 0;
}

void
gk_output_forget_interrupt (void)
{
  gk_interrupt_clear_zero ();
}
