/* guestkit: unit tests for lib/disk-io.c, printed as TAP.
 *
 * Real images (raw and qcow2, made with qemu-img) served by real
 * qemu-nbd: copies between unaligned offsets must be byte-exact, holes
 * must stay holes, garbage in a target must be overwritten, read-only
 * must mean read-only, and no qemu-nbd may outlive its disk.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/tap.h"
#include "diskio/copy.h"
#include "diskio/format.h"
#include "diskio/image.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"

#define KiB ((uint64_t) 1024)
#define MiB (KiB * 1024)

#define DISK_SIZE (64 * MiB)

static char *dir;

static char *
tmp_path (const char *name)
{
  return xasprintf ("%s/%s", dir, name);
}

static int
run (const char *cmd)
{
  int r = system (cmd);

  if (r != 0)
    printf ("# command failed (%d): %s\n", r, cmd);
  return r;
}

/* Deterministic, never-zero bytes that differ with the offset. */
static void
fill_pattern (char *buf, size_t n, uint64_t offset, unsigned seed)
{
  for (size_t i = 0; i < n; ++i) {
    uint64_t x = (offset + i) * 2654435761u + seed;

    buf[i] = (char) ((x >> 13) | 1);
  }
}

static void
write_pattern (int fd, uint64_t offset, size_t n, unsigned seed)
{
  CLEANUP_FREE char *buf = xmalloc (n);

  fill_pattern (buf, n, offset, seed);
  if (pwrite (fd, buf, n, offset) != (ssize_t) n)
    printf ("# pwrite: %s\n", strerror (errno));
}

static char *
read_file (const char *path, uint64_t size)
{
  char *buf = xcalloc (1, size);
  int fd = open (path, O_RDONLY);

  if (fd >= 0) {
    if (pread (fd, buf, size, 0) < 0)
      printf ("# pread %s: %s\n", path, strerror (errno));
    close (fd);
  }
  return buf;
}

static uint64_t
allocated_bytes (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 ? (uint64_t) st.st_blocks * 512 : 0;
}

/* A sparse raw image with data at awkward places: across the 32 MiB
 * request limit, in sub-granule pieces, at the very end, and a
 * megabyte of zeroes that are allocated (written) but must not be
 * written to a sparse target.
 */
static void
make_source (const char *path)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CLEANUP_FREE char *zeroes = xcalloc (1, MiB);

  if (fd == -1 || ftruncate (fd, DISK_SIZE) == -1) {
    printf ("# %s: %s\n", path, strerror (errno));
    exit (EXIT_FAILURE);
  }
  write_pattern (fd, 0, MiB, 1);
  write_pattern (fd, 10 * MiB + 512, 300 * KiB, 2);
  write_pattern (fd, 32 * MiB - 4096, 2 * MiB, 3);
  write_pattern (fd, 36 * MiB + 7 * 512, 512, 4);
  if (pwrite (fd, zeroes, MiB, 40 * MiB) != (ssize_t) MiB)
    printf ("# pwrite: %s\n", strerror (errno));
  write_pattern (fd, 40 * MiB + 128 * KiB, 4 * KiB, 5);
  write_pattern (fd, DISK_SIZE - 512, 512, 6);
  close (fd);
}

static void
make_garbage (const char *path, uint64_t size)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CLEANUP_FREE char *buf = xmalloc (MiB);

  memset (buf, 0xaa, MiB);
  for (uint64_t off = 0; fd >= 0 && off < size; off += MiB)
    if (pwrite (fd, buf, MiB, off) != (ssize_t) MiB)
      printf ("# pwrite: %s\n", strerror (errno));
  if (fd >= 0)
    close (fd);
}

/* stderr of F (with argument ARG) as a string, to check error lines. */
static char *
capture_stderr (void (*f) (const char *, void *), const char *arg, void *r)
{
  CLEANUP_FREE char *path = tmp_path ("stderr");
  int saved = dup (STDERR_FILENO);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  char *text;
  size_t len;

  fflush (stderr);
  dup2 (fd, STDERR_FILENO);
  close (fd);
  f (arg, r);
  fflush (stderr);
  dup2 (saved, STDERR_FILENO);
  close (saved);
  text = read_file (path, 4096);
  text[4095] = '\0';
  len = strlen (text);
  unlink (path);
  while (len > 0 && text[len - 1] == '\n')
    text[--len] = '\0';
  return text;
}

static void
do_detect (const char *path, void *r)
{
  *(char **) r = gk_image_detect_format (path);
}

static void
do_open_rw (const char *path, void *r)
{
  *(struct gk_image **) r = gk_image_open (path, "raw", true);
}

static void
do_open_detect (const char *path, void *r)
{
  *(struct gk_image **) r = gk_image_open (path, NULL, false);
}

static int
count_qemu_nbd_children (void)
{
  CLEANUP_FREE char *cmd =
    xasprintf ("exit $(pgrep -c -P %d qemu-nbd)", (int) getpid ());
  int r = system (cmd);

  return WIFEXITED (r) ? WEXITSTATUS (r) : -1;
}

static void
test_detect (const char *raw, const char *qcow2)
{
  CLEANUP_FREE char *missing = tmp_path ("missing.img");
  CLEANUP_FREE char *corrupt = tmp_path ("corrupt.qcow2");
  CLEANUP_FREE char *cmd = NULL;
  CLEANUP_FREE char *f1 = gk_image_detect_format (raw);
  CLEANUP_FREE char *f2 = gk_image_detect_format (qcow2);
  CLEANUP_FREE char *err = NULL;
  char *f3 = (char *) "unset";
  int fd;

  is_str (f1, "raw", "format of a raw image");
  is_str (f2, "qcow2", "format of a qcow2 image");

  err = capture_stderr (do_detect, missing, &f3);
  ok (f3 == NULL, "a missing file has no format");
  CLEANUP_FREE char *want =
    xasprintf ("test-disk-io: error: %s: No such file or directory", missing);
  is_str (err, want, "a missing file gets one clear line");

  /* A qcow2 header claiming an impossible version. */
  cmd = xasprintf ("%s create -q -f qcow2 %s 10M", QEMU_IMG, corrupt);
  run (cmd);
  fd = open (corrupt, O_WRONLY);
  if (fd >= 0) {
    if (pwrite (fd, "\xff\xff\xff\xff", 4, 4) != 4)
      printf ("# pwrite: %s\n", strerror (errno));
    close (fd);
  }
  free (err);
  f3 = (char *) "unset";
  err = capture_stderr (do_detect, corrupt, &f3);
  ok (f3 == NULL, "a corrupt qcow2 has no format");
  ok (strchr (err, '\n') == NULL && strstr (err, "qcow2 version") &&
      STRPREFIX (err, "test-disk-io: error: "),
      "a corrupt qcow2 gets one line");
  diag ("message", err);
}

static void
progress_cb (uint64_t done, uint64_t len, void *opaque)
{
  uint64_t *last = opaque;

  if (done < last[0] || done > len)
    last[1] = 1;                /* not monotonic */
  last[0] = done;
}

/* Copy SRC[SOFF..+LEN] to DST[DOFF..] and check the bytes, the bytes
 * around the copy, progress and statistics.
 */
static void
check_copy (const char *what, const char *src_path, const char *src_fmt,
            uint64_t soff, const char *dst_path, const char *dst_fmt,
            uint64_t doff, uint64_t len, bool sparse,
            const char *expect_path, uint64_t expect_off,
            const char *before_path)
{
  struct gk_image *src = gk_image_open (src_path, src_fmt, false);
  struct gk_image *dst = gk_image_open (dst_path, dst_fmt, true);
  struct gk_copy_stats stats = { 0, 0 };
  uint64_t prog[2] = { 0, 0 };
  CLEANUP_FREE char *expect = read_file (expect_path, DISK_SIZE);
  CLEANUP_FREE char *before = read_file (before_path, DISK_SIZE);
  CLEANUP_FREE char *got = xmalloc (DISK_SIZE);
  int r;

  if (!ok (src && dst, "%s: open both", what)) {
    gk_image_close (src);
    gk_image_close (dst);
    return;
  }
  r = gk_image_copy (src, soff, dst, doff, len, sparse, progress_cb, prog,
                    &stats);
  ok (r == 0, "%s: copy succeeds", what);
  ok (prog[0] == len && prog[1] == 0,
      "%s: progress is monotonic and ends at the length", what);
  if (!ok (stats.data_bytes + stats.zero_bytes == len &&
           stats.data_bytes < len,
           "%s: statistics add up, zeroes were skipped", what))
    printf ("#   data %" PRIu64 " zero %" PRIu64 " len %" PRIu64 "\n",
            stats.data_bytes, stats.zero_bytes, len);
  r = gk_image_pread (dst, got, DISK_SIZE, 0);
  ok (r == 0, "%s: read back", what);
  ok (memcmp (got + doff, expect + expect_off, len) == 0,
      "%s: copied bytes are right", what);
  ok (memcmp (got, before, doff) == 0 &&
      memcmp (got + doff + len, before + doff + len,
              DISK_SIZE - doff - len) == 0,
      "%s: bytes around the copy are untouched", what);
  ok (gk_image_close (src) == 0 && gk_image_close (dst) == 0,
      "%s: close both", what);
}

static void
test_copies (const char *raw, const char *qcow2)
{
  CLEANUP_FREE char *zero = tmp_path ("zero.img");
  CLEANUP_FREE char *sparse = tmp_path ("sparse.img");
  CLEANUP_FREE char *garbage = tmp_path ("garbage.img");
  CLEANUP_FREE char *garbage2 = tmp_path ("garbage2.img");
  CLEANUP_FREE char *qdst = tmp_path ("dst.qcow2");
  CLEANUP_FREE char *cmd = NULL;
  int fd;

  fd = open (zero, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    if (ftruncate (fd, DISK_SIZE) == -1)
      printf ("# ftruncate: %s\n", strerror (errno));
    close (fd);
  }
  fd = open (sparse, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    if (ftruncate (fd, DISK_SIZE) == -1)
      printf ("# ftruncate: %s\n", strerror (errno));
    close (fd);
  }

  check_copy ("raw to sparse raw", raw, "raw", 0, sparse, "raw", 0,
              DISK_SIZE, true, raw, 0, zero);
  /* 1 MiB + 300 KiB + 2 MiB + 4 KiB + 2 * 512 of data, rounded up to
   * granules: anything near the 64 MiB size means holes were filled.
   */
  if (!ok (allocated_bytes (sparse) < 5 * MiB,
           "holes and zero blocks stay holes in a sparse target"))
    printf ("#   allocated: %" PRIu64 "\n", allocated_bytes (sparse));

  /* Offsets differing modulo every power of two above 512, so no
   * chunk or granule of source and target line up.
   */
  make_garbage (garbage, DISK_SIZE);
  check_copy ("unaligned, over garbage", raw, "raw", 3 * 512, garbage, "raw",
              MiB + 11 * 512, 60 * MiB - 5 * 512, false, raw, 3 * 512,
              garbage);
  make_garbage (garbage2, DISK_SIZE);
  check_copy ("unaligned sparse, over garbage", qcow2, "qcow2",
              9 * MiB + 512, garbage2, "raw", 7 * 512, 40 * MiB + 512, true,
              raw, 9 * MiB + 512, garbage2);

  cmd = xasprintf ("%s create -q -f qcow2 %s %" PRIu64, QEMU_IMG, qdst,
                   DISK_SIZE);
  run (cmd);
  check_copy ("qcow2 to qcow2", qcow2, NULL, 0, qdst, "qcow2", 0, DISK_SIZE,
              true, raw, 0, zero);
  free (cmd);
  cmd = xasprintf ("%s compare -q -f qcow2 -F raw %s %s", QEMU_IMG, qdst,
                   raw);
  ok (run (cmd) == 0, "qemu-img compare agrees on the qcow2 copy");
}

static void
test_zero (const char *raw)
{
  CLEANUP_FREE char *path = tmp_path ("punch.img");
  CLEANUP_FREE char *got = xmalloc (4 * MiB);
  CLEANUP_FREE char *zeroes = xcalloc (1, 4 * MiB);
  CLEANUP_FREE char *cmd = xasprintf ("cp %s %s", raw, path);
  struct gk_image *d;
  uint64_t before;

  run (cmd);
  before = allocated_bytes (path);
  d = gk_image_open (path, "raw", true);
  if (!ok (d != NULL, "open a raw image writable"))
    return;
  ok (gk_image_zero (d, 4 * MiB, 30 * MiB, true) == 0, "punch a range");
  ok (gk_image_zero (d, MiB - 512, 512, false) == 0, "zero a range");
  ok (gk_image_pread (d, got, 4 * MiB, 30 * MiB) == 0 &&
      memcmp (got, zeroes, 4 * MiB) == 0, "punched range reads as zero");
  ok (gk_image_pread (d, got, MiB, 0) == 0 &&
      memcmp (got + 512, zeroes, MiB - 512) == 0 && got[0] != 0,
      "zeroed range reads as zero, the rest is kept");
  ok (gk_image_pread (d, got, 512, DISK_SIZE - 512) == 0 &&
      gk_image_pread (d, got, 1024, DISK_SIZE - 512) == -1,
      "reads stop at the end of the disk");
  ok (gk_image_close (d) == 0, "close");
  if (!ok (allocated_bytes (path) + 2 * MiB <= before,
           "punching freed the blocks"))
    printf ("#   before %" PRIu64 " after %" PRIu64 "\n", before,
            allocated_bytes (path));
}

static void
test_read_only (const char *raw)
{
  CLEANUP_FREE char *before = read_file (raw, DISK_SIZE);
  CLEANUP_FREE char *after = NULL;
  CLEANUP_FREE char *buf = xcalloc (1, 4096);
  CLEANUP_FREE char *err = NULL;
  CLEANUP_FREE char *missing = tmp_path ("nothere.qcow2");
  struct gk_image *d = gk_image_open (raw, NULL, false);
  struct gk_image *d2 = (struct gk_image *) 1;

  if (!ok (d != NULL, "open read-only with detection"))
    return;
  is_str (gk_image_format (d), "raw", "detected format");
  ok (gk_image_size (d) == DISK_SIZE, "size");
  ok (count_qemu_nbd_children () == 1, "one qemu-nbd serves the disk");
  ok (gk_image_pwrite (d, buf, 4096, 0) == -1, "a read-only disk refuses "
      "writes");
  ok (gk_image_zero (d, 4096, 0, true) == -1, "... and zeroing");
  ok (gk_image_close (d) == 0, "close");
  after = read_file (raw, DISK_SIZE);
  ok (memcmp (before, after, DISK_SIZE) == 0, "the image is unchanged");
  ok (count_qemu_nbd_children () == 0, "no qemu-nbd left after close");

  err = capture_stderr (do_open_detect, missing, &d2);
  ok (d2 == NULL, "opening a missing file fails");
  CLEANUP_FREE char *want =
    xasprintf ("test-disk-io: error: %s: No such file or directory", missing);
  is_str (err, want, "... with one clear line");
  free (err);
  /* The format given: qemu-nbd itself must explain. */
  d2 = (struct gk_image *) 1;
  err = capture_stderr (do_open_rw, missing, &d2);
  ok (d2 == NULL && strchr (err, '\n') == NULL &&
      strstr (err, "No such file or directory"),
      "qemu-nbd's failure is one clear line");
  diag ("message", err);
  ok (count_qemu_nbd_children () == 0, "no qemu-nbd left after failures");
}

/* A running guest holds its image locked against other writers: a
 * writable open must fail and say why (qemu-nbd itself shares writes,
 * so a paused qemu with a disk device plays the guest).
 */
static void
test_locked (const char *raw)
{
  CLEANUP_FREE char *drive = xasprintf ("file=%s,format=raw,if=none,id=d0",
                                        raw);
  CLEANUP_FREE char *err = NULL;
  struct gk_image *d = NULL;
  pid_t pid;

  if (system ("command -v qemu-system-x86_64 >/dev/null") != 0) {
    ok (true, "# SKIP no qemu-system-x86_64 to hold a lock");
    return;
  }
  pid = fork ();
  if (pid == 0) {
    int null = open ("/dev/null", O_RDWR);

    dup2 (null, STDIN_FILENO);
    dup2 (null, STDOUT_FILENO);
    dup2 (null, STDERR_FILENO);
    execlp ("qemu-system-x86_64", "qemu-system-x86_64", "-M", "q35",
            "-accel", "tcg", "-S", "-nodefaults", "-display", "none",
            "-drive", drive, "-device", "virtio-blk-pci,drive=d0",
            (char *) NULL);
    _exit (127);
  }
  /* Until qemu has taken its lock the open succeeds: try again. */
  /* Under load (parallel make check, emulation) qemu may take long. */
  for (int i = 0; i < 240; ++i) {
    free (err);
    err = capture_stderr (do_open_rw, raw, &d);
    if (d == NULL)
      break;
    gk_image_close (d);
    d = NULL;
    err[0] = '\0';
    usleep (250000);
    if (waitpid (pid, NULL, WNOHANG) == pid) {
      pid = -1;
      break;
    }
  }
  if (err[0] == '\0') {
    ok (true, "# SKIP qemu did not hold the image within 60 s");
    ok (true, "# SKIP");
  }
  else {
    ok (d == NULL, "a writable open of an image in use fails");
    ok (strstr (err, "in use") && strchr (err, '\n') == NULL,
        "... saying the image is in use");
    diag ("message", err);
  }
  if (pid == -1)
    return;
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
}

int
main (void)
{
  const char *tmp = getenv ("TMPDIR");
  CLEANUP_FREE char *raw = NULL;
  CLEANUP_FREE char *qcow2 = NULL;
  CLEANUP_FREE char *cmd = NULL;

  gk_init_program ("test-disk-io");
  dir = xasprintf ("%s/test-disk-io.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp (dir) == NULL) {
    perror (dir);
    return EXIT_FAILURE;
  }
  gk_tmpfile_register (dir);
  raw = tmp_path ("src.img");
  qcow2 = tmp_path ("src.qcow2");
  make_source (raw);
  cmd = xasprintf ("%s convert -q -f raw -O qcow2 %s %s", QEMU_IMG, raw,
                   qcow2);
  run (cmd);

  test_detect (raw, qcow2);
  test_read_only (raw);
  test_copies (raw, qcow2);
  test_zero (raw);
  test_locked (raw);
  ok (count_qemu_nbd_children () == 0, "no qemu-nbd left at the end");

  free (cmd);
  cmd = xasprintf ("rm -rf %s", dir);
  run (cmd);
  free (dir);
  return tap_done ();
}
